"""Published dates: the original string is kept, a normalised ISO form keeps its zone."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HAS_TIME = re.compile(r"\d{1,2}[:：]\d{2}|\d{1,2}\s*(a\.?m\.?|p\.?m\.?)|\d+时", re.IGNORECASE)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _iso(dt: datetime, with_time: bool) -> str:
    if not with_time:
        return dt.date().isoformat()
    return dt.isoformat(timespec="seconds")


def parse_date(
    raw: str | None, languages: list[str] | None = None, date_order: str | None = None
) -> str | None:
    """ISO 8601 for a date in any language: offset kept when given, date only when no time."""
    if not raw or not raw.strip():
        return None
    value = " ".join(raw.split())
    if _ISO_DATE.match(value):
        return value
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat(timespec="seconds")
    except (TypeError, ValueError, IndexError):
        pass
    cjk = _CJK_DATE.search(value)
    if cjk and not _HAS_TIME.search(value):
        y, m, d = (int(g) for g in cjk.groups())
        try:
            return datetime(y, m, d).date().isoformat()
        except ValueError:
            return None
    import dateparser  # slow to import; only needed for the unusual formats

    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if date_order:
        settings["DATE_ORDER"] = date_order
    try:
        parsed = dateparser.parse(value, languages=languages or None, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if parsed is None:
        return None
    return _iso(parsed, bool(_HAS_TIME.search(value)))
