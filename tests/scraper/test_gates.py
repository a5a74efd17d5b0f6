"""Access gates and challenges (issue 10, item 5): a cookie gate is passed once, as a browser
would; a JavaScript challenge is a failure that says the site demands a browser."""

from __future__ import annotations

from dataclasses import replace

from db import crawl as state
from scraper.crawl import Crawl, CrawlOptions, SourceCrawl
from scraper.fetch import Fetcher, FetchSettings
from scraper.warcstore import read_exchange
from tests.scraper.test_faults import page
from tests.scraper.test_fetch import article_source

HTML = [("Content-Type", "text/html; charset=utf-8")]
COOKIE = "__arcsjs=5a1e7c0ffee"


def arvan_gate(server, body: bytes, *, stubborn: bool = False):
    """ArvanCloud's way: a request without the cookie gets 307 to itself plus the cookie."""

    def handler(h):
        if stubborn or COOKIE not in (h.headers.get("Cookie") or ""):
            return 307, [("Location", h.path), ("Set-Cookie", f"{COOKIE}; Path=/")], b""
        return 200, HTML, body

    return handler


def test_a_cookie_gate_is_followed_once_and_both_exchanges_are_in_the_warc(
    tmp_path, archive, server
):
    urls = "".join(f"<url><loc>{server.base}/portal/newsview/{n}</loc></url>" for n in (1, 2))
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    server.routes["/robots.txt"] = arvan_gate(server, b"User-agent: *\nDisallow: /admin/\n")
    server.routes["/sitemap.xml"] = arvan_gate(server, sitemap.encode())
    for n in (1, 2):
        server.routes[f"/portal/newsview/{n}"] = arvan_gate(server, page(str(n)).encode())
    source = article_source(
        tmp_path, "xx-arvan", server.base, sitemap=f"{server.base}/sitemap.xml", delay=0
    )
    summary = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    assert (summary.new, summary.failures) == (2, 0), summary.errors
    # The gate answered the first request only: the cookie is kept for the host's other pages.
    assert server.hits("/robots.txt") == 2
    assert server.hits("/sitemap.xml") == server.hits("/portal/newsview/2") == 1
    first, second = [h for p, h in server.requests if p == "/robots.txt"]
    assert "Cookie" not in first
    assert second["Cookie"] == COOKIE
    rows = archive.conn.execute(
        "SELECT status, warc_file, warc_offset FROM captures WHERE url LIKE '%/robots.txt' "
        "ORDER BY id"
    ).fetchall()
    assert [r["status"] for r in rows] == [307, 200]
    gate, passed = (read_exchange(archive.folder / r["warc_file"], r["warc_offset"]) for r in rows)
    assert gate.header("Set-Cookie").startswith(COOKIE)
    assert passed.body.startswith(b"User-agent")


def test_a_gate_that_keeps_redirecting_is_a_clear_failure(server):
    server.routes["/x"] = arvan_gate(server, b"never", stubborn=True)
    fetcher = Fetcher(lambda e: None, FetchSettings(retries=0))
    exchange = fetcher.get(f"{server.base}/x", delay=0)
    assert exchange.error.startswith("cookie gate not passed")
    assert server.hits("/x") == 2  # followed once, not looped


def test_a_javascript_challenge_is_a_failure_naming_the_other_routes(tmp_path, archive, server):
    challenge = b'<html><head><script>window["bobcmn"] = "0101";</script></head></html>'
    server.routes["/ru/foreign_policy/news/1/"] = (200, HTML, challenge)
    server.routes["/news/list-0.html"] = (
        200,
        HTML,
        b'<a class="item" href="/ru/foreign_policy/news/1/">1</a>',
    )
    source = article_source(
        tmp_path,
        "xx-mid",
        server.base,
        listing=f"{server.base}/news/list-{{page}}.html",
        links="a.item",
        articles="/foreign_policy/news/",
        sitemap=f"{server.base}/ru/sitemap.xml",
        max_pages=1,
        delay=0,
    )
    server.routes["/ru/sitemap.xml"] = (404, [], b"")
    summary = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    assert summary.new == 0
    assert archive.stats()["statements"] == 0  # never stored as a statement
    reasons = {f["url"]: f["reason"] for f in state.failures(archive, source.id)}
    reason = reasons[f"{server.base}/ru/foreign_policy/news/1/"]
    assert reason.startswith("F5 bot challenge page: the site demands a browser")
    assert f"sitemap {server.base}/ru/sitemap.xml" in reason
    assert f"listing {server.base}/news/list-{{page}}.html" in reason
    # With a Telegram channel, the message names it too (built, not crawled: no network here).
    with_channel = replace(source, telegram="MID_Russia")
    worker = SourceCrawl(Crawl(archive, [with_channel], CrawlOptions()), with_channel)
    message = worker.challenge_message("F5 bot challenge page", f"{server.base}/ru/x/")
    assert message.endswith("; Telegram channel https://t.me/s/MID_Russia")


def test_a_gate_through_a_check_page_is_passed_once(server):
    """A -> /check (302, sets the cookie) -> A: followed back once, with the cookie."""

    def page_a(h):
        if COOKIE in (h.headers.get("Cookie") or ""):
            return 200, HTML, b"<h1>A</h1>"
        return 302, [("Location", "/check?to=/a")], b""

    server.routes["/a"] = page_a
    server.routes["/check"] = (302, [("Location", "/a"), ("Set-Cookie", COOKIE)], b"")
    seen = []
    exchange = Fetcher(seen.append, FetchSettings(retries=0)).get(f"{server.base}/a", delay=0)
    assert (exchange.error, exchange.body) == (None, b"<h1>A</h1>")
    assert exchange.gate == "cookie gate passed (HTTP 302 back to the page with a cookie)"
    assert [e.status for e in seen] == [302, 302, 200]  # every exchange recorded
    server.routes["/check"] = (302, [("Location", "/a")], b"")  # no cookie: a plain loop
    fresh = Fetcher(lambda e: None, FetchSettings(retries=0)).get(f"{server.base}/a", delay=0)
    assert fresh.error.startswith("redirect loop")
