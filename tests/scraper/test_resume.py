"""kill -9 in the middle of a crawl leaves a consistent archive; the next run finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import Archive
from tests.scraper.test_faults import page

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 60


def _serve(server) -> None:
    urls = "".join(f"<url><loc>{server.base}/a/{i}</loc></url>" for i in range(ARTICLES))
    server.routes["/sitemap.xml"] = (
        200,
        [("Content-Type", "application/xml")],
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
    )
    # The same articles as a feed without content: keys are guids, pages must be fetched.
    items = "".join(
        f"<item><title>T{i}</title><link>{server.base}/a/{i}</link>"
        f'<guid isPermaLink="false">urn:a:{i}</guid></item>'
        for i in range(ARTICLES)
    )
    server.routes["/feed.xml"] = (
        200,
        [("Content-Type", "application/rss+xml")],
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
    )
    for i in range(ARTICLES):
        server.routes[f"/a/{i}"] = (
            200,
            [("Content-Type", "text/html; charset=utf-8")],
            page(str(i)).encode(),
        )


def _scrape(folder: Path, sources: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--archive",
            str(folder),
            "scrape",
            "--sources",
            str(sources),
            "xx-kill",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _statements(db_file: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("discovery", ["sitemap", "feed"])
def test_kill_9_mid_crawl_then_rerun_has_no_duplicates(tmp_path, server, discovery):
    _serve(server)
    where = "sitemap.xml" if discovery == "sitemap" else "feed.xml"
    sources = tmp_path / "sources.toml"
    # 0.05 s between requests: the crawl takes at least 3 s, time enough to kill it midway.
    sources.write_text(
        f'''[[source]]
id = "xx-kill"
name = "Kill test"
institution = "Ministry"
country = "XX"
language = "en"
{discovery} = "{server.base}/{where}"
title = "h1"
date = ".date"
body = "article"
delay = 0.05
''',
        encoding="utf-8",
    )
    folder = tmp_path / "arc"
    proc = _scrape(folder, sources)
    deadline = time.monotonic() + 60
    while _statements(folder / "archive.sqlite") < 15 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _statements(folder / "archive.sqlite")
    assert 15 <= killed_at < ARTICLES

    with Archive.open(folder) as arc:  # consistent: opens, integrity holds, one version each
        assert arc.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stats = arc.stats()
        assert stats["statements"] == stats["versions"] == killed_at

    rerun = _scrape(folder, sources)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    assert f"xx-kill: {ARTICLES - killed_at} new, 0 new versions" in out.decode()
    with Archive.open(folder) as arc:
        stats = arc.stats()
        assert stats["statements"] == ARTICLES
        assert stats["versions"] == ARTICLES
        # Each WARC record has at most one capture row, and every version has its capture.
        dupes = arc.conn.execute(
            """SELECT warc_file, warc_offset FROM captures
               GROUP BY warc_file, warc_offset HAVING COUNT(*) > 1"""
        ).fetchall()
        assert dupes == []
        orphans = arc.conn.execute(
            "SELECT COUNT(*) FROM versions WHERE capture_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        # The killed run's pages were not fetched again.
        fetched = arc.conn.execute(
            "SELECT COUNT(DISTINCT url) FROM captures WHERE url LIKE '%/a/%'"
        ).fetchone()[0]
        total = arc.conn.execute("SELECT COUNT(*) FROM captures WHERE url LIKE '%/a/%'").fetchone()[
            0
        ]
        assert fetched == ARTICLES
        assert total <= ARTICLES + 1
