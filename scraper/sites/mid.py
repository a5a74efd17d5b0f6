"""mid.ru (Russian MFA): briefings open with a table of contents and repeat "back to contents".

Both are navigation, not the statement: paragraphs headed "Содержание"/"Contents", paragraphs
and list items made only of in-page links (`href="#…"`), and "Назад к оглавлению"/"Back to
contents" links are removed (NOTES.md: documented markup, no capture).
"""

from __future__ import annotations

import re

from lxml import etree

from scraper.extract.html_clean import drop_element, element_text
from scraper.sites import SiteRules, register

_TOC_HEADING = re.compile(r"^\s*(Содержание|Contents|Table of contents)\s*:?\s*$", re.IGNORECASE)
_BACK = re.compile(r"^\s*(Назад к оглавлению|Back to (the )?contents|К оглавлению)\s*$", re.I)
_BLOCKS = ("p", "li", "ul", "ol", "div", "h2", "h3", "h4", "strong", "b")


def _in_page_links_only(el: etree._Element) -> bool:
    """Whether every word of the element is inside links to anchors on the same page."""
    links = el.xpath(".//a[starts-with(normalize-space(@href), '#')]")
    if not links:
        return False
    linked = "".join(element_text(a) for a in links)
    return "".join(element_text(el).split()) == "".join(linked.split())


@register("ru-mfa", "ru-mfa-en")
class Mid(SiteRules):
    def clean(self, body: etree._Element) -> None:
        for a in list(body.iter("a")):
            if _BACK.match(element_text(a)):
                parent = a.getparent()
                drop_element(a)
                while (
                    parent is not None and parent is not body and not element_text(parent).strip()
                ):
                    up = parent.getparent()
                    drop_element(parent)
                    parent = up
        for el in list(body.iter(*_BLOCKS)):
            if el.getparent() is None:
                continue  # already removed with an ancestor
            if _TOC_HEADING.match(element_text(el)) or _in_page_links_only(el):
                drop_element(el)
