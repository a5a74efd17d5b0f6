"""Removed statements: gone from a listing between two that stay, or answering 404/410."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

import pytest

from cli import main
from scraper.crawl import Crawl, CrawlOptions
from scraper.removed import check_listing, mark_gone, missing_between, removal_of, removed_ids
from tests.conftest import FIXTURES
from tests.scraper.conftest import local_source

FEEDS = FIXTURES / "scraper" / "feeds" / "whitehouse"


@pytest.mark.parametrize(
    ("before", "now", "removed"),
    [
        (["a", "b", "c", "d"], ["n", "a", "c"], ["b"]),  # b taken down, d scrolled off the end
        (["a", "b", "c", "d"], ["n", "m", "a", "b", "c"], []),  # only scrolled
        (["a", "b", "c", "d"], ["a", "d"], ["b", "c"]),
        (["a", "b", "c"], ["b"], []),  # one survivor: nothing lies between two
        (["a", "b", "c"], ["x", "y"], []),  # a different listing altogether
        (["a", "b", "c", "d"], ["b", "c"], []),  # a and d at the ends: not proven removed
    ],
)
def test_only_a_statement_missing_between_two_that_stay_is_removed(before, now, removed):
    assert missing_between(before, now) == removed


def _snapshots() -> list[bytes]:
    text = (FEEDS / "manifest.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [gzip.decompress((FEEDS / (r["file"] + ".gz")).read_bytes()) for r in rows]


def _items(feed: bytes) -> list[bytes]:
    return re.findall(rb"<item>.*?</item>", feed, flags=re.S)


def _guid(item: bytes) -> str:
    return re.search(rb"<guid[^>]*>(.*?)</guid>", item, flags=re.S).group(1).decode()


@pytest.fixture
def feed_source(server, shipped_sources):
    return local_source(
        shipped_sources["us-whitehouse"], feed=f"{server.base}/feed/", wp_api=None, delay=0.0
    )


def _serve(server, current):
    server.routes["/feed/"] = lambda handler: (
        200,
        [("Content-Type", "application/rss+xml; charset=UTF-8")],
        current["body"],
    )


def test_real_feed_history_marks_nothing_and_a_taken_down_item_is_marked(
    archive, server, fast_settings, feed_source
):
    current: dict[str, bytes] = {}
    _serve(server, current)
    snapshots = _snapshots()[:12]
    for body in snapshots:  # real snapshots: items only scroll off the end
        current["body"] = body
        Crawl(archive, [feed_source], CrawlOptions(settings=fast_settings)).run()
    assert removed_ids(archive.conn) == set()

    # Constructed from the last real snapshot: its 5th item taken out (a statement taken down).
    last = snapshots[-1]
    items = _items(last)
    gone = items[4]
    current["body"] = last.replace(gone, b"")
    Crawl(archive, [feed_source], CrawlOptions(settings=fast_settings)).run()
    gone_id = archive.find_statement("us-whitehouse", _guid(gone))
    assert removed_ids(archive.conn) == {gone_id}
    removal = removal_of(archive.conn, gone_id)
    evidence = removal.evidence
    assert evidence["kind"] == "listing"
    assert evidence["listed_between"] == [_guid(items[3]), _guid(items[5])]
    assert evidence["capture"]["url"] == f"{server.base}/feed/"
    assert evidence["capture"]["warc_file"].endswith(".warc.gz")
    assert evidence["capture"]["status"] == 200
    # The archive keeps the statement and its versions.
    assert archive.get_statement(gone_id).current.text

    # Listed again later: no longer marked.
    current["body"] = last
    Crawl(archive, [feed_source], CrawlOptions(settings=fast_settings)).run()
    assert removed_ids(archive.conn) == set()


def test_recheck_marks_a_page_that_answers_410(archive, server, fast_settings, feed_source):
    snapshots = _snapshots()
    # Constructed: the real snapshots with their links pointed at the loopback server.
    first, later = (
        s.replace(b"https://www.whitehouse.gov", server.base.encode()) for s in snapshots[:2]
    )
    current = {"body": first}
    _serve(server, current)
    Crawl(archive, [feed_source], CrawlOptions(settings=fast_settings)).run()
    first_guids = [_guid(i) for i in _items(first)]
    later_guids = {_guid(i) for i in _items(later)}
    off = [g for g in first_guids if g not in later_guids]
    assert off  # items that scrolled off the feed between the two snapshots
    current["body"] = later
    urls = {}
    for guid in off:
        st = archive.get_statement(archive.find_statement("us-whitehouse", guid))
        urls[guid] = st.url
    gone_guid = off[0]
    for guid, url in urls.items():
        path = url.removeprefix(server.base)
        status = 410 if guid == gone_guid else 200
        server.routes[path] = (status, [("Content-Type", "text/html")], b"<html>page</html>")
    options = CrawlOptions(settings=fast_settings, recheck=True)
    Crawl(archive, [feed_source], options).run()
    gone_id = archive.find_statement("us-whitehouse", gone_guid)
    assert removed_ids(archive.conn) == {gone_id}
    evidence = removal_of(archive.conn, gone_id).evidence
    assert evidence["kind"] == "http"
    assert evidence["status"] == 410
    assert evidence["capture"]["url"] == urls[gone_guid]


def test_show_json_says_removed_or_null(tmp_path, capsys):
    path = str(tmp_path / "arc")
    fixture = FIXTURES / "related" / "statements.jsonl"
    assert main(["--archive", path, "import", str(fixture)]) == 0
    capsys.readouterr()
    from db import Archive

    with Archive.open(path) as archive:
        rows = archive.conn.execute(
            "SELECT key, archive_id FROM statements WHERE source_id = 'ru-kremlin' ORDER BY key"
        ).fetchall()
        keys = [r[0] for r in rows]
        capture = archive.conn.execute(
            "INSERT INTO captures (url, fetched_at, status) VALUES ('http://kremlin.ru/x', "
            "'2025-03-20T00:00:00Z', 404)"
        ).lastrowid
        assert check_listing(archive, "ru-kremlin", "pages", [(k, None) for k in keys]) == []
        assert check_listing(archive, "ru-kremlin", "pages", [(keys[0], 1), (keys[2], 1)]) == [
            rows[1][1]
        ]
        assert mark_gone(archive, "ru-kremlin", keys[2], 200, capture) is None
        assert mark_gone(archive, "ru-kremlin", keys[2], 404, capture) == rows[2][1]
    assert main(["--archive", path, "show", rows[1][1], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["removed"]["evidence"]["kind"] == "listing"
    assert set(data["removed"]) == {"detected_at", "evidence"}
    assert main(["--archive", path, "show", rows[2][1], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"]["evidence"]["status"] == 404
    assert main(["--archive", path, "show", rows[0][1], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] is None
    assert main(["--archive", path, "search", "", "--removed", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted(r["id"] for r in found["results"]) == sorted([rows[1][1], rows[2][1]])
