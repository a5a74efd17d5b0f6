"""Published dates: the original string is kept, a normalised ISO form keeps its zone.

Per source, `calendar = "jalali"` reads Solar Hijri dates (Persian or Latin digits, month names
or numbers) and `timezone = "Europe/Moscow"` gives a wall-clock time its zone by the zone rules,
overriding a wrong offset the site writes (kremlin.ru's feed still says +04:00, Moscow has been
UTC+3 since 2014). Relative dates ("1 день назад") are not dates: `is_relative` tells them so the
caller can use the absolute value the page also carries.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HAS_TIME = re.compile(r"\d{1,2}[:：]\d{2}|\d{1,2}\s*(a\.?m\.?|p\.?m\.?)|\d+时", re.IGNORECASE)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits read as ASCII digits.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_JALALI_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("فروردین",),
            ("اردیبهشت",),
            ("خرداد",),
            ("تیر",),
            ("مرداد", "امرداد"),
            ("شهریور",),
            ("مهر",),
            ("آبان", "ابان"),
            ("آذر", "اذر"),
            ("دی",),
            ("بهمن",),
            ("اسفند",),
        ),
        1,
    )
    for name in names
}
_JALALI_LATIN = {  # transliterated, as English editions of Iranian sites write them
    name: n
    for n, name in enumerate(
        (
            "farvardin",
            "ordibehesht",
            "khordad",
            "tir",
            "mordad",
            "shahrivar",
            "mehr",
            "aban",
            "azar",
            "dey",
            "bahman",
            "esfand",
        ),
        1,
    )
}
_JALALI_NUMERIC = re.compile(r"(1[34]\d\d)\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_JALALI_NAMED = re.compile(r"(\d{1,2})\s+([^\W\d_]+(?:\u200c[^\W\d_]+)?)\s+(1[34]\d\d)")
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:：](\d{2})(?::(\d{2}))?(?!\d)")
_RELATIVE = re.compile(
    r"\b(ago|yesterday|today|just now)\b|назад|вчера|сегодня|тому|вчора|сьогодні|"
    r"پیش|دیروز|امروز|前|昨天|今天|il y a|hier|aujourd",
    re.IGNORECASE,
)
CALENDARS = ("gregorian", "jalali")
_DEFAULT_ZONE = {"jalali": "Asia/Tehran"}


def _iso(dt: datetime, with_time: bool) -> str:
    if not with_time:
        return dt.date().isoformat()
    return dt.isoformat(timespec="seconds")


def is_relative(raw: str | None) -> bool:
    """Whether a date string is relative to the day it was shown ("1 день назад", "2 hours ago")."""
    return bool(raw and _RELATIVE.search(raw))


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError names it when the zone rules do not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like 'Europe/Moscow')"
        ) from None


def in_zone(iso: str | None, timezone: str | None) -> str | None:
    """An ISO date-time given its zone's offset by the zone rules.

    A time without offset, or with an offset other than the zone's at that wall-clock time, is
    read as wall-clock time in the zone (sites write stale offsets); a UTC time is converted.
    Dates without a time are returned unchanged.
    """
    if not iso or not timezone or "T" not in iso:
        return iso
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    tz = zone(timezone)
    if dt.tzinfo is not None and dt.utcoffset() == timedelta(0):
        return dt.astimezone(tz).isoformat(timespec="seconds")
    return dt.replace(tzinfo=None).replace(tzinfo=tz).isoformat(timespec="seconds")


def parse_jalali(raw: str, timezone: str | None = None) -> str | None:
    """A Solar Hijri date (`۱۱ آبان ۱۴۰۱`, `1401/08/12 - 10:30`) as Gregorian ISO 8601."""
    import jdatetime

    value = raw.translate(_DIGITS).replace("\u200c", " ")
    numeric = _JALALI_NUMERIC.search(value)
    if numeric:
        year, month, day = (int(g) for g in numeric.groups())
        rest = value[numeric.end() :]
    else:
        named = _JALALI_NAMED.search(value)
        if not named:
            return None
        month_name = named.group(2)
        month = _JALALI_MONTHS.get(month_name) or _JALALI_LATIN.get(month_name.lower())
        if month is None:
            return None
        day, year = int(named.group(1)), int(named.group(3))
        rest = value[named.end() :]
    try:
        day_g: date = jdatetime.date(year, month, day).togregorian()
    except ValueError:
        return None
    clock = _TIME.search(rest)
    if not clock:
        return day_g.isoformat()
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return day_g.isoformat()
    naive = datetime(day_g.year, day_g.month, day_g.day, hour, minute, second)
    tz = zone(timezone or _DEFAULT_ZONE["jalali"])
    return naive.replace(tzinfo=tz).isoformat(timespec="seconds")


def parse_date(
    raw: str | None,
    languages: list[str] | None = None,
    date_order: str | None = None,
    *,
    calendar: str | None = None,
    timezone: str | None = None,
) -> str | None:
    """ISO 8601 for a date in any language: offset kept when given, date only when no time.

    `calendar="jalali"` reads Solar Hijri dates; `timezone` (IANA) decides the offset of a time
    of day by the zone rules (see `in_zone`). Relative dates give None.
    """
    if not raw or not raw.strip():
        return None
    value = " ".join(raw.split())
    if calendar == "jalali":
        found = parse_jalali(value, timezone)
        if found is not None:
            return found
    if is_relative(value):
        return None
    value = value.translate(_DIGITS)
    return in_zone(_parse_gregorian(value, languages, date_order), timezone)


def _parse_gregorian(value: str, languages: list[str] | None, date_order: str | None) -> str | None:
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


def join_date_time(date_raw: str | None, time_raw: str | None) -> str | None:
    """A date and a time of day printed in separate elements, as one string ("2020-08-27 15:20").

    The time is added only when the date carries none and the time looks like one.
    """
    if not date_raw or not time_raw or _HAS_TIME.search(date_raw):
        return date_raw
    clock = _TIME.search(time_raw.translate(_DIGITS))
    if not clock:
        return date_raw
    return f"{date_raw} {time_raw.strip()}"


def pick_date(candidates: list[str]) -> str | None:
    """The first candidate that is an absolute date (a relative one yields to the next)."""
    for candidate in candidates:
        if candidate and candidate.strip() and not is_relative(candidate):
            return candidate
    return candidates[0] if candidates else None
