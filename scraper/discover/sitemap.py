"""XML sitemaps and sitemap indexes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from scraper.discover import DiscoveryError, Entry
from scraper.exchange import Exchange

_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_sitemap(exchange: Exchange) -> tuple[list[Entry], list[str]]:
    """(page entries, child sitemap URLs) of a sitemap or sitemap index."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(exchange.body, parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"{exchange.url}: not a readable sitemap: {exc}") from None
    tag = etree.QName(root).localname
    entries, children = [], []
    for node in root:
        loc = node.findtext(f"{_NS}loc") or node.findtext("loc")
        if not loc:
            continue
        if tag == "sitemapindex":
            children.append(loc.strip())
        else:
            lastmod = node.findtext(f"{_NS}lastmod") or node.findtext("lastmod")
            entries.append(Entry(url=loc.strip(), modified=lastmod, exchange=exchange))
    return entries, children


def discover(
    url: str, get: Callable[[str], Exchange | None], *, max_pages: int | None = None
) -> Iterator[Entry]:
    """Pages listed by a sitemap, following an index to at most `max_pages` child sitemaps."""
    queue, seen, fetched = [url], {url}, 0
    while queue and (max_pages is None or fetched < max_pages):
        exchange = get(queue.pop(0))
        fetched += 1
        if exchange is None:
            continue
        entries, children = parse_sitemap(exchange)
        yield from entries
        for child in children:
            if child not in seen:
                seen.add(child)
                queue.append(child)
