"""Import statements from JSON Lines in the interchange schema (`.jsonl` or `.jsonl.gz`)."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .archive import Archive
from .ids import archive_id_for
from .models import Source, StatementInput
from .normalise import parse_published

BATCH = 500  # records per transaction: a crash loses at most one uncommitted batch

_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_STRING_KEYS = (
    "url",
    "source",
    "country",
    "institution",
    "title",
    "published",
    "language",
    "kind",
    "speaker",
    "text",
    "html",
    "origin",
    "guid",
    "seen_at",
    "published_raw",
)


class BadRecord(ValueError):
    """One line that cannot be imported; the message is the reason."""


@dataclass
class ImportReport:
    new: int = 0
    versions: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)  # "FILE:LINE: reason"


def _guid(origin: str | None) -> str | None:
    if origin and " guid=" in origin:
        return origin.split(" guid=", 1)[1].strip()
    return None


def parse_record(line: bytes) -> tuple[list[StatementInput], str | None]:
    """The statement inputs of one line (its earlier versions, if listed, then itself) and
    the institution it names."""
    return record_inputs(decode_line(line))


def decode_line(line: bytes) -> dict:
    """One line as a JSON object, or BadRecord."""
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRecord(f"not valid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise BadRecord("not a JSON object")
    return record


def record_inputs(record: dict) -> tuple[list[StatementInput], str | None]:
    """The statement inputs of one decoded record and the institution it names."""
    for key in _STRING_KEYS:
        if key in record and not isinstance(record[key], str):
            raise BadRecord(f"'{key}' must be a string")
    for key in ("url", "source"):
        if not record.get(key):
            raise BadRecord(f"missing '{key}'")
    if not _SOURCE_ID.match(record["source"]):
        raise BadRecord(f"'source' is not a source id: {record['source']!r}")
    if not re.match(r"^[a-z][a-z0-9+.-]*:", record["url"]):
        raise BadRecord(f"'url' is not an absolute URL: {record['url']!r}")
    if "language" in record and not _LANGUAGE.match(record["language"]):
        raise BadRecord(f"'language' is not a BCP 47 tag: {record['language']!r}")
    if "published" in record and parse_published(record["published"]) is None:
        raise BadRecord(f"'published' is not an ISO 8601 date: {record['published']!r}")
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise BadRecord("'tags' must be a list of strings")
    versions = record.get("versions", [])
    if not isinstance(versions, list) or not all(
        isinstance(v, dict) and isinstance(v.get("text"), str) for v in versions
    ):
        raise BadRecord("'versions' must be a list of objects with a 'text' string")
    if any("origin" in v and not isinstance(v["origin"], str) for v in versions):
        raise BadRecord("a version's 'origin' must be a string")
    origin = record.get("origin")
    key = record.get("guid") or _guid(origin) or record["url"]
    if "id" in record and record["id"] != archive_id_for(record["source"], key):
        raise BadRecord(
            f"'id' {record['id']!r} is not the id of this source and guid/url "
            f"({archive_id_for(record['source'], key)})"
        )
    library_bits(record)  # malformed collections / notes reject the whole line
    if "text" not in record and not versions:
        record["text"] = ""  # a published page with no text at all (image only)

    base = dict(
        source_id=record["source"],
        url=record["url"],
        key=record.get("guid") or _guid(origin),
        published=record.get("published_raw") or record.get("published"),
        published_iso=record.get("published"),
        language=record.get("language"),
        kind=record.get("kind"),
        speaker=record.get("speaker"),
        country=record.get("country"),
        tags=tags,
    )
    inputs = [
        StatementInput(
            **base,
            text=v["text"],
            title=v.get("title", record.get("title")),
            html=v.get("html"),
            seen_at=v.get("seen_at"),
            declared_modified=v.get("declared_modified"),
            origin=v.get("origin") or f"{origin or record['url']} version {i}",
        )
        for i, v in enumerate(versions, 1)
    ]
    if "text" in record:
        inputs.append(
            StatementInput(
                **base,
                text=record["text"],
                title=record.get("title"),
                html=record.get("html"),
                origin=origin,
                seen_at=record.get("seen_at"),
            )
        )
    return inputs, record.get("institution")


def library_bits(record: dict) -> tuple[list[str], list[dict]]:
    """The record's collections (names) and notes (objects with at least 'id' and 'body')."""
    collections = record.get("collections", [])
    if not isinstance(collections, list) or not all(
        isinstance(c, str) and c.strip() for c in collections
    ):
        raise BadRecord("'collections' must be a list of names")
    notes = record.get("notes", [])
    if not isinstance(notes, list) or not all(
        isinstance(n, dict)
        and isinstance(n.get("id"), str)
        and isinstance(n.get("body"), str)
        and isinstance(n.get("created_at"), str)
        for n in notes
    ):
        raise BadRecord("'notes' must be a list of objects with 'id', 'body' and 'created_at'")
    return collections, notes


def _restore_library(
    archive: Archive, archive_id: str, collections: list[str], notes: list[dict]
) -> None:
    from .library import Note, add_to_collection, restore_note

    for name in collections:
        add_to_collection(archive, name, [archive_id])
    for data in notes:
        data = {"updated_at": data["created_at"], **data}
        try:
            restore_note(archive, Note.from_json(data, archive_id))
        except TypeError as exc:
            raise BadRecord(f"a note is malformed ({exc})") from None


def _lines(
    path: Path, on_progress: Callable[[int, int], None] | None
) -> Iterator[tuple[int, bytes]]:
    total = path.stat().st_size
    with path.open("rb") as raw:
        stream = gzip.open(raw, "rb") if path.suffix == ".gz" else raw
        for number, line in enumerate(stream, 1):
            if on_progress is not None and number % 200 == 0:
                on_progress(raw.tell(), total)
            if line.strip():
                yield number, line
        if on_progress is not None:
            on_progress(total, total)


class _SourceBook:
    """Creates sources met in the records; a source whose records name several countries has none."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.country: dict[str, str | None] = {s.id: s.country for s in archive.sources()}
        self.known: set[str] = set(self.country)

    def meet(self, record: StatementInput, institution: str | None) -> None:
        sid = record.source_id
        if sid not in self.known:
            self.archive.upsert_source(
                Source(
                    id=sid, name=institution or sid, institution=institution, country=record.country
                )
            )
            self.known.add(sid)
            self.country[sid] = record.country
        elif record.country and self.country.get(sid) not in (None, record.country):
            self.archive.conn.execute("UPDATE sources SET country = NULL WHERE id = ?", (sid,))
            self.country[sid] = None


def import_jsonl(
    archive: Archive,
    path: Path,
    on_progress: Callable[[int, int], None] | None = None,
    clean_html: Callable[[str], str] | None = None,
) -> ImportReport:
    """Import one file; bad lines are reported as `FILE:LINE: reason` and skipped.

    A record's `html` is stored only through `clean_html` (a sanitiser); without one it is dropped,
    so unsanitised markup never reaches the archive.
    """
    report = ImportReport()
    book = _SourceBook(archive)
    pending = 0
    with archive.transaction():
        try:
            for number, line in _lines(path, on_progress):
                try:
                    record = decode_line(line)
                    inputs, institution = record_inputs(record)
                except BadRecord as exc:
                    report.rejected.append(f"{path}:{number}: {exc}")
                    continue
                for item in inputs:
                    item.html = clean_html(item.html) if clean_html and item.html else None
                    book.meet(item, institution)
                    result = archive.add_statement(item)
                    if result.status == "new":
                        report.new += 1
                    elif result.status == "version":
                        report.versions += 1
                if result.status == "unchanged":
                    report.unchanged += 1
                collections, notes = library_bits(record)
                if collections or notes:
                    _restore_library(archive, result.archive_id, collections, notes)
                pending += 1
                if pending >= BATCH:
                    archive.commit_and_continue()
                    pending = 0
        except (OSError, EOFError) as exc:  # damaged file: keep every good line before it
            report.rejected.append(f"{path}: cannot read further ({exc})")
    return report


__all__ = ["import_jsonl", "parse_record", "ImportReport", "BadRecord"]
