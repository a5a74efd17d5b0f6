"""Discovery: the statements a source offers, from feeds, WordPress APIs, sitemaps or listings."""

from __future__ import annotations

from dataclasses import dataclass, field

from scraper.exchange import Exchange


@dataclass
class Entry:
    """One statement found by discovery; `html` is set when the entry carries full content."""

    url: str
    key: str | None = None  # stable id (RSS guid, WordPress guid); defaults to the URL
    title: str | None = None
    published: str | None = None  # original string
    published_iso: str | None = None
    modified: str | None = None  # the source's declared modification time
    html: str | None = None
    summary: str | None = None
    categories: list[str] = field(default_factory=list)
    creator: str | None = None
    exchange: Exchange | None = None  # the feed/API response it came from
    error: str | None = None  # why this item cannot be read (recorded as its failure)


class DiscoveryError(Exception):
    """A feed, API page, sitemap or listing that cannot be parsed; the message names the URL."""
