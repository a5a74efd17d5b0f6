"""robots.txt per host, fetched (and captured) through the same polite fetcher."""

from __future__ import annotations

import threading
import urllib.robotparser
from urllib.parse import urlsplit

from scraper.exchange import NOT_IN_REPLAY, Exchange


class Robots:
    """Answers `allowed(url)` for the crawler's user agent; one robots.txt fetch per host."""

    def __init__(self, fetcher, user_agent: str) -> None:
        self.fetcher = fetcher
        self.user_agent = user_agent
        self._parsers: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []

    def _parser(self, url: str, delay: float) -> urllib.robotparser.RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            parser = self._parsers.get(origin)
        if parser is not None:
            return parser
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        exchange = self.fetcher.get(origin + "/robots.txt", delay=delay)
        self.exchanges.append(exchange)
        status = exchange.status
        if exchange.ok:
            # A redirect to an HTML error page (fmprc.gov.cn) parses as no rules: allowed.
            parser.parse(exchange.text().splitlines())
        elif status is not None and 400 <= status < 500:
            parser.allow_all = True  # no robots.txt: everything allowed
        elif exchange.error == NOT_IN_REPLAY:
            parser.allow_all = True  # the recorded crawl had obeyed robots.txt already
        else:
            # 5xx or unreachable: nothing is allowed now; the URLs are failures to retry later.
            parser.disallow_all = True
            parser.unavailable = exchange.failure() or "unavailable"  # type: ignore[attr-defined]
        with self._lock:
            self._parsers[origin] = parser
        return parser

    def check(self, url: str, delay: float = 1.0) -> tuple[bool, str | None]:
        """(allowed, reason): None, 'disallowed by robots.txt' or why robots.txt failed."""
        parser = self._parser(url, delay)
        unavailable = getattr(parser, "unavailable", None)
        if unavailable:
            return False, f"robots.txt unavailable ({unavailable})"
        if parser.can_fetch(self.user_agent, url):
            return True, None
        return False, "disallowed by robots.txt"
