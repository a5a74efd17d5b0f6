"""WordPress REST collections (`/wp-json/wp/v2/posts`), paged, for backfill."""

from __future__ import annotations

import html as htmllib
import json
from collections.abc import Callable, Iterator
from urllib.parse import urlencode, urlsplit

from scraper.discover import DiscoveryError, Entry
from scraper.exchange import Exchange

PER_PAGE = 50


def page_url(base: str, page: int, since: str | None = None) -> str:
    """The URL of one page of a collection (newest first)."""
    params = {"per_page": PER_PAGE, "page": page, "orderby": "date", "order": "desc"}
    if since:
        params["after"] = since if "T" in since else f"{since}T00:00:00"
    sep = "&" if urlsplit(base).query else "?"
    return f"{base}{sep}{urlencode(params)}"


def _gmt(value: str | None) -> str | None:
    return f"{value}Z" if value and not value.endswith("Z") else value


def _rendered(post: dict, key: str) -> str | None:
    value = post.get(key)
    return value.get("rendered") if isinstance(value, dict) else None


def parse_page(exchange: Exchange) -> list[Entry]:
    """Entries of one page of a WordPress REST collection."""
    try:
        posts = json.loads(exchange.text())
    except ValueError as exc:
        raise DiscoveryError(f"{exchange.url}: not JSON: {exc}") from None
    if not isinstance(posts, list):
        raise DiscoveryError(f"{exchange.url}: expected a JSON list of posts")
    out = []
    for post in posts:
        if not isinstance(post, dict) or not post.get("link"):
            continue
        title = _rendered(post, "title")
        out.append(
            Entry(
                url=post["link"],
                key=_rendered(post, "guid") or post["link"],
                title=" ".join(htmllib.unescape(title).split()) if title else None,
                published=_gmt(post.get("date_gmt")) or post.get("date"),
                modified=_gmt(post.get("modified_gmt")),
                html=_rendered(post, "content"),
                exchange=exchange,
            )
        )
    return out


def discover(
    base: str,
    get: Callable[[str], Exchange | None],
    *,
    max_pages: int | None,
    since: str | None = None,
) -> Iterator[Entry]:
    """All posts, page by page, until an empty page, the last page or `max_pages`."""
    page = 1
    while max_pages is None or page <= max_pages:
        exchange = get(page_url(base, page, since))
        if exchange is None:
            return
        entries = parse_page(exchange)
        if not entries:
            return
        yield from entries
        total = exchange.header("X-WP-TotalPages")
        if total and total.isdigit() and page >= int(total):
            return
        page += 1
