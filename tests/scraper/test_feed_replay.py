"""Real White House and State Department feed snapshots served one after another from 127.0.0.1."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

from scraper.crawl import Crawl, CrawlOptions
from tests.conftest import FIXTURES
from tests.scraper.conftest import local_source

FEEDS = FIXTURES / "scraper" / "feeds"
SOURCE_FOR = {"whitehouse": "us-whitehouse", "state": "us-state"}


def _manifest(site: str) -> list[dict]:
    text = (FEEDS / site / "manifest.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _edits(site: str) -> list[dict]:
    with gzip.open(FEEDS / site / "edits.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.parametrize("site", ["whitehouse", "state"])
def test_snapshots_one_after_another_give_exact_statements_and_versions(
    site, archive, server, fast_settings, shipped_sources
):
    rows = _manifest(site)
    source = local_source(
        shipped_sources[SOURCE_FOR[site]], feed=f"{server.base}/feed/", wp_api=None, delay=0.0
    )
    current: dict[str, bytes] = {}
    server.routes["/feed/"] = lambda handler: (
        200,
        [("Content-Type", "application/rss+xml; charset=UTF-8")],
        current["body"],
    )
    totals = {"new": 0, "versions": 0}
    for row in rows:
        current["body"] = gzip.decompress((FEEDS / site / (row["file"] + ".gz")).read_bytes())
        summary = Crawl(archive, [source], CrawlOptions(settings=fast_settings)).run()[source.id]
        assert summary.failures == 0, summary.errors
        assert summary.new == int(row["new_items"]), row["file"]
        assert summary.versions == int(row["edited_items"]), row["file"]
        totals["new"] += summary.new
        totals["versions"] += summary.versions

    stats = archive.stats()
    expected_statements = sum(int(r["new_items"]) for r in rows)
    expected_edits = sum(int(r["edited_items"]) for r in rows)
    assert stats["statements"] == expected_statements == totals["new"]
    assert stats["versions"] == expected_statements + expected_edits
    # Feeds carry full content: no article page was fetched, only robots.txt and the feed.
    assert {path for path, _ in server.requests} == {"/robots.txt", "/feed/"}
    assert server.hits("/feed/") == len(rows)

    # Kind and speaker of every item agree with the corpus built from the same feeds.
    expected = _expected(site)
    assert len(expected) == expected_statements
    for item in expected:
        statement = archive.get_statement(archive.find_statement(source.id, item["guid"]))
        assert (statement.kind, statement.speaker) == (item["kind"], item["speaker"]), (
            statement.title
        )

    # Every real edit of the window is there, version by version, with the published text.
    for item in _edits(site):
        archive_id = archive.find_statement(source.id, item["guid"])
        statement = archive.get_statement(archive_id)
        # Exactly the plain text of the interchange conventions, not merely the same words.
        assert [v.text for v in statement.versions] == [v["text"] for v in item["versions"]], item[
            "guid"
        ]


def _expected(site: str) -> list[dict]:
    with gzip.open(FEEDS / site / "expected.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_whitehouse_statement_fields(archive, server, fast_settings, shipped_sources):
    rows = _manifest("whitehouse")
    body = gzip.decompress((FEEDS / "whitehouse" / (rows[0]["file"] + ".gz")).read_bytes())
    server.routes["/feed/"] = (200, [("Content-Type", "application/rss+xml")], body)
    source = local_source(shipped_sources["us-whitehouse"], feed=f"{server.base}/feed/", delay=0.0)
    Crawl(archive, [source], CrawlOptions(settings=fast_settings)).run()
    statement = archive.get_statement(
        archive.find_statement(source.id, "https://www.whitehouse.gov/?p=18205")
    )
    assert statement.title == "FACT SHEET: United States – Republic of Korea Partnership"
    assert statement.kind == "fact-sheet"
    assert statement.published_raw == "Sat, 22 May 2021 00:45:13 +0000"
    assert statement.published == "2021-05-22T00:45:13+00:00"
    assert statement.url.endswith(
        "/2021/05/21/fact-sheet-united-states-republic-of-korea-partnership/"
    )
    text = statement.current.text
    assert text.startswith("The United States and the Republic of Korea (ROK) pledge to strengthen")
    assert "\n\n" in text
    assert "  " not in text
    assert "\u00a0" not in text
    assert "<p>" not in text
    assert statement.current.capture is not None
    assert statement.current.capture.warc_file.startswith("captures/crawl-")
    html = statement.current.html
    assert html.startswith("<p>The United States and the Republic of Korea")
    assert "<script" not in html


def test_own_warc_replays_to_the_same_archive(
    tmp_path, archive, server, fast_settings, shipped_sources
):
    """What the crawler wrote (gzip-encoded responses kept as received) re-extracts identically."""
    from db import Archive
    from scraper.warcimport import import_warc
    from scraper.warcstore import iter_responses, read_exchange

    rows = _manifest("state")[:3]
    source = local_source(
        shipped_sources["us-state"], feed=f"{server.base}/feed/", wp_api=None, delay=0.0
    )
    current: dict[str, bytes] = {}
    server.routes["/feed/"] = lambda handler: (
        200,
        [("Content-Type", "application/rss+xml; charset=UTF-8"), ("Content-Encoding", "gzip")],
        gzip.compress(current["body"]),
    )
    for row in rows:
        current["body"] = gzip.decompress((FEEDS / "state" / (row["file"] + ".gz")).read_bytes())
        Crawl(archive, [source], CrawlOptions(settings=fast_settings)).run()
    [warc] = sorted(archive.captures_dir.glob("crawl-*.warc.gz"))[:1]
    feeds = [
        read_exchange(warc, off) for url, off, _ in iter_responses(warc) if url.endswith("/feed/")
    ]
    assert feeds[0].header("Content-Encoding") == "gzip"
    assert feeds[0].body.startswith(b"<?xml")

    with Archive.open(tmp_path / "copy", create=True) as copy:
        for path in sorted(archive.captures_dir.glob("crawl-*.warc.gz")):
            import_warc(copy, path, [source])
        assert copy.stats() == archive.stats()
        for (key,) in archive.conn.execute("SELECT key FROM statements"):
            ours = archive.get_statement(archive.find_statement(source.id, key))
            theirs = copy.get_statement(copy.find_statement(source.id, key))
            assert [v.text for v in ours.versions] == [v.text for v in theirs.versions]
