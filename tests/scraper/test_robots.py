"""robots.txt by RFC 9309 (protego): wildcards, longest match, Crawl-delay honoured."""

from __future__ import annotations

from db import crawl as state
from scraper.crawl import Crawl, CrawlOptions
from scraper.exchange import Exchange
from scraper.fetch import HostPacer
from scraper.robots import Robots
from tests.scraper.test_faults import page
from tests.scraper.test_fetch import article_source

ROBOTS = b"""User-agent: *
Disallow: /*/secret/
Disallow: /news/
Allow: /news/public/
Crawl-delay: 2
"""


class FakeFetcher:
    def __init__(self, body: bytes, status: int = 200) -> None:
        self.body, self.status, self.asked = body, status, []

    def get(self, url: str, *, delay: float = 0.0, **_):
        self.asked.append(url)
        return Exchange(url=url, fetched_at="t", status=self.status, body=self.body)


def test_wildcards_and_the_longest_match_decide():
    fetcher = FakeFetcher(ROBOTS)
    robots = Robots(fetcher, "Communique/0.1 (offline archive; +https://example.org)")
    allowed = lambda path: robots.check("https://gov.example" + path)[0]  # noqa: E731
    assert not allowed("/en/secret/plan.html")  # the stdlib parser allowed this (no wildcards)
    assert not allowed("/a/b/secret/")
    assert allowed("/secret/top.html")  # `/*/secret/` needs a segment before
    assert not allowed("/news/2024/x.html")
    assert allowed("/news/public/x.html")  # the longer Allow wins (stdlib: the first match)
    assert robots.check("https://gov.example/news/1")[1] == "disallowed by robots.txt"
    assert robots.delay("https://gov.example/x") == 2.0
    assert fetcher.asked == ["https://gov.example/robots.txt"]  # fetched once per origin


def test_request_rate_and_agent_specific_groups():
    body = b"User-agent: Communique\nRequest-rate: 1/5\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    robots = Robots(FakeFetcher(body), "Communique/0.1 (offline archive)")
    assert robots.check("https://x.example/news")[0]
    assert not robots.check("https://x.example/private/1")[0]
    assert robots.delay("https://x.example/news") == 5.0


class FakeClock:
    """time.monotonic and time.sleep for the pacer: sleeping advances the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_a_site_is_crawled_without_its_secret_pages_and_at_its_crawl_delay(
    tmp_path, archive, server
):
    paths = ["/a/1.html", "/en/secret/2.html", "/a/3.html", "/x/y/secret/4.html", "/b/5.html"]
    clock = FakeClock()
    at: dict[str, float] = {}

    def serve(path, body):
        def handler(h):
            at[h.path] = clock.now
            return 200, [("Content-Type", "text/html; charset=utf-8")], body

        server.routes[path] = handler

    urls = "".join(f"<url><loc>{server.base}{p}</loc></url>" for p in paths)
    serve(
        "/sitemap.xml",
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
    )
    serve("/robots.txt", ROBOTS)
    for n, path in enumerate(paths):
        serve(path, page(str(n)).encode())
    source = article_source(
        tmp_path, "xx-robots", server.base, sitemap=f"{server.base}/sitemap.xml", delay=0.5
    )
    options = CrawlOptions(pacer=HostPacer(clock.clock, clock.sleep))
    summary = Crawl(archive, [source], options).run()[source.id]
    assert (summary.new, summary.disallowed) == (3, 2)
    assert server.hits("/en/secret/2.html") == server.hits("/x/y/secret/4.html") == 0
    assert state.disallowed(archive, source.id) == [
        f"{server.base}/en/secret/2.html",
        f"{server.base}/x/y/secret/4.html",
    ]
    # robots.txt, the sitemap and three pages, each 2 s after the one before (the source's own
    # 0.5 s is raised to the host's Crawl-delay), measured on the pacer's clock, not the wall's.
    order = [p for p, _ in server.requests]
    assert order == ["/robots.txt", "/sitemap.xml", "/a/1.html", "/a/3.html", "/b/5.html"]
    times = [at[p] for p in order]
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == [2.0, 2.0, 2.0, 2.0]
    assert clock.sleeps == [2.0, 2.0, 2.0, 2.0]


def test_groups_match_our_product_token_not_words_of_the_user_agent_comment():
    body = b"User-agent: archive\nDisallow: /\n\nUser-agent: github\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    ua = "Communique/0.1 (offline archive of official statements; +https://github.com/x)"
    robots = Robots(FakeFetcher(body), ua)
    assert robots.check("https://x.example/news")[0]
    mine = b"User-agent: communique\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"
    robots = Robots(FakeFetcher(mine), ua)
    assert robots.check("https://x.example/news")[0]  # case-insensitive: our group applies
    assert not robots.check("https://x.example/private/1")[0]


def test_the_real_en_kremlin_ru_robots_txt():
    from tests.conftest import FIXTURES

    body = (FIXTURES / "scraper" / "robots" / "en-kremlin-ru-2020.txt").read_bytes()
    robots = Robots(FakeFetcher(body), "Communique/0.1 (offline archive)")
    allowed = lambda path: robots.check("http://en.kremlin.ru" + path)[0]  # noqa: E731
    assert allowed("/events/president/news/63911")
    assert allowed("/events/president/transcripts/page/2")
    assert not allowed("/search?query=Ukraine")
    assert not allowed("/events/president/news/copy/63911")
    assert not allowed("/acts/news/copy/1")
    assert robots.delay("http://en.kremlin.ru/") == 0.0  # it asks for no Crawl-delay
