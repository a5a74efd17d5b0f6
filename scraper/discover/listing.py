"""Paged HTML listings: `listing = "…{page}…"` plus a `links` selector for article links."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urldefrag, urljoin

from scraper.discover import Entry
from scraper.exchange import Exchange
from scraper.extract import rules
from scraper.extract.dates import pick_date
from scraper.extract.html_clean import parse_html
from scraper.sites import rules_for
from scraper.sources import SourceConfig

DEFAULT_MAX_PAGES = 10


def page_urls(source: SourceConfig, count: int) -> list[str]:
    """Listing page URLs: `listing_first` (if any) then `listing` with page 1, 2, …"""
    urls = [source.listing_first] if source.listing_first else []
    start = 1 if source.listing_first else 0
    while len(urls) < count:
        urls.append(source.listing.format(page=start))  # type: ignore[union-attr]
        start += 1
    return urls


def links_on(source: SourceConfig, exchange: Exchange) -> tuple[list[Entry], int | None]:
    """(article entries in page order, the page count the page declares if any)."""
    text = exchange.text()
    root = parse_html(text, base_url=exchange.url)
    out, seen = [], set()
    for match in rules.select(root, source.links):
        href = match if isinstance(match, str) else match.get("href")
        if not href:
            continue
        url = urldefrag(urljoin(exchange.url, href.strip()))[0]
        if url in seen or not url.startswith(("http://", "https://")):
            continue
        seen.add(url)
        title = None if isinstance(match, str) else " ".join(match.text_content().split()) or None
        published = None
        if source.listing_date and not isinstance(match, str):
            # Relative to the link; a relative date ("1 день назад") yields to an absolute one.
            published = pick_date(rules.all_texts(match, source.listing_date))
        out.append(Entry(url=url, title=title, published=published, exchange=exchange))
    site = rules_for(source.id)
    return out, site.page_count(root, text) if site else None


def discover(
    source: SourceConfig,
    get: Callable[[str], Exchange | None],
    missing: Callable[[str], bool],
    known: Callable[[str], bool] | None = None,
) -> Iterator[Entry]:
    """Articles linked from the listing pages, newest page first.

    Stops at `max_pages`, at the page count the site declares, (when it declares none) at the
    first page that fails or adds no new link, and at a page whose links are all `known` (already
    archived: the rest was crawled before). `missing(url)` tells a page absent from a replayed
    WARC, which is skipped rather than ending the listing when the count is known.
    """
    limit = source.max_pages or DEFAULT_MAX_PAGES
    declared: int | None = None
    seen: set[str] = set()
    page = 0
    while page < min(limit, declared or limit):
        url = page_urls(source, page + 1)[page]
        exchange = get(url)
        page += 1
        if exchange is None:
            if declared is not None and missing(url):
                continue
            return
        entries, count = links_on(source, exchange)
        if count:
            declared = count
        new = [e for e in entries if e.url not in seen]
        if not new and declared is None:
            return
        # Decided before yielding: the entries yielded are archived while this generator waits.
        all_known = bool(new) and known is not None and all(known(e.url) for e in new)
        for entry in new:
            seen.add(entry.url)
            yield entry
        if all_known:
            return
