"""Politeness and discovery against loopback servers: UA, pacing, parallel hosts, 304, WP API, sitemap."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from db import crawl as state
from scraper.crawl import Crawl, CrawlOptions
from scraper.fetch import USER_AGENT, Fetcher, FetchSettings, HostPacer
from scraper.sources import load_file
from tests.scraper.conftest import LoopbackServer
from tests.scraper.test_faults import page


def article_source(tmp_path, name: str, base: str, **extra) -> object:
    lines = "\n".join(f"{k} = {json.dumps(v)}" for k, v in extra.items())
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f'''[[source]]
id = "{name}"
name = "{name}"
institution = "Ministry"
country = "XX"
language = "en"
title = "h1"
date = ".date"
body = "article"
{lines}
''',
        encoding="utf-8",
    )
    return load_file(path)[0]


def sitemap(base: str, n: int) -> bytes:
    urls = "".join(f"<url><loc>{base}/a/{i}</loc></url>" for i in range(n))
    return (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    ).encode()


def serve_articles(server, n: int) -> None:
    server.routes["/sitemap.xml"] = (
        200,
        [("Content-Type", "application/xml")],
        sitemap(server.base, n),
    )
    for i in range(n):
        server.routes[f"/a/{i}"] = (
            200,
            [("Content-Type", "text/html; charset=utf-8")],
            page(str(i)).encode(),
        )


def test_honest_user_agent_and_delay_between_requests_to_one_host(server):
    server.routes["/x"] = (200, [], b"x")
    from tests.scraper.test_robots import FakeClock

    clock = FakeClock()
    fetcher = Fetcher(lambda exchange: None, FetchSettings(), HostPacer(clock.clock, clock.sleep))
    for _ in range(3):
        assert fetcher.get(f"{server.base}/x", delay=0.3).ok
    assert clock.sleeps == [0.3, 0.3]  # on the pacer's clock: no wall-time assert
    assert all(h["User-Agent"] == USER_AGENT for _, h in server.requests)
    assert "Communique" in USER_AGENT
    assert "https://" in USER_AGENT


def test_hosts_are_crawled_in_parallel(tmp_path, archive):
    servers = [LoopbackServer() for _ in range(3)]
    # Each host's first request waits at a barrier for the other two: it can only be passed
    # when all three hosts are being crawled at once (a sequential crawl would break it after
    # 30 s). A proof of parallelism that does not depend on the machine's speed.
    barrier = threading.Barrier(3)
    met: set[str] = set()

    class MeetingPacer(HostPacer):
        def wait(self, host: str, delay: float) -> None:
            if host not in met:
                met.add(host)
                barrier.wait(timeout=30)
            super().wait(host, delay)

    try:
        sources = []
        for n, srv in enumerate(servers):
            serve_articles(srv, 4)
            sources.append(
                article_source(
                    tmp_path, f"xx-host{n}", srv.base, sitemap=f"{srv.base}/sitemap.xml", delay=0.01
                )
            )
        summaries = Crawl(archive, sources, CrawlOptions(pacer=MeetingPacer())).run()
    finally:
        for srv in servers:
            srv.close()
    assert [s.new for s in summaries.values()] == [4, 4, 4]
    assert len(met) == 3
    assert not barrier.broken
    assert archive.stats()["statements"] == 12


def test_conditional_get_on_recrawl(tmp_path, archive, server):
    feed_xml = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        f"<title>One</title><link>{server.base}/a/1</link><guid>g1</guid>"
        f"<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate></item></channel></rss>"
    ).encode()

    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, [("ETag", '"v1"')], b""
        return 200, [("ETag", '"v1"'), ("Content-Type", "application/rss+xml")], feed_xml

    server.routes["/feed"] = feed
    server.routes["/a/1"] = (200, [("Content-Type", "text/html")], page("1").encode())
    source = article_source(tmp_path, "xx-cond", server.base, feed=f"{server.base}/feed", delay=0)
    first = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    second = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    assert first.new == 1
    assert (second.new, second.failures) == (0, 0)
    feed_requests = [h for p, h in server.requests if p == "/feed"]
    assert "If-None-Match" not in feed_requests[0]
    assert feed_requests[1]["If-None-Match"] == '"v1"'
    assert server.hits("/a/1") == 1  # nothing new in the feed: no page fetched again


def test_wordpress_api_backfill_is_paged_and_keeps_declared_modification(tmp_path, archive, server):
    posts = [
        {
            "id": i,
            "link": f"{server.base}/post-{i}/",
            "guid": {"rendered": f"{server.base}/?p={i}"},
            "title": {"rendered": f"Statement&#160;{i} &#8211; test"},
            "content": {"rendered": f"<p>Text of {i}.</p><p>More.</p>"},
            "date_gmt": "2021-06-01T10:00:00",
            "modified_gmt": "2021-06-02T11:00:00",
        }
        for i in range(5)
    ]

    def api(handler):
        pageno = int(parse_qs(urlsplit(handler.path).query)["page"][0])
        chunk = posts[(pageno - 1) * 2 : pageno * 2]
        return (
            200,
            [("Content-Type", "application/json"), ("X-WP-TotalPages", "3")],
            json.dumps(chunk).encode(),
        )

    server.routes["/wp-json/wp/v2/posts"] = api
    source = article_source(
        tmp_path, "xx-wp", server.base, wp_api=f"{server.base}/wp-json/wp/v2/posts", delay=0
    )
    summary = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    assert summary.new == 5
    assert server.hits("/robots.txt") == 1
    assert len([p for p, _ in server.requests if p.startswith("/wp-json")]) == 3
    st = archive.get_statement(archive.find_statement("xx-wp", f"{server.base}/?p=3"))
    assert st.title == "Statement 3 – test"
    assert st.current.text == "Text of 3.\n\nMore."
    assert st.current.declared_modified == "2021-06-02T11:00:00Z"
    assert st.published == "2021-06-01T10:00:00+00:00"


def test_since_and_max_items(tmp_path, archive, server):
    serve_articles(server, 6)
    source = article_source(
        tmp_path, "xx-lim", server.base, sitemap=f"{server.base}/sitemap.xml", delay=0
    )
    summary = Crawl(archive, [source], CrawlOptions(max_items=2)).run()[source.id]
    assert summary.new == 2
    summary = Crawl(archive, [source], CrawlOptions(since="2024-03-02")).run()[source.id]
    assert summary.new == 0
    assert summary.skipped == 6


def test_robots_txt_server_error_makes_failures_to_retry(tmp_path, archive, server):
    serve_articles(server, 2)
    server.routes["/robots.txt"] = (503, [], b"down")
    source = article_source(
        tmp_path, "xx-rob", server.base, sitemap=f"{server.base}/sitemap.xml", delay=0
    )
    settings = FetchSettings(retries=1, backoff=0.01)
    summary = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]
    assert summary.new == 0
    assert summary.failures == 1
    [failure] = state.failures(archive, "xx-rob")
    assert failure["url"] == f"{server.base}/sitemap.xml"
    assert (
        failure["reason"] == "discovery page: robots.txt unavailable (HTTP 503 Service Unavailable)"
    )
    assert server.hits("/sitemap.xml") == 0
    server.routes["/robots.txt"] = (404, [], b"")  # no robots.txt: everything allowed
    summary = Crawl(archive, [source], CrawlOptions(settings=settings)).run()[source.id]
    assert (summary.new, summary.failures) == (2, 0)
    assert state.failures(archive, "xx-rob") == []


def test_generic_extractor_steps_in_with_a_warning_naming_the_source(
    tmp_path, archive, server, caplog
):
    serve_articles(server, 1)
    source = article_source(
        tmp_path, "xx-gen", server.base, sitemap=f"{server.base}/sitemap.xml", delay=0
    )
    source = replace(source, body="div.no-such-body")
    with caplog.at_level("WARNING", logger="communique.scraper"):
        summary = Crawl(archive, [source], CrawlOptions()).run()[source.id]
    assert summary.new == 1
    assert any(
        "xx-gen" in r.getMessage() and "generic extractor" in r.getMessage() for r in caplog.records
    )
    st = archive.get_statement(archive.find_statement("xx-gen", f"{server.base}/a/0"))
    assert "First paragraph of 0." in st.current.text
    assert "track()" not in st.current.text


def test_refused_connection_is_retried_and_recorded():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    attempts = []
    fetcher = Fetcher(attempts.append, FetchSettings(retries=2, backoff=0.01))
    exchange = fetcher.get(f"http://127.0.0.1:{port}/x", delay=0)
    assert exchange.status is None
    assert exchange.error.startswith("connection failed:")
    assert "refused" in exchange.error
    assert len(attempts) == 3  # every attempt reaches the recorder (and so the WARC)
