"""A fetcher that answers from a WARC file instead of the network (``scrape --replay``)."""

from __future__ import annotations

from collections.abc import Callable

from scraper.exchange import Exchange
from scraper.fetch import follow_redirects
from scraper.warcstore import WarcReplay

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
        return follow_redirects(url, self._one)

    def _one(self, url: str) -> Exchange | None:
        exchange = self.replay.lookup(url)
        if exchange is not None:
            self.recorder(exchange)
        return exchange
