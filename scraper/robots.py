"""robots.txt per host by RFC 9309 (protego: wildcards, longest match), fetched and captured
through the same polite fetcher; Crawl-delay and Request-rate set the host's minimum delay."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from scraper.exchange import NOT_IN_REPLAY, Exchange

# RFC 9309 §2.5: crawlers must parse at least 500 KiB; what follows may be ignored.
MAX_ROBOTS_BYTES = 500 * 1024


@dataclass
class _Rules:
    parser: Protego | None  # None: everything allowed (no robots.txt, or replay)
    unavailable: str | None = None  # why nothing on the host may be fetched this run


class Robots:
    """Answers `check(url)` for the crawler's user agent; one robots.txt fetch per origin."""

    def __init__(self, fetcher, user_agent: str) -> None:
        self.fetcher = fetcher
        self.user_agent = user_agent
        # RFC 9309 §2.2.1: groups are matched against the product token ("Communique"), not the
        # whole User-Agent, whose comment ("offline archive …; +https://github.com/…") would
        # match other crawlers' groups such as "User-agent: archive".
        self.token = user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"
        self._rules: dict[str, _Rules] = {}
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []

    def _for(self, url: str, delay: float) -> _Rules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            rules = self._rules.get(origin)
        if rules is not None:
            return rules
        exchange = self.fetcher.get(origin + "/robots.txt", delay=delay)
        self.exchanges.append(exchange)
        status = exchange.status
        if exchange.ok:
            # A redirect to an HTML error page (fmprc.gov.cn) parses as no rules: allowed.
            text = exchange.body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")
            rules = _Rules(Protego.parse(text))
        elif (status is not None and 400 <= status < 500) or exchange.error == NOT_IN_REPLAY:
            # No robots.txt: everything allowed. In a replay the recorded crawl obeyed it already.
            rules = _Rules(None)
        else:
            # 5xx or unreachable: nothing is allowed now; the URLs are failures to retry later.
            rules = _Rules(None, exchange.failure() or "unavailable")
        with self._lock:
            self._rules[origin] = rules
        return rules

    def check(self, url: str, delay: float = 1.0) -> tuple[bool, str | None]:
        """(allowed, reason): None, 'disallowed by robots.txt' or why robots.txt failed."""
        rules = self._for(url, delay)
        if rules.unavailable:
            return False, f"robots.txt unavailable ({rules.unavailable})"
        if rules.parser is None or rules.parser.can_fetch(url, self.token):
            return True, None
        return False, "disallowed by robots.txt"

    def delay(self, url: str) -> float:
        """The least delay between requests the host asks of us (Crawl-delay, Request-rate)."""
        rules = self._for(url, 0.0)
        if rules.parser is None:
            return 0.0
        asked = rules.parser.crawl_delay(self.token) or 0.0
        rate = rules.parser.request_rate(self.token)
        if rate is not None and rate.requests:
            asked = max(asked, rate.seconds / rate.requests)
        return float(asked)
