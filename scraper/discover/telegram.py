"""A public Telegram channel's web preview (`https://t.me/s/<channel>`): every post in full.

Many ministries post each statement on their channel first. The preview is plain HTML, one
`div.tgme_widget_message[data-post="<channel>/<n>"]` per post with the text in
`div.tgme_widget_message_text` and the time in `time[datetime]`; older posts are at
`?before=<smallest n on the page>`. A post becomes an entry carrying its content (no page to
fetch), keyed by its address `https://t.me/<channel>/<n>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scraper.discover import DiscoveryError, Entry
from scraper.exchange import Exchange
from scraper.extract import rules
from scraper.extract.html_clean import element_html, element_text, parse_html

PREVIEW = "https://t.me/s/{channel}"
DEFAULT_MAX_PAGES = 3
_TITLE_LENGTH = 120


def preview_url(channel: str, before: int | None = None) -> str:
    url = PREVIEW.format(channel=channel)
    return f"{url}?before={before}" if before else url


def title_of(text: str) -> str | None:
    """The post's first line, cut at a word near 120 characters (posts have no title)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= _TITLE_LENGTH:
        return first or None
    cut = first[:_TITLE_LENGTH]
    space = cut.rfind(" ")
    return (cut[:space] if space > 40 else cut).rstrip(" ,;:") + "…"


def parse_preview(exchange: Exchange) -> list[Entry]:
    """The posts of one preview page, oldest first as the page shows them."""
    root = parse_html(exchange.text(), base_url=exchange.url)
    posts = rules.select(root, "div.tgme_widget_message[data-post]")
    if not posts and not rules.select(root, ".tgme_channel_info, .tgme_page"):
        raise DiscoveryError(f"{exchange.url}: not a Telegram channel preview")
    out = []
    for post in posts:
        channel, _, number = post.get("data-post", "").partition("/")
        if not channel or not number.isdigit():
            continue
        body = rules.first_element(post, ".//div[contains(@class, 'tgme_widget_message_text')]")
        if body is None:  # a photo or video without a caption: nothing to archive
            continue
        stamp = rules.select(post, ".//time/@datetime")
        text = element_text(body)
        out.append(
            Entry(
                url=f"https://t.me/{channel}/{number}",
                title=title_of(text),
                published=str(stamp[0]) if stamp else None,
                html=element_html(body),
                exchange=exchange,
            )
        )
    return out


def discover(
    channel: str,
    get: Callable[[str], Exchange | None],
    *,
    max_pages: int | None = None,
    known: Callable[[str], bool] | None = None,
) -> Iterator[Entry]:
    """Posts newest first, page by page back to `max_pages` pages or to a page all `known`."""
    before: int | None = None
    for _ in range(max_pages or DEFAULT_MAX_PAGES):
        exchange = get(preview_url(channel, before))
        if exchange is None:
            return
        entries = parse_preview(exchange)
        if not entries:
            return
        all_known = known is not None and all(known(e.url) for e in entries)
        yield from reversed(entries)
        numbers = [int(e.url.rsplit("/", 1)[1]) for e in entries]
        if all_known or min(numbers) <= 1:
            return
        before = min(numbers)
