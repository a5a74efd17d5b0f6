"""fmprc.gov.cn (Chinese MFA): listing page count in inline JS, dates and speakers from titles."""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from scraper.extract.dates import parse_date
from scraper.sites import SiteRules, register

_COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_EN = re.compile(
    r"Spokesperson\s+(?P<name>[A-Z][\w.\- ]+?)['’]s\s+(?P<what>[^,]*?)"
    r"(?:\s+on\s+(?P<date>[A-Z][a-z]+\.?\s*\d{1,2}(?:,\s*\d{4})?))?\s*$"
)
_ZH = re.compile(
    r"^(?P<date>\d{4}年\d{1,2}月\d{1,2}日)?外交部发言人"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?=就|答|主持|表明|发表|宣布|应询|称)"
)
# Uploaded images are named after their upload day: W020180914….jpg
_IMAGE_DAY = re.compile(r"W0(20\d{2})(\d{2})(\d{2})\d{6,}")
_MONTHS = {
    m: n
    for n, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
}


def _year_from_images(html: str, month: int, day: int) -> int | None:
    """The year of an image uploaded on the title's month and day (titles that omit the year)."""
    for y, m, d in _IMAGE_DAY.findall(html):
        if int(m) == month and int(d) == day:
            return int(y)
    return None


@register("cn-mfa-en", "cn-mfa-zh")
class Fmprc(SiteRules):
    def page_count(self, root: etree._Element, text: str) -> int | None:
        match = _COUNT.search(text)
        return int(match.group(1)) if match else None

    def refine(self, fields: dict, root: etree._Element, url: str) -> dict:
        title = fields.get("title") or ""
        en = _EN.search(title)
        zh = _ZH.search(title)
        match = en or zh
        if not match:
            return fields
        fields["speaker"] = " ".join(match.group("name").split())
        raw = match.group("date")
        if not raw or not (en or not fields.get("published_raw")):
            return fields
        fields["published_raw"] = raw
        if en and "," not in raw:
            month_name, day = re.match(r"([A-Za-z]+)\.?\s*(\d{1,2})", raw).groups()
            month = _MONTHS.get(month_name.lower())
            year = _year_from_images(fields.get("html") or "", month, int(day)) if month else None
            fields["published"] = date(year, month, int(day)).isoformat() if year else None
        else:
            fields["published"] = parse_date(raw, ["en"] if en else ["zh"])
        return fields
