"""Feeds and crawls (issue 9, item 4): a bad item costs only itself, failures are retried on
their own with backoff and given up, a killed feed crawl resumes from what the archive holds."""

from __future__ import annotations

from db import crawl as state
from scraper.crawl import Crawl, CrawlOptions
from scraper.discover.feed import parse_feed
from scraper.exchange import Exchange
from scraper.fetch import FetchSettings
from tests.scraper.test_faults import page, sources_file

SETTINGS = FetchSettings(retries=0, backoff=0.01, read_timeout=5.0)


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    """An RSS feed of (name, title) items linking {base}/p/{name}, guid 'guid-{name}'."""
    body = "".join(
        f"<item><title>{title}</title><link>{base}/p/{name}</link>"
        f'<guid isPermaLink="false">guid-{name}</guid>'
        f"<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate></item>"
        for name, title in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>'
        f"<link>{base}</link>{body}</channel></rss>"
    ).encode()


def serve(server, feed: dict, names: list[str], broken: set[str] | None = None) -> None:
    server.routes["/feed/"] = lambda h: (
        200,
        [("Content-Type", "application/rss+xml")],
        feed["body"],
    )
    for name in names:

        def handler(h, name=name):
            if broken is not None and name in broken:
                return 500, [], b"down"
            return 200, [("Content-Type", "text/html; charset=utf-8")], page(name).encode()

        server.routes[f"/p/{name}"] = handler


def test_parse_feed_keeps_the_items_around_an_invalid_character_reference():
    body = rss("http://x", [("a", "First"), ("b", "Bad &#55296; title"), ("c", "Third")])
    entries = parse_feed(Exchange(url="http://x/feed/", fetched_at="t", body=body))
    assert [(e.url, e.key, e.title) for e in entries if e.error is None] == [
        ("http://x/p/a", "guid-a", "First"),
        ("http://x/p/c", "guid-c", "Third"),
    ]
    [bad] = [e for e in entries if e.error is not None]
    assert (bad.url, bad.key) == ("http://x/p/b", "guid-b")
    assert "feed item 2" in bad.error
    assert "invalid character reference &#55296;" in bad.error


def test_a_bad_reference_in_the_channel_title_costs_no_item():
    body = rss("http://x", [("a", "First"), ("b", "Second")]).replace(
        b"<title>T</title>", b"<title>Ministry &#xD800; news</title>"
    )
    entries = parse_feed(Exchange(url="http://x/feed/", fetched_at="t", body=body))
    assert [(e.title, e.error) for e in entries] == [("First", None), ("Second", None)]


def test_a_bad_feed_item_is_a_failure_retried_on_its_own_with_backoff(tmp_path, archive, server):
    [source] = sources_file(tmp_path, server.base)
    feed = {"body": rss(server.base, [("a", "A"), ("b", "B &#55296;"), ("c", "C")])}
    serve(server, feed, ["a", "b", "c"])
    first = Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id]
    assert (first.new, first.failures) == (2, 1)
    [failure] = state.failures(archive, source.id)
    assert (failure["url"], failure["key"]) == (f"{server.base}/p/b", "guid-b")
    assert "&#55296;" in failure["reason"]
    assert server.hits("/p/b") == 0

    # The feed moves on: the bad item is gone from it. Its failure is retried on its own at the
    # next run, but it failed once more since (attempt 2), so it waits for its backoff first.
    feed["body"] = rss(server.base, [("c", "C")])
    archive.conn.execute("UPDATE crawl_failures SET attempts = 2")
    waiting = Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id]
    assert (waiting.retried, waiting.waiting, waiting.new) == (0, 1, 0)
    assert "1 waiting to be retried" in waiting.line()
    assert server.hits("/p/b") == 0

    archive.conn.execute("UPDATE crawl_failures SET last_at = '2000-01-01T00:00:00Z'")
    retried = Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id]
    assert (retried.retried, retried.new, retried.failures) == (1, 1, 0)
    assert "1 earlier failures retried" in retried.line()
    assert server.hits("/p/b") == 1
    # Keyed by the feed's guid, as the item would have been: no second statement by URL.
    statement = archive.get_statement(archive.find_statement(source.id, "guid-b"))
    assert statement.title == "Statement b"
    assert archive.find_statement(source.id, f"{server.base}/p/b") is None
    assert state.failures(archive, source.id) == []


def test_failures_are_given_up_after_max_attempts_and_shown(tmp_path, archive, server):
    [source] = sources_file(tmp_path, server.base)
    feed = {"body": rss(server.base, [("a", "A"), ("z", "Z")])}
    serve(server, feed, ["a", "z"], broken={"z"})
    options = CrawlOptions(settings=SETTINGS, retry_backoff=0, max_attempts=3)
    first = Crawl(archive, [source], options).run()[source.id]
    assert (first.new, first.failures) == (1, 1)
    feed["body"] = rss(server.base, [("a", "A")])  # z is no longer in the feed
    lines = []
    for _ in range(4):
        summary = Crawl(archive, [source], options).run()[source.id]
        lines.append((summary.retried, summary.failures, summary.given_up))
    # Attempts 2 and 3 are retries on their own; then z is left alone, and said so.
    assert lines == [(1, 1, 0), (1, 1, 0), (0, 0, 1), (0, 0, 1)]
    assert server.hits("/p/z") == 3
    assert "1 given up after too many attempts" in summary.line()
    assert summary.as_dict()["given_up"] == 1
    [failure] = state.failures(archive, source.id)
    assert failure["attempts"] == 3
    # --retry-failed tries it again anyway; the page is back, so it is archived.
    server.routes["/p/z"] = (200, [("Content-Type", "text/html")], page("z").encode())
    forced = CrawlOptions(settings=SETTINGS, max_attempts=3, retry_failed=True)
    again = Crawl(archive, [source], forced).run()[source.id]
    assert (again.retried, again.new, again.given_up) == (1, 1, 0)
    assert state.failures(archive, source.id) == []


def test_a_killed_feed_crawl_resumes_without_fetching_archived_pages(tmp_path, archive, server):
    [source] = sources_file(tmp_path, server.base)
    names = [f"n{i}" for i in range(8)]
    feed = {"body": rss(server.base, [(n, n.upper()) for n in names])}
    serve(server, feed, names)
    crawl = Crawl(archive, [source], CrawlOptions(settings=SETTINGS))

    def stop_after_three(summary):  # as a kill would: three statements committed, then nothing
        if summary.new == 3:
            crawl.stop.set()

    crawl.progress = stop_after_three
    assert crawl.run()[source.id].new == 3
    resumed = Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id]
    assert (resumed.new, resumed.skipped, resumed.failures) == (5, 3, 0)
    assert [server.hits(f"/p/{n}") for n in names] == [1] * 8
    assert archive.stats()["statements"] == 8


def test_a_feed_declared_update_fetches_the_archived_page_again(tmp_path, archive, server):
    [source] = sources_file(tmp_path, server.base)

    def atom(updated: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>T</title><id>urn:t</id><updated>{updated}</updated>"
            f'<entry><title>A</title><id>urn:a</id><link href="{server.base}/p/a"/>'
            f"<published>2024-03-01T10:00:00Z</published><updated>{updated}</updated></entry>"
            "</feed>"
        ).encode()

    feed = {"body": atom("2024-03-01T10:00:00Z")}
    serve(server, feed, ["a"])
    assert Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id].new == 1
    again = Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id]
    assert (again.skipped, server.hits("/p/a")) == (1, 1)
    feed["body"] = atom("2024-03-05T08:00:00Z")  # the source declares an edit
    edited = Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id]
    assert server.hits("/p/a") == 2
    assert edited.skipped == 0


def test_importing_the_crawl_warc_re_extracts_archived_feed_entries(tmp_path, archive, server):
    from scraper.warcimport import import_warc

    [source] = sources_file(tmp_path, server.base)
    feed = {"body": rss(server.base, [("a", "A"), ("b", "B")])}
    serve(server, feed, ["a", "b"])
    assert Crawl(archive, [source], CrawlOptions(settings=SETTINGS)).run()[source.id].new == 2
    [warc] = (archive.folder / "captures").glob("crawl-*.warc.gz")
    requests = len(server.requests)
    summary = import_warc(archive, warc, [source])[source.id]
    # Reading the WARC again costs no request, so archived pages are extracted again.
    assert (summary.unchanged, summary.skipped, summary.new) == (2, 0, 0)
    assert len(server.requests) == requests
