"""Extract one statement from an article page: site rules, selectors, then trafilatura."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml import etree

from scraper.extract import rules
from scraper.extract.dates import join_date_time, parse_date, pick_date
from scraper.extract.generic import generic_extract
from scraper.extract.html_clean import (
    drop_element,
    element_html,
    element_text,
    html_to_text,
    parse_html,
)
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
    language: str | None = None  # the page's own language, with `language_from_page`
    kind: str | None = None  # when the page says it (GOV.UK's document type)


class ExtractError(Exception):
    """A page that yields no statement; the message says why."""


_LANGUAGE_ALIASES = {"ua": "uk"}  # president.gov.ua declares lang="ua"; the BCP 47 code is uk


def page_language(root: etree._Element) -> str | None:
    """The language the page declares on <html lang>, as a BCP 47 code (ua is read as uk)."""
    declared = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    code = declared.strip().replace("_", "-")
    if not code:
        return None
    primary, _, rest = code.partition("-")
    primary = _LANGUAGE_ALIASES.get(primary.lower(), primary.lower())
    return f"{primary}-{rest}" if rest else primary


def source_date(source: SourceConfig, raw: str | None, page_lang: str | None = None) -> str | None:
    """ISO 8601 of a date as this source writes it (its language, order, calendar and zone)."""
    if not raw:
        return None
    languages = [source.language]
    if page_lang and page_lang.split("-")[0] != source.language:
        languages.append(page_lang.split("-")[0])
    return parse_date(
        raw,
        languages,
        source.date_order,
        calendar=source.calendar,
        timezone=source.timezone,
    )


def strip_furniture(source: SourceConfig, root: etree._Element) -> None:
    """Remove what the source's `strip` selectors match (name tooltips, media blocks)."""
    for selector in source.strip:
        for match in rules.select(root, selector):
            if not isinstance(match, str):
                drop_element(match)


def clean_fragment(source: SourceConfig, html: str) -> str:
    """Feed or API content with the source's furniture removed (unchanged when it has none)."""
    site = rules_for(source.id)
    if not html.strip() or (not source.strip and site is None):
        return html
    root = parse_html(html)
    body = root.find("body")
    body = body if body is not None else root
    strip_furniture(source, body)
    if site is not None:
        site.clean(body)
    return element_html(body)


def _from_site(source: SourceConfig, fields: dict, url: str) -> Extracted:
    """A statement from the fields site rules read straight from the page (GOV.UK's JSON)."""
    html = clean_fragment(source, fields.get("html") or "")
    text = html_to_text(html)
    if not text.strip():
        raise ExtractError("the page has no statement text")
    raw = fields.get("published_raw")
    return Extracted(
        title=" ".join((fields.get("title") or "").split()) or None,
        text=text,
        html=sanitise_html(html),
        published_raw=raw,
        published=source_date(source, raw),
        speaker=fields.get("speaker"),
        language=fields.get("language"),
        kind=fields.get("kind"),
    )


def extract_page(source: SourceConfig, page_text: str, url: str) -> Extracted:
    """Title, date, speaker, text and sanitised HTML of an article page."""
    site = rules_for(source.id)
    direct = site.extract(page_text, url) if site is not None else None
    if direct is not None:
        return _from_site(source, direct, url)
    root = parse_html(page_text, base_url=url)
    strip_furniture(source, root)  # page furniture inside the body (name tooltips, media)
    language = page_language(root) if source.language_from_page else None
    title = rules.first_text(root, source.title)
    date_raw = pick_date(rules.all_texts(root, source.date))
    date_raw = join_date_time(date_raw, rules.first_text(root, source.time))
    speaker = rules.first_text(root, source.speaker)
    body = None
    body_el = rules.first_element(root, source.body) if source.body else None
    if body_el is not None:
        if site is not None:
            site.clean(body_el)
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
        "published": source_date(source, date_raw, language),
        "speaker": speaker,
    }
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
        language=language,
    )
