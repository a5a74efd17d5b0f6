"""Re-extract statements from every response of a WARC whose URL belongs to a source (offline)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from db import Archive
from scraper.crawl import Crawl, CrawlOptions, SourceCrawl, Summary, register_source
from scraper.discover import DiscoveryError, Entry, feed, wp_api
from scraper.extract.challenge import unusable_reason
from scraper.sources import SourceConfig, same_page_urls
from scraper.warcscan import Damage
from scraper.warcstore import iter_responses, read_exchange


def _role(source: SourceConfig, url: str) -> str | None:
    if source.feed and source.feed in same_page_urls(url):
        return "feed"
    if source.wp_api and url.startswith(source.wp_api):
        return "wp_api"
    if source.is_article(url):
        return "article"
    return None


def import_warc(
    arc: Archive,
    path: Path,
    sources: list[SourceConfig],
    progress: Callable[[Summary], None] | None = None,
    damages: list[Damage] | None = None,
) -> dict[str, Summary]:
    """Import every feed, API page and article response of `path`, in file order; damaged
    regions are skipped and appended to `damages` (without it, the first one raises)."""
    crawl = Crawl(arc, sources, CrawlOptions(replay=Path(path), parallel=False), progress)
    workers: dict[str, SourceCrawl] = {}
    try:
        for url, offset, length in iter_responses(Path(path), damages):
            matches = [(s, _role(s, url)) for s in sources]
            matches = [(s, role) for s, role in matches if role]
            if not matches:
                continue
            exchange = read_exchange(Path(path), offset, crawl.options.settings.max_bytes)
            exchange.warc_offset, exchange.warc_length = offset, length
            crawl.recording.record_replayed(exchange)
            for source, role in matches:
                if source.id not in workers:
                    register_source(arc, source)
                    workers[source.id] = SourceCrawl(crawl, source)
                worker = workers[source.id]
                reason = exchange.failure() or unusable_reason(exchange.status, exchange.body)
                if reason:
                    worker.summary.skipped += 1
                    continue
                try:
                    entries = (
                        feed.parse_feed(exchange)
                        if role == "feed"
                        else wp_api.parse_page(exchange)
                        if role == "wp_api"
                        else None
                    )
                except DiscoveryError as exc:
                    worker.fail(url, str(exc).partition(": ")[2], exchange.capture_id)
                    continue
                if entries is None:
                    worker.summary.seen += 1
                    worker.store_page(Entry(url=url), exchange)
                else:
                    for entry in entries:
                        worker.done_keys.discard(entry.key or entry.url)
                        worker._process(entry)
                if progress:
                    progress(worker.summary)
    finally:
        crawl.store.close()
    from scraper.editions import link_editions

    link_editions(arc, sources)
    return {sid: crawl.summaries[sid] for sid in workers}
