"""The interchange schema (one JSON object per line), declared once and enforced by msgspec.

Every record is decoded straight from its bytes into `Record`: invalid UTF-8, lone surrogates,
raw control bytes, wrong types (at any depth, e.g. `$.versions[0].html`), bad source ids,
URLs, language tags and dates are all rejected here with one reason, before anything reaches
the archive. Unknown keys are ignored (the shared corpora carry e.g. `commit` in versions).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import msgspec

from .normalise import parse_published

SOURCE_ID = r"^[a-z0-9][a-z0-9._-]{0,63}$"
LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
ABSOLUTE_URL = r"^[a-z][a-z0-9+.-]*:"

_PATTERNS = (
    ("source", re.compile(SOURCE_ID), "not a source id"),
    ("url", re.compile(ABSOLUTE_URL), "not an absolute URL"),
    ("language", re.compile(LANGUAGE), "not a BCP 47 tag"),
)


class BadRecord(ValueError):
    """One line that cannot be imported; the message is the reason."""


def _no_nul(owner: msgspec.Struct, where: str) -> None:
    for name in owner.__struct_fields__:
        value = getattr(owner, name)
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(f"'{where}{name}' contains a NUL character")


def seen_time(value: str, name: str) -> str:
    """A sighting time as stored: UTC, `YYYY-MM-DDTHH:MM:SSZ` (fraction kept if given).

    Stored times are compared as strings, so every one is written in this one form.
    """
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        dt = dt.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"'{name}' is not an ISO 8601 time: {value[:80]!r}") from None
    spec = "microseconds" if dt.microsecond else "seconds"
    return dt.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


class RecordVersion(msgspec.Struct):
    """An earlier text of the statement, oldest first."""

    text: str
    title: str | None = None
    html: str | None = None
    seen_at: str | None = None
    declared_modified: str | None = None
    origin: str | None = None  # where this version came from (an export keeps each one's own)

    def __post_init__(self) -> None:
        _no_nul(self, "versions[].")
        if self.seen_at is not None:
            self.seen_at = seen_time(self.seen_at, "versions[].seen_at")
        if self.declared_modified is not None and parse_published(self.declared_modified) is None:
            raise ValueError(
                f"'versions[].declared_modified' is not an ISO 8601 date: "
                f"{self.declared_modified[:80]!r}"
            )


class RecordNote(msgspec.Struct):
    """A researcher's note as `export` writes it (db/library.py), restored with the same id."""

    id: str
    body: str
    created_at: str
    updated_at: str | None = None
    version: int | None = None  # the version the passage was selected in
    quote: str | None = None
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        _no_nul(self, "notes[].")
        if not self.id.strip() or not self.body.strip():
            raise ValueError("'notes[]' needs a non-empty 'id' and 'body'")
        self.created_at = seen_time(self.created_at, "notes[].created_at")
        if self.updated_at is not None:
            self.updated_at = seen_time(self.updated_at, "notes[].updated_at")
        anchored = (self.quote, self.start, self.end)
        if any(v is not None for v in anchored) and (
            None in anchored or not 0 <= self.start <= self.end  # type: ignore[operator]
        ):
            raise ValueError("'notes[]' anchor needs 'quote', 'start' <= 'end' together")


class Record(msgspec.Struct):
    """One statement; `text` is its current text, `versions` its earlier ones."""

    source: str
    url: str = ""  # a record whose data set kept no address has none: `guid` or `origin` keys it
    text: str | None = None
    title: str | None = None
    html: str | None = None
    country: str | None = None
    institution: str | None = None
    published: str | None = None
    published_raw: str | None = None
    language: str | None = None
    kind: str | None = None
    speaker: str | None = None
    origin: str | None = None
    guid: str | None = None
    seen_at: str | None = None
    tags: list[str] = []
    versions: list[RecordVersion] = []
    edition: str | None = None  # key shared with its other-language editions ("kremlin:69390")
    # Written by `export` (db/export.py): the archive id (checked on import), the UTC time
    # (derived again from `published`), and the researcher's collections and notes.
    id: str | None = None
    published_utc: str | None = None
    collections: list[str] = []
    notes: list[RecordNote] = []

    def __post_init__(self) -> None:
        _no_nul(self, "")
        if not self.url:
            # Never invent an address: the key is the guid, else the origin (file and row).
            if not (self.guid or self.origin):
                raise ValueError("missing 'url' (a record without one needs 'guid' or 'origin')")
            self.url = ""
            if not self.guid and " guid=" in (self.origin or ""):
                self.guid = self.origin.split(" guid=", 1)[1].strip()
            self.guid = self.guid or self.origin
        if any("\x00" in tag for tag in self.tags):
            raise ValueError("'tags' contains a NUL character")
        if any(not name.strip() or "\x00" in name for name in self.collections):
            raise ValueError("'collections' must be a list of names")
        for name, pattern, meaning in _PATTERNS:
            value = getattr(self, name)
            if value and not pattern.match(value):
                raise ValueError(f"'{name}' is {meaning}: {value[:80]!r}")
        if self.published is not None and parse_published(self.published) is None:
            raise ValueError(f"'published' is not an ISO 8601 date: {self.published[:80]!r}")
        if self.seen_at is not None:
            self.seen_at = seen_time(self.seen_at, "seen_at")


_DECODER = msgspec.json.Decoder(Record)
_REQUIRED = ("source",)


def decode(line: bytes) -> Record:
    """The record of one line, or BadRecord with one reason (never a traceback)."""
    try:
        line.decode("utf-8")  # the whole line, ignored keys included (msgspec skips those)
    except UnicodeDecodeError as exc:
        raise BadRecord(f"not valid UTF-8 (byte {exc.start}: {_hex(line, exc)})") from None
    try:
        return _DECODER.decode(line)
    except msgspec.ValidationError as exc:
        raise BadRecord(_reason(str(exc))) from None
    except msgspec.DecodeError as exc:
        raise BadRecord(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise BadRecord("not valid JSON (nested too deeply)") from None


def _hex(line: bytes, exc: UnicodeDecodeError) -> str:
    """The offending bytes as hex (never raw: they could be terminal escapes)."""
    return " ".join(f"{b:02X}" for b in line[exc.start : min(exc.end, exc.start + 4)])


def _reason(message: str) -> str:
    """msgspec's messages, made to read like the rest of the command line."""
    for key in _REQUIRED:
        if message == f"Object missing required field `{key}`":
            return f"missing '{key}'"
    if message.startswith("Expected `object`, got") and " - at " not in message:
        return "not a JSON object"
    return message


__all__ = ["Record", "RecordVersion", "RecordNote", "BadRecord", "decode", "seen_time"]
