"""kill -9 in the middle of a crawl leaves a consistent archive; the next run finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from db import Archive
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
WARC = FIXTURES / "scraper" / "fmprc-subset.warc.gz"


def _scrape(folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--archive",
            str(folder),
            "scrape",
            "--replay",
            str(WARC),
            "cn-mfa-en",
            "cn-mfa-zh",
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


def test_kill_9_mid_crawl_then_rerun_has_no_duplicates(tmp_path):
    folder = tmp_path / "arc"
    proc = _scrape(folder)
    deadline = time.monotonic() + 60
    while _statements(folder / "archive.sqlite") < 30 and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the crawl ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _statements(folder / "archive.sqlite")
    assert 30 <= killed_at < 105

    with Archive.open(folder) as arc:  # consistent: opens, integrity holds, versions match
        assert arc.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stats = arc.stats()
        assert stats["statements"] == stats["versions"] >= killed_at

    rerun = _scrape(folder)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    with Archive.open(folder) as arc:
        stats = arc.stats()
        assert stats["statements"] == 105
        assert stats["versions"] == 105
        dupes = arc.conn.execute(
            """SELECT url, fetched_at, payload_sha256, COUNT(*) FROM captures
               GROUP BY url, fetched_at, payload_sha256 HAVING COUNT(*) > 1"""
        ).fetchall()
        assert dupes == []
        orphans = arc.conn.execute(
            "SELECT COUNT(*) FROM versions WHERE capture_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
