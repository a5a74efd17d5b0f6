"""Normalisation used to compare texts and dates; stored texts are never rewritten by it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

_QUOTES = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201a", "'"),
    ("\u201b", "'"),
    ("\u2032", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u201f", '"'),
    ("\u2033", '"'),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
)
# Invisible marks (zero-width space, word joiner, BOM): removed before comparing.
_INVISIBLE = ("\u200b", "\u2060", "\ufeff")


def normalise_text(text: str) -> str:
    """The text as compared for change detection: NFC, one space per whitespace run, straight quotes."""
    text = unicodedata.normalize("NFC", text)
    for mark in _INVISIBLE:
        if mark in text:
            text = text.replace(mark, "")
    for curly, straight in _QUOTES:
        if curly in text:
            text = text.replace(curly, straight)
    return " ".join(text.split())  # every Unicode space, NBSP included, becomes one space


def text_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PublishedDate:
    """A published time normalised: ISO in the source's offset, UTC, offset and a sort key."""

    __slots__ = ("iso", "utc", "offset_minutes", "timestamp")

    def __init__(self, iso: str, utc: str, offset_minutes: int | None, timestamp: int) -> None:
        self.iso = iso
        self.utc = utc
        self.offset_minutes = offset_minutes
        self.timestamp = timestamp


_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _from_date(d: date, iso: str) -> PublishedDate:
    ts = int((datetime(d.year, d.month, d.day, tzinfo=UTC) - _EPOCH).total_seconds())
    return PublishedDate(iso, iso, None, ts)


def _from_datetime(dt: datetime) -> PublishedDate:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    offset = dt.utcoffset() or timedelta(0)
    iso = dt.isoformat(timespec="seconds")
    utc = dt.astimezone(UTC)
    return PublishedDate(
        iso,
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        int(offset.total_seconds() // 60),
        int((utc - _EPOCH).total_seconds()),
    )


def parse_published(value: str | None) -> PublishedDate | None:
    """Parse ISO 8601 (year, month, date or date-time) or RFC 2822; None when unparseable."""
    if not value:
        return None
    value = value.strip()
    try:
        if _YEAR.match(value):
            return _from_date(date(int(value), 1, 1), value)
        if _MONTH.match(value):
            return _from_date(date(int(value[:4]), int(value[5:]), 1), value)
        if len(value) == 10 and value[4] == "-":
            return _from_date(date.fromisoformat(value), value)
        return _from_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except (ValueError, OverflowError):  # OverflowError: beyond year 1..9999 once in UTC
        pass
    try:
        return _from_datetime(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def bound_timestamp(value: str, *, end: bool) -> int:
    """Epoch seconds for a --since/--until bound; a date-only `until` covers the whole day."""
    parsed = parse_published(value)
    if parsed is None:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM, YYYY-MM-DD or ISO 8601)")
    if not end or parsed.offset_minutes is not None:
        return parsed.timestamp
    d = value.strip()
    start = datetime.fromtimestamp(parsed.timestamp, UTC)
    if _YEAR.match(d):
        nxt = start.replace(year=start.year + 1)
    elif _MONTH.match(d):
        nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        nxt = start + timedelta(days=1)
    return int((nxt - _EPOCH).total_seconds()) - 1


__all__ = [
    "normalise_text",
    "text_hash",
    "utc_now",
    "parse_published",
    "bound_timestamp",
    "PublishedDate",
]
