"""`sources check` (issue 10, item 6): exit 0 on a healthy source, non-zero on one whose
selectors find nothing; per page, what each selector found; evidence in the WARC."""

from __future__ import annotations

import json

from cli import main
from db import Archive
from tests.scraper.test_fetch import serve_articles


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
