"""kremlin.ru and en.kremlin.ru: the lead paragraph above the body belongs to the statement.

The page prints the lead (`div.read__lead`) apart from the body; the site's own Atom feed puts
both in `content`, so the page's statement is lead then body, as the feed has it.
"""

from __future__ import annotations

from lxml import etree

from scraper.extract import rules
from scraper.extract.html_clean import element_html, element_text
from scraper.sites import SiteRules, register

_LEAD = "div.read__lead"


@register("ru-kremlin", "ru-kremlin-en")
class Kremlin(SiteRules):
    def refine(self, fields: dict, root: etree._Element, url: str) -> dict:
        lead = rules.first_element(root, _LEAD)
        if lead is None or not fields.get("text"):
            return fields
        lead_text = element_text(lead).strip()
        if lead_text and not fields["text"].startswith(lead_text):
            fields["text"] = f"{lead_text}\n\n{fields['text']}"
            fields["html"] = f"<p>{element_html(lead).strip()}</p>" + (fields["html"] or "")
        return fields
