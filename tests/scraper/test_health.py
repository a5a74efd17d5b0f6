"""`sources check` (issue 10, item 6): exit 0 on a healthy source, non-zero on one whose
selectors find nothing; per page, what each selector found; evidence in the WARC."""

from __future__ import annotations

import json
import re

import pytest

from cli import main
from db import Archive
from tests.scraper.test_fetch import serve_articles, sitemap


def sources_toml(tmp_path, base: str) -> str:
    path = tmp_path / "check.toml"
    common = f'''country = "XX"
language = "en"
institution = "Ministry"
sitemap = "{base}/sitemap.xml"
delay = 0
'''
    path.write_text(
        f"""[[source]]
id = "xx-healthy"
name = "Healthy"
title = "h1"
date = ".date"
body = "article"
{common}
[[source]]
id = "xx-broken"
name = "Broken (the site changed its markup)"
title = "h1.headline"
date = "time.published"
body = "div.content"
{common}""",
        encoding="utf-8",
    )
    return str(path)


def check(tmp_path, server, capsys, *ids: str, as_json: bool = False):
    if "/sitemap.xml" not in server.routes:
        serve_articles(server, 5)
    argv = ["--archive", str(tmp_path / "arc"), "sources", "check", *ids]
    argv += ["--sources", sources_toml(tmp_path, server.base), "--items", "2"]
    status = main(argv + (["--json"] if as_json else []))
    return status, capsys.readouterr().out


def test_a_healthy_source_passes(tmp_path, server, capsys):
    status, out = check(tmp_path, server, capsys, "xx-healthy")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == (
        f"xx-healthy: OK · discovery (sitemap {server.base}/sitemap.xml) found 2 entries"
    )
    assert f"  {server.base}/a/0: complete (from the page)" in lines
    assert "    title    (h1): 'Statement 0'" in lines
    assert "    date     (.date): '2024-03-01' → 2024-03-01" in lines
    assert "    body     (article): 40 characters" in lines
    assert "    speaker  (no selector): nothing" in lines
    # Politely recorded like any crawl, but nothing archived as a statement.
    with Archive.open(tmp_path / "arc") as arc:
        urls = {r[0] for r in arc.conn.execute("SELECT url FROM captures")}
        assert {f"{server.base}/a/0", f"{server.base}/a/1", f"{server.base}/robots.txt"} <= urls
        assert arc.stats()["statements"] == 0
    assert server.hits("/a/2") == 0  # only the newest few


def test_a_source_whose_selectors_find_nothing_fails(tmp_path, server, capsys):
    status, out = check(tmp_path, server, capsys, "xx-healthy", "xx-broken", as_json=True)
    assert status == 1
    reports = {r["source_id"]: r for r in json.loads(out)}
    assert reports["xx-healthy"]["ok"] is True
    broken = reports["xx-broken"]
    assert broken["ok"] is False
    assert broken["discovered"] == 2
    first = broken["pages"][0]
    assert first["url"] == f"{server.base}/a/0"
    assert first["complete"] is False
    assert first["fields"]["title"] == {
        "selector": "h1.headline",
        "found": None,
        "chars": None,
        "iso": None,
    }
    assert first["fields"]["body"]["found"] is None
    assert first["generic"] is True  # trafilatura stepped in: the page still gave a text
    assert first["problems"] == [
        "title: the selector found nothing",
        "date: the selector found nothing",
        "body: the selector found nothing",
        "body: the generic extractor had to step in",
    ]


def test_a_check_reports_discovery_failures_and_challenges(tmp_path, server, capsys):
    serve_articles(server, 2)
    server.routes["/a/1"] = (
        200,
        [("Content-Type", "text/html")],
        b'<html><script>window["bobcmn"] = "1";</script></html>',
    )
    status, out = check(tmp_path, server, capsys, "xx-healthy")
    assert status == 1
    assert f"  {server.base}/a/1: INCOMPLETE (from the page)" in out
    assert "    error: F5 bot challenge page: the site demands a browser" in out
    server.routes["/sitemap.xml"] = (404, [], b"gone")
    status = main(
        [
            "--archive",
            str(tmp_path / "arc"),
            "sources",
            "check",
            "xx-healthy",
            "--sources",
            str(tmp_path / "check.toml"),
        ]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "xx-healthy: PROBLEM · discovery" in out
    assert f"  discovery: {server.base}/sitemap.xml: HTTP 404 Not Found" in out


def test_sources_without_check_still_lists(tmp_path, capsys):
    assert main(["sources", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main(["sources", "verify"]) == 2
    assert "use: sources check" in capsys.readouterr().err


def test_a_check_names_the_gate_it_passed(tmp_path, server, capsys):
    from tests.scraper.test_faults import page
    from tests.scraper.test_gates import arvan_gate

    serve_articles(server, 2)
    server.routes["/a/0"] = arvan_gate(server, page("0").encode())
    status, out = check(tmp_path, server, capsys, "xx-healthy", as_json=True)
    assert status == 0  # a gate passed is no problem, but it is said
    [report] = json.loads(out)
    gates = {p["url"].rsplit("/", 1)[1]: p["gate"] for p in report["pages"]}
    assert gates == {"0": "cookie gate passed (HTTP 307 back to the page with a cookie)", "1": None}


def test_a_page_the_extractor_chokes_on_is_that_pages_finding(
    tmp_path, server, capsys, monkeypatch
):
    import scraper.health

    def choke(*args, **kwargs):
        raise RuntimeError("parser choked")

    monkeypatch.setattr(scraper.health, "extract_page", choke)
    status, out = check(tmp_path, server, capsys, "xx-healthy", as_json=True)
    assert status == 1
    [report] = json.loads(out)
    assert report["discovery_errors"] == []
    assert [p["error"] for p in report["pages"]] == [
        "extraction failed: RuntimeError: parser choked"
    ] * 2


@pytest.mark.parametrize("fetch_pages", ["auto", "always"])
def test_a_check_on_real_en_kremlin_ru_pages_is_complete(
    archive, server, shipped_sources, fetch_pages
):
    """The shipped ru-kremlin-en source against its real Atom feed and article pages of 2020
    (tests/fixtures/sites/kremlin-en-2020, CC BY 4.0 "President of Russia, kremlin.ru"): as
    shipped the feed's content is used; with fetch_pages = "always" every selector is checked
    on the real pages."""
    from scraper.health import check_sources
    from tests.conftest import FIXTURES
    from tests.scraper.conftest import local_source

    folder = FIXTURES / "sites" / "kremlin-en-2020"
    have = {p.stem for p in folder.glob("*.html")}
    feed = (folder / "feed.atom").read_text(encoding="utf-8")
    for entry in re.findall(r"<entry>.*?</entry>", feed, re.S):
        if re.search(r"/news/(\d+)</id>", entry).group(1) not in have:
            feed = feed.replace(entry, "")  # only the entries whose page was captured
    feed = feed.replace("http://en.kremlin.ru", server.base)
    server.routes["/events/president/news/feed"] = (
        200,
        [("Content-Type", "application/atom+xml")],
        feed.encode(),
    )
    for stem in have:
        server.routes[f"/events/president/news/{stem}"] = (
            200,
            [("Content-Type", "text/html; charset=utf-8")],
            (folder / f"{stem}.html").read_bytes(),
        )
    source = local_source(
        shipped_sources["ru-kremlin-en"],
        feed=f"{server.base}/events/president/news/feed",
        listing=None,
        listing_first=None,
        fetch_pages=fetch_pages,
        delay=0.0,
    )
    [report] = check_sources(archive, [source], items=3)
    assert report.ok, "\n".join(report.lines())
    assert report.discovered == 3
    by_id = {page.url.rsplit("/", 1)[1]: page for page in report.pages}
    assert set(by_id) == {"63950", "63951", "63952"}
    moldova = by_id["63950"]
    assert moldova.origin == ("feed" if fetch_pages == "auto" else "page")
    assert moldova.fields["title"].found == "Greetings to President of Moldova on Independence Day"
    assert moldova.fields["date"].iso == "2020-08-27T10:00:00+03:00"  # Moscow, not the feed's +04
    for page in report.pages:
        assert page.complete
        assert not page.generic
        assert page.fields["body"].chars > 250


def test_a_check_changes_nothing_in_the_archive_and_asks_no_archived_page(tmp_path, server, capsys):
    """The check re-reads the newest items only: no removal marks, no --recheck sweep of the
    source's archived pages, even when discovery lists fewer items than --items."""
    from cli import main as cli_main

    serve_articles(server, 5)
    folder = str(tmp_path / "arc")
    toml = sources_toml(tmp_path, server.base)
    assert cli_main(["--archive", folder, "scrape", "--sources", toml, "xx-healthy"]) == 0
    capsys.readouterr()
    server.routes["/sitemap.xml"] = (  # now only two articles are listed; /a/3 answers 404
        200,
        [("Content-Type", "application/xml")],
        sitemap(server.base, 2),
    )
    server.routes["/a/3"] = (404, [], b"gone")
    before = {p: server.hits(p) for p in ("/a/2", "/a/3", "/a/4")}
    with Archive.open(folder) as arc:
        tables = {
            r[0] for r in arc.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        snapshot = {
            t: arc.conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t != "captures"
        }
    argv = ["--archive", folder, "sources", "check", "xx-healthy", "--sources", toml]
    status = cli_main(argv + ["--items", "5"])  # more than the two listed: discovery runs out
    out = capsys.readouterr().out
    assert status == 0, out
    assert "found 2 entries" in out
    assert {p: server.hits(p) for p in before} == before
    with Archive.open(folder) as arc:
        after = {
            t: arc.conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t != "captures"
        }
    assert after == snapshot
