"""RSS and Atom feeds (feedparser), content taken exactly as published."""

from __future__ import annotations

import html
import re

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


_ITEM = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(item|entry)(?:\s[^>]*)?>.*?</(?:[\w.-]+:)?\1\s*>", re.S
)
_GUID = re.compile(rb"<(?:guid|id)(?:\s[^>]*)?>\s*(.*?)\s*</(?:guid|id)>", re.S)
_LINK = re.compile(
    rb"<link(?:\s[^>]*)?>\s*([^<]+?)\s*</link>|<link\b[^>]*\bhref\s*=\s*[\"']([^\"']+)", re.S
)


def _parse(body: bytes, exchange: Exchange):
    return feedparser.parse(
        body,
        response_headers={
            "content-type": exchange.header("Content-Type") or "application/xml",
            "content-location": exchange.url,
        },
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _text(raw: bytes | None) -> str | None:
    if not raw:
        return None
    value = raw.decode("utf-8", "replace")
    if value.startswith("<![CDATA[") and value.endswith("]]>"):
        value = value[9:-3]
    return html.unescape(value).strip() or None


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _invalid(ref: re.Match) -> bool:
    value = int(ref.group(1), 16) if ref.group(1) else int(ref.group(2))
    return value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF


def _neutralise(markup: bytes) -> bytes:
    """Invalid character references replaced by U+FFFD's (for the channel's own metadata only:
    items are never altered, a bad one is recorded as a failure)."""
    return _CHARREF.sub(lambda m: b"&#65533;" if _invalid(m) else m.group(0), markup)


def _bad_reference(item: bytes) -> str | None:
    """The first character reference naming no character (a surrogate, NUL, beyond U+10FFFF)."""
    for ref in _CHARREF.finditer(item):
        if _invalid(ref):
            return f"invalid character reference {ref.group(0).decode()}"
    return None


def _item_by_item(exchange: Exchange, error: Exception) -> list:
    """When the parser raises on the whole feed (feedparser does on `&#55296;`, an invalid
    character reference), parse each item on its own: the good ones are kept and each bad one
    becomes an entry whose `error` says why (the crawl records it as that item's failure)."""
    body = exchange.body
    items = list(_ITEM.finditer(body))
    if not items:
        raise DiscoveryError(
            f"{exchange.url}: not a readable RSS/Atom feed: {type(error).__name__}: {error}"
        )
    # A bad reference in the channel's title would otherwise cost every item.
    head, tail = _neutralise(body[: items[0].start()]), _neutralise(body[items[-1].end() :])
    out: list = []
    for number, match in enumerate(items, 1):
        try:
            parsed = _parse(head + match.group(0) + tail, exchange)
            out.extend(parsed.entries)
        except Exception as exc:  # noqa: BLE001 - feedparser raises anything on bad input
            link_match = _LINK.search(match.group(0))
            link = _text(link_match and (link_match.group(1) or link_match.group(2)))
            guid_match = _GUID.search(match.group(0))
            key = _text(guid_match.group(1) if guid_match else None) or link
            reason = _bad_reference(match.group(0)) or f"{type(exc).__name__}: {str(exc)[:120]}"
            out.append(
                Entry(
                    url=link or key or f"{exchange.url}#item-{number}",
                    key=key,
                    exchange=exchange,
                    error=f"feed item {number} at byte {match.start()} of {exchange.url} "
                    f"cannot be read ({reason})",
                )
            )
    return out


def parse_feed(exchange: Exchange) -> list[Entry]:
    """Entries of a feed response, in feed order; an unreadable item is an entry with `error`."""
    try:
        parsed = _parse(exchange.body, exchange)
        items = parsed.entries
    except Exception as exc:  # noqa: BLE001 - one bad item must not cost the others
        items = _item_by_item(exchange, exc)
    else:
        if parsed.bozo and not parsed.entries:
            reason = getattr(parsed, "bozo_exception", "not a feed")
            raise DiscoveryError(f"{exchange.url}: not a readable RSS/Atom feed: {reason}")
    out = []
    for item in items:
        if isinstance(item, Entry):
            out.append(item)
            continue
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
