"""The polite HTTP client: per-host pacing, timeouts, retries with backoff, size caps, redirects."""

from __future__ import annotations

import email.utils
import http.cookies
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

from scraper.decode import DEFAULT_MAX_BYTES, BadEncoding, BodyTooLarge, decode_content
from scraper.exchange import NOT_IN_REPLAY, Exchange, utc_stamp

# The project has no public homepage yet: set COMMUNIQUE_HOMEPAGE to the page (or mailto:) that
# tells a site's operator who is crawling and how to reach them.
HOMEPAGE = os.environ.get("COMMUNIQUE_HOMEPAGE", "https://github.com/communique-archive/communique")
USER_AGENT = f"Communique/0.1 (offline archive of official statements; +{HOMEPAGE})"
MAX_REDIRECTS = 5

Recorder = Callable[[Exchange], None]


@dataclass
class FetchSettings:
    """Politeness and robustness knobs; tests shrink the delays."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0  # a slow-drip body is cut off this long after the request
    retries: int = 3
    backoff: float = 2.0  # first retry waits this long, then doubles
    max_retry_after: float = 300.0  # a longer Retry-After gives up for this run
    max_bytes: int = DEFAULT_MAX_BYTES


def follow_redirects(url: str, fetch_one: Callable[[str], Exchange | None]) -> Exchange:
    """Follow up to MAX_REDIRECTS redirects; a loop or a non-HTTP target is the error.

    A redirect that sets a cookie and leads back to a URL already asked (the same URL, as
    ArvanCloud answers every first request, or via a check page) is a cookie gate: it is
    followed once more, the fetcher sending the cookie back, as a browser does. Every exchange
    is recorded like any other.
    """
    seen = [url]
    current = url
    gates_passed: set[str] = set()
    gate_status = None
    for _hop in range(MAX_REDIRECTS + 1):
        exchange = fetch_one(current)
        if exchange is None:
            return Exchange(url=current, fetched_at=utc_stamp(), error=NOT_IN_REPLAY)
        location = exchange.header("Location")
        if exchange.error or exchange.status not in (301, 302, 303, 307, 308) or not location:
            if gates_passed:
                exchange.gate = (
                    f"cookie gate passed (HTTP {gate_status} back to the page with a cookie)"
                )
            return exchange
        target = urljoin(current, location.strip())
        if urlsplit(target).scheme not in ("http", "https"):
            exchange.error = f"redirect to unsupported URL {target}"
            return exchange
        if target in seen:
            if exchange.header("Set-Cookie") and target not in gates_passed:
                # Back to a URL already asked, with a cookie this time: a gate, passed once.
                gates_passed.add(target)
                gate_status = exchange.status
                current = target
                continue
            if target in gates_passed:
                exchange.error = (
                    "cookie gate not passed: the site answered with the same redirect again "
                    "after its cookie was sent back (it may demand a browser)"
                )
            else:
                exchange.error = f"redirect loop ({' -> '.join(seen + [target])})"
            return exchange
        seen.append(target)
        current = target
    exchange.error = f"too many redirects (more than {MAX_REDIRECTS})"
    return exchange


class HostPacer:
    """One request at a time per host, with at least `delay` seconds between requests."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._last: dict[str, float] = {}  # when the host's last request ended
        self._guard = threading.Lock()
        self.clock = clock  # tests inject a fake clock and sleep: pacing is tested without waiting
        self.sleep = sleep

    def lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait(self, host: str, delay: float) -> None:
        """Sleep until the host may be asked again (call with the host's lock held)."""
        last = self._last.get(host)
        if last is None:
            return
        # The delay asked now counts too: robots.txt, fetched first, may raise it (Crawl-delay).
        pause = max(self._next.get(host, 0.0), last + delay) - self.clock()
        if pause > 0:
            self.sleep(pause)

    def done(self, host: str, delay: float, extra: float = 0.0) -> None:
        self._last[host] = now = self.clock()
        self._next[host] = now + max(delay, extra)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """GETs URLs politely; every attempt and redirect hop is handed to `recorder` first."""

    def __init__(
        self,
        recorder: Recorder,
        settings: FetchSettings | None = None,
        pacer: HostPacer | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.recorder = recorder
        self.pacer = pacer or HostPacer()
        # Session cookies per host, for this run only (what a cookie gate hands out).
        self.cookies: dict[str, dict[str, str]] = {}
        self._cookie_lock = threading.Lock()
        self.pool = urllib3.PoolManager(
            num_pools=32,
            maxsize=1,
            retries=False,
            timeout=urllib3.Timeout(
                connect=self.settings.connect_timeout, read=self.settings.read_timeout
            ),
        )

    def close(self) -> None:
        self.pool.clear()

    def get(
        self,
        url: str,
        *,
        delay: float = 1.0,
        validators: dict[str, str] | None = None,
        referer: str | None = None,
    ) -> Exchange:
        """The final exchange for `url` after redirects and retries (check `.failure()`)."""
        return follow_redirects(
            url,
            lambda current: self._with_retries(
                current, delay, validators if current == url else None, referer
            ),
        )

    def _with_retries(
        self, url: str, delay: float, validators: dict[str, str] | None, referer: str | None
    ) -> Exchange:
        host = urlsplit(url).netloc.lower()
        attempt = 0
        while True:
            with self.pacer.lock(host):
                self.pacer.wait(host, delay)
                exchange = self._once(url, validators, referer)
                self.recorder(exchange)
                wait = self._retry_wait(exchange, attempt)
                self.pacer.done(host, delay, wait or 0.0)
            if wait is None:
                return exchange
            attempt += 1

    def _retry_wait(self, exchange: Exchange, attempt: int) -> float | None:
        """Seconds before the next attempt, or None when this exchange is final."""
        status = exchange.status
        transient = exchange.retryable or (
            exchange.error is None and status is not None and (status == 429 or status >= 500)
        )
        if not transient or attempt >= self.settings.retries:
            return None
        wait = self.settings.backoff * (2**attempt)
        advised = retry_after_seconds(exchange.header("Retry-After"))
        if advised is not None:
            if advised > self.settings.max_retry_after:
                exchange.error = (
                    exchange.error or f"HTTP {exchange.status}"
                ) + f"; Retry-After {advised:.0f}s is too long, left for the next run"
                return None
            wait = max(wait, advised)
        return wait

    def _once(self, url: str, validators: dict[str, str] | None, referer: str | None) -> Exchange:
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        }
        if referer:
            headers["Referer"] = referer
        for name, value in (validators or {}).items():
            headers[name] = value
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        with self._cookie_lock:
            jar = dict(self.cookies.get(host, {}))
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        request_headers = [("Host", parts.netloc)] + list(headers.items())
        exchange = Exchange(url=url, fetched_at=utc_stamp(), request_headers=request_headers)
        started = time.monotonic()
        try:
            response = self.pool.request(
                "GET",
                url,
                headers=headers,
                redirect=False,
                preload_content=False,
                decode_content=False,
            )
        except urllib3.exceptions.HTTPError as exc:
            exchange.error = _network_reason(exc)
            exchange.retryable = True
            return exchange
        try:
            exchange.status = response.status
            exchange.reason = response.reason or ""
            exchange.headers = [
                (k, v) for k, v in response.headers.iteritems() if k.lower() != "transfer-encoding"
            ]
            self._keep_cookies(host, exchange)
            exchange.raw_body = self._read(response, started)
            exchange.body = decode_content(
                exchange.raw_body, exchange.header("Content-Encoding"), self.settings.max_bytes
            )
        except (BodyTooLarge, BadEncoding) as exc:
            exchange.error = str(exc)
        except urllib3.exceptions.HTTPError as exc:
            exchange.error = _network_reason(exc)
            exchange.retryable = True
        except _Partial as exc:
            exchange.raw_body = exc.data
            exchange.error = exc.reason
            exchange.retryable = exc.retryable
        finally:
            response.release_conn()
        return exchange

    def _keep_cookies(self, host: str, exchange: Exchange) -> None:
        for key, value in exchange.headers:
            if key.lower() != "set-cookie":
                continue
            jar = http.cookies.SimpleCookie()
            try:
                jar.load(value)
            except http.cookies.CookieError:
                continue
            with self._cookie_lock:
                kept = self.cookies.setdefault(host, {})
                for name, morsel in jar.items():
                    kept[name] = morsel.value

    def _read(self, response: urllib3.BaseHTTPResponse, started: float) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            response.close()
            raise BodyTooLarge(
                f"body of {int(declared) // (1024 * 1024)} MB is over the "
                f"{cap // (1024 * 1024)} MB cap"
            )
        data = bytearray()
        watchdog = _Deadline(response, started + self.settings.total_timeout)
        try:
            while True:
                try:
                    # read1 returns what has arrived: read(n) waited for n bytes, so a drip of
                    # one byte per 0.4 s was never checked against the deadline.
                    chunk = response.read1(65536, decode_content=False)
                except (urllib3.exceptions.HTTPError, OSError) as exc:
                    if watchdog.expired:
                        break
                    raise _Partial(bytes(data), _network_reason(exc), retryable=True) from None
                if not chunk:
                    break
                data += chunk
                if len(data) > cap:
                    response.close()
                    raise _Partial(
                        bytes(data[:cap]),
                        f"body over the {cap // (1024 * 1024)} MB cap; stopped reading",
                    )
        finally:
            watchdog.cancel()
        # Complete means: all of Content-Length, or the last chunk, or the server's own close.
        # Only the deadline's cut makes a close-delimited or short body incomplete.
        if watchdog.expired and not (
            declared and declared.isdigit() and len(data) == int(declared)
        ):
            response.close()
            raise _Partial(
                bytes(data),
                f"body not complete after {self.settings.total_timeout:g}s",
                retryable=True,
            )
        return bytes(data)


class _Deadline:
    """Shuts the response's socket down at `deadline` (time.monotonic()), so a body that drips
    slowly is cut off on time, whatever the size of each read."""

    def __init__(self, response: urllib3.BaseHTTPResponse, deadline: float) -> None:
        self.expired = False
        connection = getattr(response, "connection", None)
        self._sock = getattr(connection, "sock", None)
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        self.expired = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Partial(Exception):
    def __init__(self, data: bytes, reason: str, retryable: bool = False) -> None:
        super().__init__(reason)
        self.data = data
        self.retryable = retryable
        self.reason = reason


def _network_reason(exc: BaseException) -> str:
    """A short human reason for a urllib3 error (timeout, refused, reset, truncated)."""
    text = str(exc)
    if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
        return _network_reason(exc.reason)
    # NewConnectionError is a ConnectTimeoutError in urllib3: test it first.
    if isinstance(exc, urllib3.exceptions.NameResolutionError):
        return "host name not found"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "connection failed: " + text.split(":")[-1].strip()
    if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.TimeoutError)):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        if "IncompleteRead" in text or "Connection broken" in text:
            if "reset" in text.lower():
                return "connection reset"
            return "truncated body (connection closed early)"
        if "reset" in text.lower():
            return "connection reset"
        return "connection broken: " + text[:120]
    return f"{type(exc).__name__}: {text[:160]}"
