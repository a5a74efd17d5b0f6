"""A fetcher that answers from a WARC file instead of the network (``scrape --replay``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

from scraper.exchange import Exchange, utc_stamp
from scraper.fetch import MAX_REDIRECTS
from scraper.warcstore import NOT_IN_REPLAY, WarcReplay

Recorder = Callable[[Exchange], None]


class ReplayFetcher:
    """Same interface as `Fetcher.get`; a URL missing from the WARC gives NOT_IN_REPLAY."""

    def __init__(self, replay: WarcReplay, recorder: Recorder) -> None:
        self.replay = replay
        self.recorder = recorder

    def close(self) -> None:
        pass

    def get(
        self,
        url: str,
        *,
        delay: float = 0.0,
        validators: dict[str, str] | None = None,
        referer: str | None = None,
    ) -> Exchange:
        """The recorded exchange for `url`, following recorded redirects."""
        seen = [url]
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            exchange = self.replay.lookup(current)
            if exchange is None:
                return Exchange(url=current, fetched_at=utc_stamp(), error=NOT_IN_REPLAY)
            self.recorder(exchange)
            location = exchange.header("Location")
            if exchange.error or exchange.status not in (301, 302, 303, 307, 308) or not location:
                return exchange
            target = urljoin(current, location.strip())
            if target in seen:
                exchange.error = f"redirect loop ({' -> '.join(seen + [target])})"
                return exchange
            seen.append(target)
            current = target
        exchange.error = f"too many redirects (more than {MAX_REDIRECTS})"
        return exchange
