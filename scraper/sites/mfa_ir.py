"""mfa.ir / en.mfa.ir (HighCMS): the title is the first `h4` inside the body block."""

from __future__ import annotations

from lxml import etree

from scraper.extract.html_clean import drop_element
from scraper.sites import SiteRules, register


@register("ir-mfa-en", "ir-mfa-fa")
class MfaIr(SiteRules):
    def clean(self, body: etree._Element) -> None:
        heading = body.find(".//h4")
        if heading is not None:
            drop_element(heading)
