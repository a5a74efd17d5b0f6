"""Normalisation used to compare texts and dates; stored texts are never rewritten by it.

The text rule below is the only definition of noise in the project (archive and Compare)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from .scripts import CJK_CLASS

# ---------------------------------------------------------------------------------------------
# The noise rule, defined once. The archive adds a version exactly when the normal form changes,
# and Compare (compare/tokens.py tokenises with TOKEN_RE and compares token_key()s) reports a
# change exactly then too, because the normal form IS the sequence of Compare's token keys.
#
# A text is a sequence of tokens: words (letters/digits with their combining marks, apostrophes
# and invisible marks inside), single Chinese/Japanese characters, and single other visible
# characters (punctuation, symbols). Noise, never a change:
#   - whitespace of any kind and amount (NBSP, ideographic space, line breaks) where it only
#     separates tokens: "a , b" = "a, b", "中 国" = "中国", paragraph breaks moved;
#   - invisible format characters (ZWSP, ZWNJ, ZWJ, word joiner, LRM/RLM and other bidi
#     controls, BOM, soft hyphen): removed, so "ab<ZWSP>cd" = "abcd";
#   - the style of a quote or apostrophe: curly, low-9, acute, grave, prime, modifier letter,
#     fullwidth, guillemets: all single ones are ', all double ones ";
#   - Unicode canonical equivalence (NFC).
# Everything else is a change: another word, a word split or joined ("can not" vs "cannot"),
# letter case, punctuation added or removed.
# ---------------------------------------------------------------------------------------------

SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032\u2035\u00b4`\u02bc\u2039\u203a\uff07\uff40"
DOUBLE_QUOTES = '"\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e\u301f\uff02'
# Zero-width and format characters: soft hyphen, ZWSP/ZWNJ/ZWJ/LRM/RLM, bidi embeddings,
# word joiner and invisible operators, bidi isolates, BOM, Mongolian vowel separator.
INVISIBLE_CLASS = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Combining marks that belong to the letter before them (Latin/Greek/Cyrillic diacritics,
# Hebrew and Arabic points, Devanagari signs, kana voicing marks, combining half marks).
MARK_CLASS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0900-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962\u0963"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f"
)

_SINGLE_RE = re.compile(f"[{SINGLE_QUOTES[1:]}]")
_DOUBLE_RE = re.compile(f"[{DOUBLE_QUOTES[1:]}]")
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CLASS}]+")

# Runs of letters/digits (not CJK) or of combining marks: matching runs, not characters, keeps
# the pattern as fast as a plain \w+.
_LETTERS = f"(?:[^\\W{CJK_CLASS}]+|[{MARK_CLASS}]+)"
_WORD = (
    f"{_LETTERS}(?:{_LETTERS}|[{INVISIBLE_CLASS}]+{_LETTERS}"
    f"|[{INVISIBLE_CLASS}]*[{SINGLE_QUOTES}][{INVISIBLE_CLASS}]*{_LETTERS})*"
)
_CJK_CHAR = f"[{CJK_CLASS}][{MARK_CLASS}{INVISIBLE_CLASS}]*"
_OTHER = f"[^\\s{INVISIBLE_CLASS}{MARK_CLASS}][{MARK_CLASS}]*"
# Tokens: `cjk` one Chinese/Japanese character, `word` a word, `mark` any other visible character.
TOKEN_RE = re.compile(f"(?P<cjk>{_CJK_CHAR})|(?P<word>{_WORD})|(?P<mark>{_OTHER})")
_TOKENS_RE = re.compile(f"{_CJK_CHAR}|{_WORD}|{_OTHER}")  # the same, without groups
# In a text without CJK characters, combining marks or invisible characters, the same tokens
# come from a much simpler pattern (a third faster on the sample): check, then use it.
_SPECIAL_RE = re.compile(f"[{CJK_CLASS}{MARK_CLASS}{INVISIBLE_CLASS}]")
_PLAIN_TOKENS_RE = re.compile(f"\\w+(?:[{SINGLE_QUOTES}]\\w+)*|\\S")


def fold_quotes(text: str) -> str:
    """Replace every single quote/apostrophe variant by ' and every double one by "."""
    return _DOUBLE_RE.sub('"', _SINGLE_RE.sub("'", text))


def token_key(token: str) -> str:
    """What a token is compared by: invisible marks removed, quotes folded, NFC."""
    if token.isascii():
        return token.replace("`", "'")
    token = fold_quotes(_INVISIBLE_RE.sub("", token))
    return token if unicodedata.is_normalized("NFC", token) else unicodedata.normalize("NFC", token)


def normalise_text(text: str) -> str:
    """The normal form that decides "changed or not": the token keys joined by one space.

    Same result as " ".join(token_key(t) for t in tokens), computed on the joined string at
    once (a space never composes under NFC, so per-token and whole-string NFC agree)."""
    tokens = _TOKENS_RE if _SPECIAL_RE.search(text) else _PLAIN_TOKENS_RE
    return token_key(" ".join(tokens.findall(text)))


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
    "token_key",
    "fold_quotes",
    "TOKEN_RE",
    "INVISIBLE_CLASS",
    "text_hash",
    "utc_now",
    "parse_published",
    "bound_timestamp",
    "PublishedDate",
]
