"""RSS and Atom feeds (feedparser), content taken exactly as published."""

from __future__ import annotations

import feedparser

from scraper.discover import DiscoveryError, Entry
from scraper.exchange import Exchange


def _content(entry) -> str | None:
    """The full content of an entry (content:encoded / atom:content), if the feed carries it."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if value and value.strip():
            return value
    return None


def _declared_update(item) -> str | None:
    """Atom `updated` when it differs from `published` (feedparser copies pubDate into it)."""
    updated, published = dict.get(item, "updated"), dict.get(item, "published")
    if updated and published and updated != published:
        return updated
    return None


def parse_feed(exchange: Exchange) -> list[Entry]:
    """Entries of a feed response, in feed order."""
    parsed = feedparser.parse(
        exchange.body,
        response_headers={
            "content-type": exchange.header("Content-Type") or "application/xml",
            "content-location": exchange.url,
        },
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", "not a feed")
        raise DiscoveryError(f"{exchange.url}: not a readable RSS/Atom feed: {reason}")
    out = []
    for item in parsed.entries:
        link = item.get("link") or ""
        key = item.get("id") or link or None
        if not link and not key:
            continue
        categories = [t.get("term", "") for t in item.get("tags") or [] if t.get("term")]
        out.append(
            Entry(
                url=link or key,
                key=key,
                title=" ".join((item.get("title") or "").split()) or None,
                published=dict.get(item, "published") or dict.get(item, "updated"),
                modified=_declared_update(item),
                html=_content(item),
                summary=item.get("summary"),
                categories=categories,
                creator=item.get("author"),
                exchange=exchange,
            )
        )
    return out
