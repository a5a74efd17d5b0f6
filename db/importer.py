"""Import statements from JSON Lines in the interchange schema (`.jsonl` or `.jsonl.gz`)."""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .archive import Archive
from .ids import archive_id_for
from .interchange import BadRecord, Record, decode
from .models import Source, StatementInput

BATCH = 500  # records per transaction: a crash loses at most one uncommitted batch


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
    the institution it names. Raises BadRecord with the reason (schema: `db.interchange`)."""
    return record_inputs(decode(line))


def record_inputs(record: Record) -> tuple[list[StatementInput], str | None]:
    """The statement inputs of one decoded record and the institution it names."""
    key = record.guid or _guid(record.origin) or record.url
    if record.id is not None and record.id != archive_id_for(record.source, key):
        raise BadRecord(
            f"'id' {record.id!r} is not the id of this source and guid/url "
            f"({archive_id_for(record.source, key)})"
        )
    versions = record.versions
    text = record.text
    if text is None and not versions:
        text = ""  # a published page with no text at all (image only)

    origin = record.origin
    base = dict(
        source_id=record.source,
        url=record.url,
        key=record.guid or _guid(origin),
        published=record.published_raw or record.published,
        published_iso=record.published,
        language=record.language,
        kind=record.kind,
        speaker=record.speaker,
        country=record.country,
        tags=list(record.tags),
        edition=record.edition,
    )
    inputs = [
        StatementInput(
            **base,
            text=v.text,
            title=v.title if v.title is not None else record.title,
            html=v.html,
            seen_at=v.seen_at,
            declared_modified=v.declared_modified,
            origin=v.origin or f"{origin or record.url} version {i}",
        )
        for i, v in enumerate(versions, 1)
    ]
    if text is not None:
        inputs.append(
            StatementInput(
                **base,
                text=text,
                title=record.title,
                html=record.html,
                origin=origin,
                seen_at=record.seen_at,
            )
        )
    return inputs, record.institution


class _Damaged(Exception):
    """The file cannot be read past this point (a damaged or truncated gzip stream)."""


_CHUNK = 64 * 1024


def _gunzip(raw) -> Iterator[bytes]:
    """Decompressed pieces of a gzip stream (several members allowed), as far as it can be
    read. On damage, everything decompressed before the bad byte is yielded first (the failing
    chunk is replayed byte by byte from a copy of the decompressor), then zlib.error/EOFError."""
    d = zlib.decompressobj(wbits=31)
    while True:
        chunk = raw.read(_CHUNK)
        if not chunk:
            if not d.eof:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            return
        while chunk:
            saved = d.copy()
            try:
                out = d.decompress(chunk)
            except zlib.error:
                d = saved
                for i in range(len(chunk)):
                    yield d.decompress(chunk[i : i + 1])  # raises at the bad byte
                raise  # pragma: no cover - the replay raised already
            yield out
            chunk = b""
            if d.eof:  # the next member, if any
                chunk = d.unused_data
                d = zlib.decompressobj(wbits=31)
                if not chunk:
                    chunk = raw.read(_CHUNK)
                    if not chunk:
                        return


def _raw_lines(path: Path, raw) -> Iterator[bytes]:
    if path.suffix != ".gz":
        yield from raw
        return
    rest = b""
    for piece in _gunzip(raw):
        rest += piece
        if b"\n" in piece:
            *complete, rest = rest.split(b"\n")
            for line in complete:
                yield line + b"\n"
    if rest:
        yield rest


def _lines(
    path: Path, on_progress: Callable[[int, int], None] | None
) -> Iterator[tuple[int, bytes]]:
    total = path.stat().st_size
    number = 0
    with path.open("rb") as raw:
        lines = _raw_lines(path, raw)
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except (OSError, EOFError, zlib.error) as exc:
                raise _Damaged(
                    f"{path}:{number + 1}: cannot read further, the file is damaged here "
                    f"({_plain(exc)}); the {number} lines before it were read"
                ) from None
            number += 1
            if on_progress is not None and number % 200 == 0:
                on_progress(raw.tell(), total)
            if line.strip():
                yield number, line
        if on_progress is not None:
            on_progress(total, total)


def _plain(exc: BaseException) -> str:
    """An exception's message without raw bytes or control characters."""
    text = str(exc) or type(exc).__name__
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


class _SourceBook:
    """Creates sources met in the records; a source whose records name several countries has none."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.forget()

    def forget(self) -> None:
        """Read the sources again (after a rolled-back record)."""
        self.country: dict[str, str | None] = {s.id: s.country for s in self.archive.sources()}
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
                    _import_line(archive, book, line, clean_html, report)
                except BadRecord as exc:
                    report.rejected.append(f"{path}:{number}: {exc}")
                    continue
                pending += 1
                if pending >= BATCH:
                    archive.commit_and_continue()
                    pending = 0
        except _Damaged as exc:  # keep every good line before the damage
            report.rejected.append(str(exc))
    archive.settle()
    return report


def _import_line(
    archive: Archive,
    book: _SourceBook,
    line: bytes,
    clean_html: Callable[[str], str] | None,
    report: ImportReport,
) -> None:
    """One record, all or nothing (a savepoint): a value the archive refuses rejects only it."""
    record = decode(line)
    inputs, institution = record_inputs(record)
    for item in inputs:
        item.html = _cleaned(item.html, clean_html)
    counts = ImportReport()
    conn = archive.conn
    conn.execute("SAVEPOINT import_line")
    try:
        for item in inputs:
            book.meet(item, institution)
            result = archive.add_statement(item)
            if result.status == "new":
                counts.new += 1
            elif result.status == "version":
                counts.versions += 1
        if result.status == "unchanged":
            counts.unchanged += 1
        if inputs and inputs[-1].edition:
            from .editions import set_key

            set_key(
                conn, inputs[-1].source_id, inputs[-1].key or inputs[-1].url, inputs[-1].edition
            )
        if record.collections or record.notes:
            _restore_library(archive, result.archive_id, record)
    except (sqlite3.IntegrityError, sqlite3.DataError, ValueError, OverflowError) as exc:
        _undo(conn)
        book.forget()
        raise BadRecord(f"refused by the archive ({_plain(exc)})") from None
    except sqlite3.OperationalError as exc:
        _undo(conn)
        if "too big" not in str(exc):  # disk full, read-only …: not this record's fault
            raise
        book.forget()
        raise BadRecord(f"refused by the archive ({_plain(exc)})") from None
    except BaseException:
        _undo(conn)
        raise
    conn.execute("RELEASE import_line")
    report.new += counts.new
    report.versions += counts.versions
    report.unchanged += counts.unchanged


def _restore_library(archive: Archive, archive_id: str, record: Record) -> None:
    """The researcher's collections and notes of an exported record (same note ids)."""
    from .library import Note, add_to_collection, restore_note

    for name in record.collections:
        add_to_collection(archive, name, [archive_id])
    for n in record.notes:
        restore_note(
            archive,
            Note(
                n.id,
                archive_id,
                n.body,
                n.created_at,
                n.updated_at or n.created_at,
                n.version,
                n.quote,
                n.start,
                n.end,
            ),
        )


def _undo(conn: sqlite3.Connection) -> None:
    """Roll the current record back (the batch before it stays)."""
    with contextlib.suppress(sqlite3.Error):  # the caller's error is the one to report
        conn.execute("ROLLBACK TO import_line")
        conn.execute("RELEASE import_line")


def _cleaned(html: str | None, clean_html: Callable[[str], str] | None) -> str | None:
    """The record's markup made safe, or None; a sanitiser failure rejects the record."""
    if not html or clean_html is None:
        return None
    try:
        return clean_html(html)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # nh3 panics are BaseExceptions (pyo3 PanicException)
        raise BadRecord(f"'html' cannot be made safe ({_plain(exc)})") from None


__all__ = ["import_jsonl", "parse_record", "record_inputs", "ImportReport", "BadRecord"]
