"""Network faults from a loopback server: the crawl finishes, failures are recorded and retried."""

from __future__ import annotations

import gzip
import threading
import time

from db import crawl as state
from scraper.crawl import Crawl, CrawlOptions
from scraper.fetch import FetchSettings
from scraper.sources import load_file

FAULTS = [
    "ok",
    "retry-after",
    "flaky-503",
    "always-500",
    "timeout",
    "reset",
    "truncated",
    "loop",
    "huge",
    "bomb",
    "cp1251",
    "latin1-header",
    "challenge",
    "empty",
    "gone",
    "private",
]


def page(n: str, body: str = "", charset: str = "utf-8") -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>Page {n}</title></head><body>'
        f'<nav>Menu Home</nav><h1>Statement {n}</h1><div class="date">2024-03-01</div>'
        f"<article><p>First paragraph of {n}.</p><p>{body or 'Second paragraph.'}</p>"
        f"<script>track()</script></article></body></html>"
    )


def feed(base: str, names: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Statement {n}</title><link>{base}/{'private' if n == 'private' else 'p'}/{n}</link>"
        f'<guid isPermaLink="false">{base}/?p={i}</guid><pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>'
        f"<description>Summary {n}</description></item>"
        for i, n in enumerate(names)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>'
        f"<link>{base}</link>{items}</channel></rss>"
    ).encode()


def sources_file(tmp_path, base: str, extra: str = ""):
    path = tmp_path / "sources.toml"
    path.write_text(
        f'''
[[source]]
id = "xx-test"
name = "Test ministry"
institution = "Ministry of Tests"
country = "XX"
language = "en"
feed = "{base}/feed/"
title = "h1"
date = ".date"
body = "article"
delay = 0.0
{extra}
''',
        encoding="utf-8",
    )
    return load_file(path)


def listing_source(tmp_path, source_id: str, base: str, max_pages: int):
    """A listing source over `{base}/news/list-N.html` whose articles are `a.item` links."""
    path = tmp_path / f"{source_id}.toml"
    path.write_text(
        f'''[[source]]
id = "{source_id}"
name = "Listing ministry"
institution = "Ministry"
country = "XX"
language = "en"
listing = "{base}/news/list-{{page}}.html"
links = "a.item"
title = "h1"
body = "article"
max_pages = {max_pages}
delay = 0
''',
        encoding="utf-8",
    )
    return load_file(path)[0]


# Built once, before any request: compressing 60 MB in the handler took over a second on a busy
# machine, so the client's read timeout fired before the headers ("timed out", not the bomb).
BOMB = gzip.compress(b"<p>" + b"A" * (60 * 1024 * 1024), 9)


def install_faults(server, fixed: threading.Event) -> None:
    base = server.base
    # The "timeout" page never answers while the fault is on (released when the test ends), so
    # the timeout it provokes does not depend on how fast the machine is.
    hang = threading.Event()
    server.on_close.append(hang.set)
    html = {"Content-Type": "text/html; charset=utf-8"}
    calls: dict[str, int] = {}
    times: dict[str, list[float]] = {}

    def good(name):
        return 200, list(html.items()), page(name).encode()

    def route(name):
        def handler(h):
            calls[name] = calls.get(name, 0) + 1
            times.setdefault(name, []).append(time.monotonic())
            if name == "cp1251":
                body = page(name, "Заявление МИД России", charset="windows-1251").encode("cp1251")
                return 200, [("Content-Type", "text/html; charset=utf-8")], body
            if name == "latin1-header":
                body = page(name, "Déclaration du ministère — «texte»").encode("utf-8")
                return 200, [("Content-Type", "text/html; charset=iso-8859-1")], body
            if fixed.is_set():
                return good(name)
            n = calls[name]
            if name == "ok":
                return good(name)
            if name == "retry-after":
                return (429, [("Retry-After", "1")], b"slow down") if n == 1 else good(name)
            if name == "flaky-503":
                return (503, [], b"busy") if n == 1 else good(name)
            if name == "always-500":
                return 500, [], b"oops"
            if name == "timeout":
                hang.wait(60)
                return None
            if name == "reset":
                h.connection.shutdown(2)
                return None
            if name == "truncated":  # promises 5000 bytes, sends 200, hangs up
                h.send_response(200)
                h.send_header("Content-Length", "5000")
                h.end_headers()
                h.wfile.write(page(name).encode()[:200])
                h.wfile.flush()
                h.connection.shutdown(2)
                return None
            if name == "loop":
                return 302, [("Location", f"{base}/p/loop-b")], b""
            if name == "huge":
                return 200, [("Content-Length", str(50 * 1024 * 1024)), *html.items()], b"x" * 1024
            if name == "bomb":
                return 200, [("Content-Encoding", "gzip"), *html.items()], BOMB
            if name == "challenge":
                return (
                    200,
                    list(html.items()),
                    b'<html><script>window["bobcmn"] = "x";</script></html>',
                )
            if name == "empty":
                return 200, list(html.items()), b""
            if name == "gone":
                return 404, [], b"not here"
            return good(name)

        return handler

    for name in FAULTS:
        server.routes[f"/p/{name}"] = route(name)
        server.routes[f"/private/{name}"] = route(name)
    server.routes["/p/loop-b"] = (302, [("Location", f"{base}/p/loop")], b"")
    server.routes["/feed/"] = (200, [("Content-Type", "application/rss+xml")], feed(base, FAULTS))
    server.routes["/robots.txt"] = (
        200,
        [("Content-Type", "text/plain")],
        b"User-agent: *\nDisallow: /private/\n",
    )
    server.calls = calls
    server.times = times


def test_faults_are_recorded_then_retried_without_duplicates(tmp_path, archive, server):
    fixed = threading.Event()
    install_faults(server, fixed)
    [source] = sources_file(tmp_path, server.base)
    # read_timeout leaves a loaded machine room to answer the healthy pages; the "timeout" page
    # never answers at all, whatever the machine's speed.
    settings = FetchSettings(
        connect_timeout=5.0,
        read_timeout=2.0,
        total_timeout=10.0,
        retries=2,
        backoff=0.01,
        max_retry_after=3.0,
    )
    first = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]

    assert first.new == 5  # ok, retry-after, flaky-503, cp1251, latin1-header
    assert first.disallowed == 1
    assert server.hits("/private/private") == 0
    failed = {f["url"].rsplit("/", 1)[1]: f["reason"] for f in state.failures(archive, source.id)}
    assert set(failed) == {
        "always-500",
        "timeout",
        "reset",
        "truncated",
        "loop",
        "huge",
        "bomb",
        "challenge",
        "empty",
        "gone",
    }
    assert first.failures == 10
    assert failed["always-500"] == "HTTP 500 Internal Server Error"
    assert failed["timeout"] == "timed out"
    assert failed["truncated"].startswith("truncated body")
    assert failed["loop"].startswith("redirect loop")
    assert "cap" in failed["huge"]
    assert "compression bomb" in failed["bomb"]
    assert failed["challenge"] == (
        "F5 bot challenge page: the site demands a browser that runs its JavaScript, which "
        f"Communiqué never does; this source's other route: feed {server.base}/feed/"
    )
    assert failed["empty"] == "empty body"
    assert failed["gone"] == "HTTP 404 Not Found"
    assert state.disallowed(archive, source.id) == [f"{server.base}/private/private"]
    # 5xx and timeouts were retried (1 + 2 retries); 404 was not; Retry-After was honoured.
    assert server.calls["always-500"] == 3
    assert server.calls["gone"] == 1
    assert server.calls["flaky-503"] == 2
    assert server.calls["retry-after"] == 2
    first, second = server.times["retry-after"]
    assert second - first >= 1.0  # Retry-After: 1 (the backoff alone would be 0.01 s)
    # Network faults are retried; an oversized body or a bomb is not asked for again.
    assert server.calls["truncated"] == 3
    assert server.calls["reset"] == 3
    assert server.calls["huge"] == 1
    assert server.calls["bomb"] == 1

    texts = {}
    for key in (f"{server.base}/?p={FAULTS.index(n)}" for n in ("cp1251", "latin1-header", "ok")):
        st = archive.get_statement(archive.find_statement(source.id, key))
        texts[st.url.rsplit("/", 1)[1]] = st
    assert texts["cp1251"].current.text == "First paragraph of cp1251.\n\nЗаявление МИД России"
    assert texts["latin1-header"].current.text.endswith("Déclaration du ministère — «texte»")
    ok = texts["ok"]
    assert (ok.title, ok.published) == ("Statement ok", "2024-03-01")
    assert "Menu" not in ok.current.text
    assert "track()" not in ok.current.text
    assert "<script" not in ok.current.html

    # Every exchange, failures included, is in the WARC with a capture row.
    rows = archive.conn.execute("SELECT url, status, error, warc_file FROM captures").fetchall()
    assert all(r["warc_file"] and r["warc_file"].startswith("captures/") for r in rows)
    assert any(r["url"].endswith("/p/timeout") and r["error"] == "timed out" for r in rows)
    assert any(r["url"].endswith("/robots.txt") and r["status"] == 200 for r in rows)

    # The next run, with the server healthy, retries the failures and duplicates nothing.
    fixed.set()
    calls_before = dict(server.calls)
    second = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]
    assert second.new == 10
    assert second.failures == 0
    # The five pages archived already are not fetched again (the disallowed one is skipped too).
    assert (second.unchanged, second.skipped) == (0, 6)
    assert server.calls["ok"] == calls_before["ok"]
    assert state.failures(archive, source.id) == []
    stats = archive.stats()
    assert stats["statements"] == 15
    assert stats["versions"] == 15
    third = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]
    assert (third.new, third.versions, third.unchanged, third.skipped) == (0, 0, 0, 16)
    # --recheck fetches every archived page again and finds each unchanged.
    recheck = CrawlOptions(settings=settings, recheck=True)
    fourth = Crawl(archive, [source], recheck).run()[source.id]
    assert (fourth.new, fourth.versions, fourth.unchanged) == (0, 0, 15)
    assert archive.stats()["versions"] == 15


def test_listing_source_retries_failed_pages_from_the_failure_list(tmp_path, archive, server):
    state_flag = {"broken": True}
    links = "".join(f'<a class="item" href="/news/{n}.html">{n}</a>' for n in range(3))
    server.routes["/news/list-0.html"] = (
        200,
        [("Content-Type", "text/html")],
        f"<ul>{links}</ul>".encode(),
    )
    for n in range(3):

        def handler(h, n=n):
            if n == 2 and state_flag["broken"]:
                return 500, [], b"down"
            return 200, [("Content-Type", "text/html; charset=utf-8")], page(str(n)).encode()

        server.routes[f"/news/{n}.html"] = handler
    source = listing_source(tmp_path, "xx-list", server.base, max_pages=1)
    settings = FetchSettings(retries=1, backoff=0.01, read_timeout=2.0)
    first = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]
    assert (first.new, first.failures) == (2, 1)
    # The listing no longer links the failed page; the failure list still brings it back.
    server.routes["/news/list-0.html"] = (200, [("Content-Type", "text/html")], b"<ul></ul>")
    state_flag["broken"] = False
    second = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]
    assert (second.new, second.failures) == (1, 0)
    assert archive.stats()["statements"] == 3
    assert state.failures(archive, source.id) == []


def test_listing_recrawl_stops_at_the_first_page_with_nothing_new(tmp_path, archive, server):
    for p in range(3):
        links = "".join(f'<a class="item" href="/news/{p}-{n}.html">x</a>' for n in range(2))
        server.routes[f"/news/list-{p}.html"] = (
            200,
            [("Content-Type", "text/html")],
            f"<ul>{links}</ul>".encode(),
        )
        for n in range(2):
            server.routes[f"/news/{p}-{n}.html"] = (
                200,
                [("Content-Type", "text/html; charset=utf-8")],
                page(f"{p}-{n}").encode(),
            )
    source = listing_source(tmp_path, "xx-inc", server.base, max_pages=3)
    assert Crawl(archive, [source], CrawlOptions()).run()[source.id].new == 6
    assert [server.hits(f"/news/list-{p}.html") for p in range(3)] == [1, 1, 1]
    again = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    assert again.new == 0
    assert again.skipped == 2
    assert [server.hits(f"/news/list-{p}.html") for p in range(3)] == [2, 1, 1]
    assert server.hits("/news/0-0.html") == 1  # known articles are not fetched again
