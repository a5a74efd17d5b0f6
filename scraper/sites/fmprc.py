"""fmprc.gov.cn (Chinese MFA): listing page count in inline JS, dates and speakers from titles."""

from __future__ import annotations

import re

from lxml import etree

from scraper.extract.dates import parse_date
from scraper.sites import SiteRules, register

_COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_EN = re.compile(r"Spokesperson\s+(?P<name>[A-Z][\w.\- ]+?)['’]s\s+Regular\s+Press\s+Conference"
                 r"(?:\s+on\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4}))?")
_ZH = re.compile(r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日)外交部发言人(?P<name>.+?)主持例行记者会")


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
        if match:
            fields["speaker"] = " ".join(match.group("name").split())
            raw = match.group("date")
            if raw and not fields.get("published_raw"):
                fields["published_raw"] = raw
                fields["published"] = parse_date(raw, ["en"] if en else ["zh"])
        return fields
