"""Extract one statement from an article page: site rules, selectors, then trafilatura."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scraper.extract import rules
from scraper.extract.dates import parse_date
from scraper.extract.generic import generic_extract
from scraper.extract.html_clean import element_html, element_text, parse_html
from scraper.extract.sanitise import sanitise_html
from scraper.sites import rules_for
from scraper.sources import SourceConfig

log = logging.getLogger("communique.scraper")


@dataclass
class Extracted:
    """The fields of one statement found on a page."""

    title: str | None
    text: str
    html: str | None
    published_raw: str | None
    published: str | None
    speaker: str | None
    generic: bool = False  # True when trafilatura had to step in


class ExtractError(Exception):
    """A page that yields no statement; the message says why."""


def extract_page(source: SourceConfig, page_text: str, url: str) -> Extracted:
    """Title, date, speaker, text and sanitised HTML of an article page."""
    root = parse_html(page_text, base_url=url)
    title = rules.first_text(root, source.title)
    date_raw = rules.first_text(root, source.date)
    speaker = rules.first_text(root, source.speaker)
    body = None
    body_el = rules.first_element(root, source.body) if source.body else None
    if body_el is not None:
        body_el.make_links_absolute(url, resolve_base_href=False, handle_failures="ignore")
        body = element_text(body_el), element_html(body_el)
    generic = False
    if body is None:
        found = generic_extract(page_text, url)
        if found is None:
            raise ExtractError("no statement text found on the page")
        log.warning("%s: %s: selectors found no body; used the generic extractor", source.id, url)
        generic = True
        body = found["text"], found["html"]
        title = title or found["title"]
        date_raw = date_raw or found["date"]
    if not title:
        title = rules.first_text(root, "//title")
    fields = {
        "title": title,
        "text": body[0],
        "html": body[1],
        "published_raw": date_raw,
        "published": parse_date(date_raw, [source.language], source.date_order)
        if date_raw
        else None,
        "speaker": speaker,
    }
    site = rules_for(source.id)
    if site is not None:
        fields = site.refine(fields, root, url)
    if not fields["text"].strip():
        raise ExtractError("the page has no statement text")
    return Extracted(
        title=fields["title"],
        text=fields["text"],
        html=sanitise_html(fields["html"] or ""),
        published_raw=fields["published_raw"],
        published=fields["published"],
        speaker=fields["speaker"],
        generic=generic,
    )
