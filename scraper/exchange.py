"""One HTTP exchange as captured: what was asked, what came back (or why nothing did)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from scraper.decode import decode_text

NOT_IN_REPLAY = "not in the replay WARC"  # the error of a URL a replayed WARC does not hold


def utc_stamp() -> str:
    """Now, ISO 8601 UTC with microseconds (as WARC-Date)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Exchange:
    """A request and its response; `error` says why it failed when it did."""

    url: str
    fetched_at: str
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw_body: bytes = b""  # as received on the wire (Content-Encoding still applied)
    body: bytes = b""  # Content-Encoding undone, capped
    error: str | None = None
    # Where the response (or failure) record was written: set by the recorder.
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    payload_sha256: str | None = None
    capture_id: int | None = None
    replayed: bool = False
    retryable: bool = False  # a network failure (timeout, reset, truncation) worth another try
    gate: str | None = None  # an access gate passed on the way (e.g. a cookie gate)

    def header(self, name: str) -> str | None:
        """The last value of a response header (case-insensitive)."""
        name = name.lower()
        for key, value in reversed(self.headers):
            if key.lower() == name:
                return value
        return None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    def text(self) -> str:
        """The body decoded with the charset from header, then <meta>, then detection."""
        return decode_text(self.body, self.header("Content-Type"))[0]

    def failure(self) -> str | None:
        """A one-line reason this exchange cannot yield content, or None when it can."""
        if self.error:
            return self.error
        if self.status is None:
            return "no response"
        if self.status >= 400:
            return f"HTTP {self.status} {self.reason}".strip()
        if 300 <= self.status < 400 and self.status != 304:
            return f"HTTP {self.status} redirect"
        return None
