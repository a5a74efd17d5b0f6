"""Statements from discovered entries (feed/API content) or from fetched article pages."""

from __future__ import annotations

from db import StatementInput
from scraper.discover import Entry
from scraper.exchange import Exchange
from scraper.extract.html_clean import html_to_text
from scraper.extract.kinds import kind_for, speaker_for
from scraper.extract.page import ExtractError, clean_fragment, extract_page, source_date
from scraper.extract.sanitise import sanitise_html
from scraper.sites import rules_for
from scraper.sources import SourceConfig


def seen_at(exchange: Exchange | None) -> str | None:
    """The capture time to second precision, as the archive stores sightings."""
    if exchange is None or not exchange.fetched_at:
        return None
    return exchange.fetched_at[:19] + "Z"


class ItemBuilder:
    """Turns entries and pages of one source into `StatementInput`s."""

    def __init__(self, source: SourceConfig) -> None:
        self.source = source

    def published_iso(self, raw: str | None) -> str | None:
        return source_date(self.source, raw)

    def too_old(self, entry: Entry, since: str | None) -> bool:
        """Whether a dated entry was published before `since` (undated entries are kept)."""
        if not since or not entry.published:
            return False
        return self.too_old_iso(self.published_iso(entry.published), since)

    @staticmethod
    def too_old_iso(iso: str | None, since: str | None) -> bool:
        return bool(since and iso and iso[:10] < since[:10])

    def _finish(
        self,
        entry: Entry,
        *,
        title: str | None,
        text: str,
        html: str | None,
        published: str | None,
        published_iso: str | None,
        speaker: str | None,
        exchange: Exchange | None,
        language: str | None = None,
        kind: str | None = None,
    ) -> StatementInput:
        source = self.source
        site = rules_for(source.id)
        url = site.public_url(entry.url) if site is not None else entry.url
        return StatementInput(
            source_id=source.id,
            url=url,
            key=entry.key,
            text=text,
            title=title,
            published=published,
            published_iso=published_iso,
            language=language or source.language,
            kind=kind or kind_for(source, title, entry.categories, url),
            speaker=speaker,
            html=html,
            tags=[c for c in entry.categories if c.strip()],
            seen_at=seen_at(exchange),
            declared_modified=entry.modified,
            capture_id=exchange.capture_id if exchange is not None else None,
        )

    def from_entry(self, entry: Entry) -> StatementInput:
        """A statement from an entry that carries its full content (content:encoded, WP API)."""
        html = clean_fragment(self.source, entry.html or "")
        text = html_to_text(html)
        if not text.strip():
            raise ExtractError("the entry has no text")
        speaker = speaker_for(self.source, title=entry.title, creator=entry.creator)
        return self._finish(
            entry,
            title=entry.title,
            text=text,
            html=sanitise_html(html),
            published=entry.published,
            published_iso=self.published_iso(entry.published),
            speaker=speaker,
            exchange=entry.exchange,
        )

    def from_page(self, entry: Entry, page: Exchange) -> StatementInput:
        """A statement from an article page, with the entry's metadata as fallback."""
        content_type = (page.header("Content-Type") or "text/html").split(";")[0].strip().lower()
        readable = (
            content_type.startswith("text/") or "html" in content_type or "xml" in content_type
        )
        if "json" in content_type and rules_for(self.source.id) is not None:
            readable = True  # site rules may read JSON pages (GOV.UK's Content API)
        if not readable:
            raise ExtractError(f"not an HTML page ({content_type})")
        found = extract_page(self.source, page.text(), page.url)
        title = found.title or entry.title
        published = found.published_raw or entry.published
        iso = found.published if found.published_raw else self.published_iso(entry.published)
        # The page's own speaker (selector or site rules) first, then the source's strategies.
        speaker = found.speaker or speaker_for(self.source, title=title, creator=entry.creator)
        return self._finish(
            entry,
            title=title,
            text=found.text,
            html=found.html,
            published=published,
            published_iso=iso,
            speaker=speaker,
            exchange=page,
            language=found.language,
            kind=found.kind,
        )
