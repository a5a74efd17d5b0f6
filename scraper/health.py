"""`sources check`: fetch a source's newest few items politely (recorded in the WARC like any
crawl) and report what discovery found and what each selector found on each page.

A check stores no statement and no crawl failure: it is a diagnosis. Its exchanges are evidence
like any other (WARC records and capture rows).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from db import Archive, ArchiveError
from scraper.crawl import Crawl, CrawlOptions, SourceCrawl, telegram_url
from scraper.discover import Entry
from scraper.exchange import Exchange
from scraper.extract import rules
from scraper.extract.dates import join_date_time, pick_date
from scraper.extract.html_clean import html_to_text, parse_html
from scraper.extract.page import ExtractError, extract_page, source_date, strip_furniture
from scraper.sites import rules_for
from scraper.sources import SourceConfig

DEFAULT_ITEMS = 3
# Labels of fields that come from no configured selector (feed content, a site's own rules).
_NOT_SELECTORS = {"feed title", "feed date", "feed content", "site rules"}
RECENT = 20  # failures listed per source in the Sources dialog
_SHOWN = 80  # characters of a found value kept in the report


def _short(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"


@dataclass
class FieldCheck:
    """What one selector found: `found` is the value (shortened), None when nothing matched."""

    selector: str | None
    found: str | None = None
    chars: int | None = None  # for the body: length of the text found
    iso: str | None = None  # for the date: what it parses to (None: unparsable)


@dataclass
class PageCheck:
    url: str
    origin: str = "page"  # "page" (fetched article page) or "feed" (content carried by the feed)
    complete: bool = False
    fields: dict[str, FieldCheck] = field(default_factory=dict)
    generic: bool = False  # the generic extractor had to step in for the body
    gate: str | None = None
    error: str | None = None  # why no statement came out (challenge, HTTP error, …)
    problems: list[str] = field(default_factory=list)


@dataclass
class SourceCheck:
    source_id: str
    routes: list[str] = field(default_factory=list)  # "feed https://…"
    discovered: int = 0
    discovery_errors: list[str] = field(default_factory=list)
    pages: list[PageCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.discovered > 0
            and not self.discovery_errors
            and bool(self.pages)
            and all(p.complete for p in self.pages)
        )

    def as_dict(self) -> dict:
        out = asdict(self)
        out["ok"] = self.ok
        return out

    def lines(self) -> list[str]:
        verdict = "OK" if self.ok else "PROBLEM"
        head = (
            f"{self.source_id}: {verdict} · discovery ({', '.join(self.routes) or 'no route'}) "
            f"found {self.discovered} {'entry' if self.discovered == 1 else 'entries'}"
        )
        out = [head]
        out += [f"  discovery: {error}" for error in self.discovery_errors]
        for page in self.pages:
            state = "complete" if page.complete else "INCOMPLETE"
            out.append(f"  {page.url}: {state} (from the {page.origin})")
            if page.gate:
                out.append(f"    gate: {page.gate}")
            if page.error:
                out.append(f"    error: {page.error}")
            for name, check in page.fields.items():
                out.append("    " + _field_line(name, check))
            if page.generic:
                out.append("    the generic extractor stepped in: the body selector found nothing")
            out += [f"    problem: {problem}" for problem in page.problems]
        return out


def _field_line(name: str, check: FieldCheck) -> str:
    where = f"({check.selector})" if check.selector else "(no selector)"
    if check.found is None:
        return f"{name:<8} {where}: nothing"
    if name == "body":
        return f"{name:<8} {where}: {check.chars:,} characters"
    if name == "date":
        parsed = check.iso or "unparsable"
        return f"{name:<8} {where}: {check.found!r} → {parsed}"
    return f"{name:<8} {where}: {check.found!r}"


class _CheckWorker(SourceCrawl):
    """A SourceCrawl that diagnoses instead of archiving."""

    diagnosing = True

    def __init__(self, crawl: _CheckCrawl, source: SourceConfig) -> None:
        super().__init__(crawl, source)
        self.report = SourceCheck(source.id, routes=_routes(source))
        crawl.reports[source.id] = self.report
        self._current: PageCheck | None = None

    def run(self) -> None:
        self._consume(self._entries(), limited=True)  # no retries of recorded failures

    def fail(self, url: str, reason: str, capture_id: int | None, key: str | None = None) -> None:
        from scraper.crawl import DISCOVERY

        self.summary.failures += 1
        if reason.startswith(DISCOVERY) or self._current is None:
            self.report.discovery_errors.append(f"{url}: {reason.removeprefix(DISCOVERY)}")
        else:
            self._current.error = reason

    def _process(self, entry: Entry) -> None:
        key = entry.key or entry.url
        if key in self.done_keys:
            return
        self.done_keys.add(key)
        self.summary.seen += 1
        self.report.discovered += 1
        check = PageCheck(url=entry.url)
        self.report.pages.append(check)
        self._current = check
        try:
            if entry.error is not None:
                check.error = entry.error
            elif entry.html is not None and self.source.fetch_pages != "always":
                self._from_feed(entry, check)
            elif self.source.fetch_pages == "never":
                check.error = "the feed carries no content and the source never fetches pages"
            else:
                referer = entry.exchange.url if entry.exchange is not None else None
                page = self.get(entry.url, referer=referer, key=entry.key)
                if page is not None:
                    self._from_page(entry, page, check)
        except ArchiveError:
            raise
        except Exception as exc:  # a page the parsers choke on is this page's finding
            check.error = f"extraction failed: {type(exc).__name__}: {exc}"
            check.complete = False
        finally:
            self._current = None

    def _from_feed(self, entry: Entry, check: PageCheck) -> None:
        check.origin = "feed"
        text = html_to_text(entry.html or "")
        iso = self.builder.published_iso(entry.published)
        check.fields = {
            "title": FieldCheck("feed title", _short(entry.title)),
            "date": FieldCheck("feed date", entry.published, iso=iso),
            "body": FieldCheck(
                "feed content", _short(text) if text.strip() else None, chars=len(text)
            ),
        }
        self._judge(check)

    def _from_page(self, entry: Entry, page: Exchange, check: PageCheck) -> None:
        """Each selector on the page as the extraction reads it (furniture stripped, date and
        time joined); a field without a selector shows what site rules or the extraction found."""
        source = self.source
        check.gate = page.gate
        text = page.text()
        found = None
        try:
            found = extract_page(source, text, page.url)
        except ExtractError as exc:
            check.error = str(exc)
        root = parse_html(text, base_url=page.url)
        strip_furniture(source, root)
        fallback = "site rules" if rules_for(source.id) is not None else None
        body_el = rules.first_element(root, source.body) if source.body else None
        body_text = rules.element_text(body_el) if body_el is not None else None
        if not source.body and found is not None:
            body_text = found.text
        date_raw = None
        if source.date:
            date_raw = pick_date(rules.all_texts(root, source.date))
            date_raw = join_date_time(date_raw, rules.first_text(root, source.time))
        elif found is not None:
            date_raw = found.published_raw

        def value(selector: str | None, own: str | None, extracted: str | None) -> str | None:
            return _short(own if selector else extracted)

        check.fields = {
            "title": FieldCheck(
                source.title or fallback,
                value(source.title, rules.first_text(root, source.title), found and found.title),
            ),
            "date": FieldCheck(
                (f"{source.date} + {source.time}" if source.time else source.date) or fallback,
                _short(date_raw),
                iso=source_date(source, date_raw) if date_raw else None,
            ),
            "body": FieldCheck(
                source.body or fallback,
                _short(body_text) if body_text and body_text.strip() else None,
                chars=len(body_text) if body_text and body_text.strip() else None,
            ),
            "speaker": FieldCheck(
                source.speaker or fallback,
                value(
                    source.speaker,
                    rules.first_text(root, source.speaker),
                    found and found.speaker,
                ),
            ),
        }
        if found is None:
            return
        check.generic = found.generic
        # What the whole extraction (site rules, feed metadata as fallback) made of the page.
        if not (found.title or entry.title):
            check.problems.append("the statement has no title")
        if not (found.published or self.builder.published_iso(entry.published)):
            check.problems.append("the statement has no date")
        self._judge(check)

    @staticmethod
    def _judge(check: PageCheck) -> None:
        """Complete: every configured selector found its value, the date parses, no fallback."""
        for name in ("title", "date", "body"):
            field_check = check.fields.get(name)
            if field_check is None or field_check.selector is None:
                continue
            if field_check.found is None:
                who = field_check.selector
                if who not in _NOT_SELECTORS:
                    who = "the selector"
                check.problems.append(f"{name}: {who} found nothing")
            elif name == "date" and field_check.iso is None:
                check.problems.append(f"date: {field_check.found!r} does not parse")
        if check.generic:
            check.problems.append("body: the generic extractor had to step in")
        check.complete = not check.problems and check.error is None


class _CheckCrawl(Crawl):
    """A crawl whose workers diagnose; their reports by source id."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reports: dict[str, SourceCheck] = {}
        self.worker = _CheckWorker


def _routes(source: SourceConfig) -> list[str]:
    return [
        f"{label} {value}"
        for label, value in (
            ("feed", source.feed),
            ("wp_api", source.wp_api),
            ("sitemap", source.sitemap),
            ("listing", source.listing),
            ("telegram", telegram_url(source)),
        )
        if value
    ]


def check_sources(
    arc: Archive,
    sources: list[SourceConfig],
    *,
    items: int = DEFAULT_ITEMS,
    options: CrawlOptions | None = None,
    stop: threading.Event | None = None,
    progress=None,
) -> list[SourceCheck]:
    """Check each source on its `items` newest entries; one report per source, in order.
    Setting `stop` ends the check after the request in flight."""
    options = options or CrawlOptions()
    options.max_items = items
    options.recheck = True  # archived pages are checked too
    crawl = _CheckCrawl(arc, sources, options, progress)
    if stop is not None:
        crawl.stop = stop
    crawl.run()
    return [crawl.reports.get(s.id, SourceCheck(s.id)) for s in sources]


@dataclass
class SourceHealth:
    """What the archive knows of a source: statements, newest sighting, failures waiting."""

    source_id: str
    name: str
    statements: int
    last_seen: str | None  # the newest time a statement of the source was seen (last success)
    failures: int  # failures recorded and not yet cleared
    given_up: int  # of which: left alone after max_attempts attempts (scrape --retry-failed)
    latest_failure: str | None  # "URL: reason" of the most recent one
    latest_failure_at: str | None
    # The most recent failures, newest first: "last_at  URL: reason (N attempts)".
    recent: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = (
            f"{self.source_id}: {self.statements:,} statements, last success "
            f"{self.last_seen or 'never'}, {self.failures} failures waiting"
            + (f" ({self.given_up} given up)" if self.given_up else "")
        )
        return [head] + [f"  {line}" for line in self.recent]


def source_health(arc: Archive, sources: list[SourceConfig]) -> list[SourceHealth]:
    """One row per configured source, in the given order (read-only queries)."""
    counts = {
        r[0]: (r[1], r[2])
        for r in arc.conn.execute(
            "SELECT source_id, COUNT(*), MAX(last_seen) FROM statements GROUP BY source_id"
        )
    }
    failures: dict[str, list] = {}
    for r in arc.conn.execute(
        "SELECT source_id, url, reason, last_at, attempts FROM crawl_failures ORDER BY last_at DESC"
    ):
        failures.setdefault(r[0], []).append(r)
    give_up = CrawlOptions().max_attempts
    out = []
    for source in sources:
        count, last = counts.get(source.id, (0, None))
        recent = failures.get(source.id, [])
        out.append(
            SourceHealth(
                source.id,
                source.name,
                count,
                last,
                len(recent),
                sum(1 for r in recent if r[4] >= give_up),
                f"{recent[0][1]}: {recent[0][2]}" if recent else None,
                recent[0][3] if recent else None,
                [f"{r[3]}  {r[1]}: {r[2]} ({r[4]} attempts)" for r in recent[:RECENT]],
            )
        )
    return out
