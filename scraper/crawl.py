"""Crawl orchestration: sources grouped by host, hosts in parallel, one writer, resumable."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from db import Archive, ArchiveError, Source
from scraper.dbqueue import DbQueue
from scraper.discover import DiscoveryError, Entry, feed, listing, sitemap, telegram, wp_api
from scraper.exchange import Exchange
from scraper.extract.page import ExtractError
from scraper.fetch import Fetcher, FetchSettings, HostPacer
from scraper.items import ItemBuilder
from scraper.recording import Recording
from scraper.removed import GONE_STATUSES, archived_urls, check_listing, mark_gone
from scraper.replay import ReplayFetcher
from scraper.robots import Robots
from scraper.sites import rules_for
from scraper.sources import SourceConfig
from scraper.warcstore import NOT_IN_REPLAY, WarcReplay, WarcStore, new_warc_name

log = logging.getLogger("communique.scraper")
DISCOVERY = "discovery page: "


@dataclass
class Summary:
    """What one source's crawl did."""

    source_id: str
    new: int = 0
    versions: int = 0
    unchanged: int = 0
    skipped: int = 0
    failures: int = 0
    disallowed: int = 0
    seen: int = 0
    retried: int = 0  # earlier failures fetched again on their own (no longer discovered)
    waiting: int = 0  # earlier failures whose next try is not due yet (backoff)
    given_up: int = 0  # earlier failures left alone after max_attempts tries
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        earlier = []
        if self.retried:
            earlier.append(f"{self.retried} earlier failures retried")
        if self.waiting:
            earlier.append(f"{self.waiting} waiting to be retried")
        if self.given_up:
            earlier.append(f"{self.given_up} given up after too many attempts")
        if self.disallowed:
            earlier.append(f"{self.disallowed} disallowed by robots.txt")
        return (
            f"{self.source_id}: {self.new} new, {self.versions} new versions, "
            f"{self.unchanged} unchanged, {self.skipped} skipped, {self.failures} failures"
            + (f" ({'; '.join(earlier)})" if earlier else "")
        )

    def as_dict(self) -> dict:
        return {
            k: getattr(self, k)
            for k in (
                "source_id",
                "new",
                "versions",
                "unchanged",
                "skipped",
                "failures",
                "disallowed",
                "retried",
                "waiting",
                "given_up",
            )
        }


@dataclass
class CrawlOptions:
    since: str | None = None  # ISO date; older statements are skipped
    max_items: int | None = None  # per source
    replay: Path | None = None
    settings: FetchSettings = field(default_factory=FetchSettings)
    delay: float | None = None  # overrides every source's delay (tests, benchmarks)
    parallel: bool = True
    recheck: bool = False  # fetch again article pages already archived
    # A failed page is retried on its own (when discovery no longer lists it): on the next run
    # after its first failure, then once retry_backoff * 2**(attempts - 2) seconds have passed
    # since its last attempt; it is left alone after max_attempts failed attempts (discovered
    # or not). retry_failed retries every failure now.
    retry_backoff: float = 600.0
    max_attempts: int = 6
    retry_failed: bool = False
    pacer: HostPacer | None = None  # per-host pacing (tests inject one with a fake clock)


Progress = Callable[[Summary], None]


def telegram_url(source: SourceConfig) -> str | None:
    """The public web preview of the source's Telegram channel, if it has one."""
    return f"https://t.me/s/{source.telegram}" if source.telegram else None


def register_source(arc: Archive, source: SourceConfig) -> None:
    """Record (or update) the source's identity in the archive."""
    arc.upsert_source(
        Source(
            source.id,
            source.name,
            source.institution,
            source.country,
            (source.language,),
            source.homepage,
        )
    )


class Crawl:
    """Runs sources against one archive; the calling thread is the only one writing to it."""

    def __init__(
        self,
        arc: Archive,
        sources: list[SourceConfig],
        options: CrawlOptions | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.arc = arc
        self.sources = sources
        self.options = options or CrawlOptions()
        self.progress = progress
        self.db = DbQueue()
        self.stop = threading.Event()
        prefix = "replay" if self.options.replay else "crawl"
        self.store = WarcStore(arc.folder, new_warc_name(prefix))
        self.recording = Recording(arc, self.db, self.store)
        if self.options.replay:
            self.replay = WarcReplay(self.options.replay, self.options.settings.max_bytes)
            self.recording.replay = self.replay
            self.fetcher = ReplayFetcher(self.replay, self.recording.record_replayed)
        else:
            self.fetcher = Fetcher(
                self.recording.record_live, self.options.settings, self.options.pacer or HostPacer()
            )
        self.robots = Robots(self.fetcher, self.options.settings.user_agent)
        self.summaries = {s.id: Summary(s.id) for s in sources}
        self.worker: Callable[[Crawl, SourceConfig], SourceCrawl] = SourceCrawl  # `sources check`

    def run(self) -> dict[str, Summary]:
        """Crawl every source; return one summary per source id."""
        for source in self.sources:
            register_source(self.arc, source)
        groups: dict[str, list[SourceConfig]] = {}
        for source in self.sources:
            host = source.hosts[0] if source.hosts else source.id
            groups.setdefault(host, []).append(source)
        try:
            if not self.options.parallel or len(groups) == 1:
                for group in groups.values():
                    self._run_group(group)
            else:
                errors: list[BaseException] = []
                threads = [
                    threading.Thread(target=self._guarded, args=(g, errors), daemon=True)
                    for g in groups.values()
                ]
                for thread in threads:
                    thread.start()
                try:
                    self.db.serve(until=lambda: not any(t.is_alive() for t in threads))
                except BaseException:
                    self.stop.set()
                    raise
                if errors:
                    raise errors[0]
        finally:
            self.fetcher.close()
            self.store.close()
        from scraper.editions import link_editions

        link_editions(self.arc, self.sources)  # language editions of what this crawl added
        return self.summaries

    def _guarded(self, group: list[SourceConfig], errors: list[BaseException]) -> None:
        try:
            self._run_group(group)
        except BaseException as exc:  # re-raised on the main thread
            errors.append(exc)
            self.stop.set()

    def _run_group(self, group: list[SourceConfig]) -> None:
        for source in group:
            if not self.stop.is_set():
                self.worker(self, source).run()


class SourceCrawl:
    """One source: discover entries, fetch pages when needed, extract, commit each statement."""

    diagnosing = False  # True for `sources check`: no removal marks, no listing snapshots

    def __init__(self, crawl: Crawl, source: SourceConfig) -> None:
        self.crawl = crawl
        self.source = source
        self.summary = crawl.summaries[source.id]
        self.delay = crawl.options.delay if crawl.options.delay is not None else source.delay
        self.builder = ItemBuilder(source)
        self.done_keys: set[str] = set()
        self.replaying = crawl.options.replay is not None
        self.pending: set[str] = set()  # discovery pages that failed last time
        self.failed: dict[str, dict] = {}  # article failures of earlier runs, by URL
        self.listed: dict[str, list[tuple[str, int | None]]] = {}  # channel -> (key, capture)
        self._listed_keys: dict[str, set[str]] = {}
        self.discovery_gaps = False  # a discovery page was not read: no removal can be told

    # ------------------------------------------------------------ fetching
    def get(
        self,
        url: str,
        *,
        conditional: bool = False,
        referer: str | None = None,
        discovery: bool = False,
        key: str | None = None,
    ) -> Exchange | None:
        """Fetch a URL politely; None (and a recorded failure or skip) when it yields nothing.

        Failures of discovery pages (feeds, listings, API pages, sitemaps) are recorded with the
        DISCOVERY prefix: they are fetched again by discovery itself, not retried as articles.
        """
        prefix = DISCOVERY if discovery else ""
        allowed, reason = self.crawl.robots.check(url, self.delay)
        if not allowed:
            if reason == "disallowed by robots.txt":
                self.summary.disallowed += 1
                self.summary.skipped += 1
                self.crawl.db.call(self.crawl.recording.disallowed, self.source.id, url)
            else:
                self.fail(url, prefix + (reason or "robots.txt unavailable"), None, key)
            return None
        validators = (
            self.crawl.db.call(self.crawl.recording.validators, url) if conditional else None
        )
        # The source's delay never goes below what the host asks (Crawl-delay, Request-rate).
        delay = max(self.delay, self.crawl.robots.delay(url))
        exchange = self.crawl.fetcher.get(url, delay=delay, validators=validators, referer=referer)
        if exchange.error == NOT_IN_REPLAY:
            self.summary.skipped += 1
            self.discovery_gaps = self.discovery_gaps or discovery
            return None
        if exchange.not_modified:
            return exchange
        reason = exchange.failure()
        if reason is None:
            from scraper.extract.challenge import challenge_reason, unusable_reason

            reason = unusable_reason(exchange.status, exchange.body)
            if reason is not None and reason == challenge_reason(exchange.body):
                reason = self.challenge_message(reason, url)
        if reason is not None:
            if discovery:
                self.discovery_gaps = True
            elif exchange.status in GONE_STATUSES and not self.diagnosing:  # taken down?
                self.crawl.db.call(
                    mark_gone, self.crawl.arc, self.source.id, url, exchange.status,
                    exchange.capture_id,
                )  # fmt: skip
            self.fail(url, prefix + reason, exchange.capture_id, key)
            return None
        if discovery and url in self.pending:
            self.pending.discard(url)
            self.crawl.db.call(self.crawl.recording.cleared, self.source.id, url)
        if conditional and not exchange.replayed:
            self.crawl.db.call(self.crawl.recording.remember_validators, url, exchange)
        return exchange

    def challenge_message(self, challenge: str, url: str) -> str:
        """A challenge page as a failure that says what it means and what else can be done."""
        source = self.source
        routes = [
            (label, value)
            for label, value in (
                ("feed", source.feed),
                ("WordPress API", source.wp_api),
                ("sitemap", source.sitemap),
                ("listing", source.listing),
                ("Telegram channel", telegram_url(source)),
            )
            if value and value != url
        ]
        other = (
            "this source's other route: " + "; ".join(f"{k} {v}" for k, v in routes)
            if routes
            else "this source has no other route (a feed or a Telegram channel may be added)"
        )
        return (
            f"{challenge}: the site demands a browser that runs its JavaScript, which "
            f"Communiqué never does; {other}"
        )

    def fail(self, url: str, reason: str, capture_id: int | None, key: str | None = None) -> None:
        self.summary.failures += 1
        self.summary.errors.append(f"{url}: {reason}")
        log.info("%s: %s: %s", self.source.id, url, reason)
        self.crawl.db.call(
            self.crawl.recording.failure, self.source.id, url, reason, capture_id, key
        )

    # ------------------------------------------------------------ discovery
    def run(self) -> None:
        failures = self.crawl.db.call(self.crawl.recording.failures, self.source.id)
        self.pending = {f["url"] for f in failures if f["reason"].startswith(DISCOVERY)}
        self.failed = {f["url"]: f for f in failures if not f["reason"].startswith(DISCOVERY)}
        self._consume(self._entries(), limited=True)
        # Earlier failures that discovery did not bring back are retried on their own (with
        # backoff, and given up after max_attempts): a feed keeps only its newest items.
        self._consume(self._retries(), limited=False)

    def _consume(self, entries, *, limited: bool) -> None:
        while not self.crawl.stop.is_set():
            limit = self.crawl.options.max_items
            if limited and limit is not None and self.summary.seen >= limit:
                return
            try:
                entry = next(entries)
            except StopIteration:
                if limited:  # discovery itself, not the retries of earlier failures
                    self._after_discovery()
                return
            except ArchiveError:
                raise
            except Exception as exc:  # a page the parsers choke on must not end the whole crawl
                log.debug("discovery failed", exc_info=True)
                self.fail(
                    self.source.feed or self.source.listing or self.source.id,
                    f"{DISCOVERY}{type(exc).__name__}: {exc}",
                    None,
                )
                return
            self._note_listed(entry)
            try:
                self._process(entry)
            except ArchiveError:
                raise
            except Exception as exc:
                log.debug("extraction failed", exc_info=True)
                self.fail(
                    entry.url, f"extraction failed: {type(exc).__name__}: {exc}", None, entry.key
                )
            if self.crawl.progress:
                self.crawl.progress(self.summary)

    def _given_up(self, failure: dict | None) -> bool:
        options = self.crawl.options
        return (
            failure is not None
            and not options.retry_failed
            and failure["attempts"] >= options.max_attempts
        )

    def _due(self, failure: dict) -> bool:
        """Whether a failure's backoff (retry_backoff doubling per attempt) has passed."""
        options = self.crawl.options
        if options.retry_failed or options.retry_backoff <= 0:
            return True
        try:
            last = datetime.fromisoformat(failure["last_at"].replace("Z", "+00:00"))
        except (AttributeError, ValueError):
            return True
        attempts = failure["attempts"]
        wait = 0.0 if attempts <= 1 else options.retry_backoff * 2 ** (attempts - 2)
        return (datetime.now(UTC) - last).total_seconds() >= wait

    def _retries(self):
        for failure in list(self.failed.values()):
            if (failure["key"] or failure["url"]) in self.done_keys:
                continue  # discovery listed it again: already handled this run
            if self._given_up(failure):
                self.summary.given_up += 1
            elif not self._due(failure):
                self.summary.waiting += 1
            else:
                self.summary.retried += 1
                yield Entry(url=failure["url"], key=failure["key"])

    def _entries(self):
        source = self.source
        page = partial(self.get, discovery=True)
        try:
            if source.feed:
                exchange = self.get(source.feed, conditional=True, discovery=True)
                if exchange is not None and not exchange.not_modified:
                    yield from feed.parse_feed(exchange)
            if source.wp_api:
                yield from wp_api.discover(
                    source.wp_api, page, max_pages=source.max_pages, since=self.crawl.options.since
                )
            if source.sitemap:
                yield from sitemap.discover(source.sitemap, page, max_pages=source.max_pages)
            if source.listing:
                yield from listing.discover(
                    source, page, missing=lambda url: self.replaying, known=self._known
                )
            if source.telegram:
                yield from telegram.discover(
                    source.telegram, page, max_pages=source.max_pages, known=self._known
                )
            if self.replaying:
                # Articles the replayed crawl fetched but whose listing page it did not keep.
                for url in self.crawl.replay.urls():
                    if source.is_article(url):
                        yield Entry(url=url)
        except DiscoveryError as exc:
            url, _, reason = str(exc).partition(": ")
            self.fail(url, DISCOVERY + reason, None)

    # ------------------------------------------------------------ removed statements
    def _note_listed(self, entry: Entry) -> None:
        if entry.exchange is None:
            return
        channel = "feed" if entry.exchange.url == self.source.feed else "pages"
        key = entry.key or entry.url
        seen = self._listed_keys.setdefault(channel, set())
        if key not in seen:  # an item that shifted onto the next page counts where first seen
            seen.add(key)
            self.listed.setdefault(channel, []).append((key, entry.exchange.capture_id))

    def _after_discovery(self) -> None:
        """A complete discovery: mark statements gone from between two still listed; with
        --recheck, ask every archived page of the source not listed now (404/410 = removed)."""
        if self.diagnosing:
            return  # `sources check` reads a few items and changes nothing in the archive
        if not self.discovery_gaps and not self.crawl.stop.is_set():
            for channel, entries in self.listed.items():
                self.crawl.db.call(check_listing, self.crawl.arc, self.source.id, channel, entries)
        if self.crawl.options.recheck and not self.replaying:
            for url, key in self.crawl.db.call(archived_urls, self.crawl.arc, self.source.id):
                if self.crawl.stop.is_set():
                    return
                if key not in self.done_keys and url not in self.done_keys:
                    self.get(url)

    def _known(self, url: str) -> bool | None:
        """Whether an article URL is archived already (never, with --recheck)."""
        if self.crawl.options.recheck:
            return False
        return self.crawl.db.call(self.crawl.recording.known, self.source.id, url)

    # ------------------------------------------------------------ one statement
    def _process(self, entry: Entry) -> None:
        key = entry.key or entry.url
        if key in self.done_keys:
            return
        self.done_keys.add(key)
        if entry.error is not None:  # an item discovery could not read (a bad feed item)
            self.fail(
                entry.url,
                entry.error,
                entry.exchange.capture_id if entry.exchange else None,
                entry.key,
            )
            return
        earlier = self.failed.get(entry.url)
        if self._given_up(earlier):
            self.summary.given_up += 1
            return
        if self.builder.too_old(entry, self.crawl.options.since):
            self.summary.skipped += 1
            return
        self.summary.seen += 1
        use_feed = entry.html is not None and self.source.fetch_pages != "always"
        if use_feed:
            try:
                statement = self.builder.from_entry(entry)
            except ExtractError as exc:
                self.fail(
                    entry.url,
                    str(exc),
                    entry.exchange.capture_id if entry.exchange else None,
                    entry.key,
                )
                return
        elif self.source.fetch_pages == "never":
            self.summary.skipped += 1
            return
        else:
            # (A replay re-extracts keyed entries: reading a WARC again costs no request.)
            if (
                not self.crawl.options.recheck
                and (entry.key is None or not self.replaying)
                and self._archived(entry, key)
            ):
                # Archived already (e.g. by a run that was killed): not fetched again unless
                # the feed declares an update the archive does not hold.
                self.summary.skipped += 1
                if earlier is not None:
                    self.crawl.db.call(self.crawl.recording.cleared, self.source.id, entry.url)
                return
            referer = entry.exchange.url if entry.exchange is not None else None
            site = rules_for(self.source.id)
            target = site.page_url(entry.url) if site else entry.url  # e.g. GOV.UK's JSON twin
            page = self.get(target, conditional=not self.replaying, referer=referer, key=entry.key)
            if page is None:
                return
            if page.not_modified:
                self.summary.unchanged += 1
                return
            self.store_page(entry, page)
            return
        self.store(statement, entry.url)

    def _archived(self, entry: Entry, key: str) -> bool:
        """Whether the archive holds this statement as discovery describes it now."""
        held = self.crawl.db.call(self.crawl.recording.held, self.source.id, key)
        if held is None:
            return False
        return not entry.modified or entry.modified == held

    def store_page(self, entry: Entry, page: Exchange) -> None:
        """Extract a fetched (or imported) article page and commit its statement."""
        try:
            statement = self.builder.from_page(entry, page)
        except ExtractError as exc:
            self.fail(entry.url, str(exc), page.capture_id, entry.key)
            return
        if self.builder.too_old_iso(statement.published_iso, self.crawl.options.since):
            self.summary.skipped += 1
            return
        self.store(statement, entry.url)

    def store(self, statement, url: str) -> None:
        """Commit one statement at once and count what the archive made of it."""
        status = self.crawl.db.call(self.crawl.recording.statement, statement, url)
        if status == "new":
            self.summary.new += 1
        elif status == "version":
            self.summary.versions += 1
        else:
            self.summary.unchanged += 1
