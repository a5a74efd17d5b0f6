"""Loopback HTTP servers and fast fetch settings for the scraper tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scraper.fetch import FetchSettings
from scraper.sources import load_sources

# A handler returns (status, headers, body) or None to close the connection unanswered.
Route = Callable[[BaseHTTPRequestHandler], "tuple[int, list[tuple[str, str]], bytes] | None"]


class LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1 in a thread; routes by path, counts requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | tuple] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.on_close: list[Callable[[], None]] = []  # release handlers still waiting
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                owner.requests.append((self.path, dict(self.headers.items())))
                route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?")[0])
                if route is None:
                    answer = (404, [("Content-Type", "text/plain")], b"not found")
                elif callable(route):
                    answer = route(self)
                else:
                    answer = route
                if answer is None:
                    return
                status, headers, body = answer
                self.send_response(status)
                names = {k.lower() for k, _ in headers}
                for name, value in headers:
                    self.send_header(name, value)
                if "content-length" not in names:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        for release in self.on_close:
            release()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = LoopbackServer()
    yield srv
    srv.close()


@pytest.fixture
def fast_settings() -> FetchSettings:
    """Tiny timeouts and backoff so fault tests finish in seconds."""
    return FetchSettings(
        connect_timeout=2.0,
        read_timeout=1.0,
        total_timeout=5.0,
        retries=2,
        backoff=0.01,
        max_retry_after=2.0,
        max_bytes=2 * 1024 * 1024,
    )


@pytest.fixture
def shipped_sources():
    return load_sources()


def local_source(config, **changes):
    """A shipped source pointed at a loopback server."""
    return replace(config, **changes)
