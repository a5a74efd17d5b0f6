"""Verify an archive: SQLite's own integrity check, every stored text against its SHA-256, the
search indexes against the archive, and every capture's WARC record and payload digest.

Qt-free and callable from any thread (with its own `Archive`); `on_progress(stage, done,
total)` reports as it goes and `cancelled()` stops between rows. The WARC part is given by the
caller (`verify_capture`, e.g. `scraper.verify.verify_capture`) because reading WARCs needs
warcio, which `db/` does not import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from .archive import Archive
from .normalise import text_hash
from .search import check_index

Progress = Callable[[str, int, int], None]
CaptureVerifier = Callable[..., "str | None"]

STAGES = ("database", "texts", "search index", "captures")
_EVERY = 200  # rows between progress reports


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # parts that could not be checked, and why
    versions: int = 0
    captures: int = 0
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.cancelled


def check_archive(
    archive: Archive,
    *,
    verify_capture: CaptureVerifier | None = None,
    on_progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckReport:
    """Every problem found, one line each; `report.ok` when there is none."""
    report = CheckReport()
    progress = on_progress or (lambda stage, done, total: None)
    stop = cancelled or (lambda: False)
    conn = archive.conn

    progress("database", 0, 1)
    try:
        for (line,) in conn.execute("PRAGMA integrity_check"):
            if line != "ok":
                report.problems.append(f"{archive.db_file}: {line}")
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"{archive.db_file}: the database cannot be checked ({exc})")
        return report
    progress("database", 1, 1)

    if not _check_texts(archive, report, progress, stop):
        report.cancelled = True
        return report

    progress("search index", 0, 1)
    try:
        report.problems.extend(f"{archive.db_file}: {p}" for p in check_index(conn))
    except sqlite3.OperationalError:
        report.skipped.append("search index: not checked (the archive is open read-only)")
    progress("search index", 1, 1)

    if verify_capture is None:
        report.skipped.append("captures: not checked (no WARC reader given)")
    elif not _check_captures(archive, verify_capture, report, progress, stop):
        report.cancelled = True
    return report


def _check_texts(archive: Archive, report: CheckReport, progress: Progress, stop) -> bool:
    conn = archive.conn
    total = conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    progress("texts", 0, total)
    if stop():
        return False
    rows = conn.execute(
        """SELECT s.archive_id, v.seq, CAST(v.text AS BLOB), v.text_sha256
           FROM versions v LEFT JOIN statements s ON s.id = v.statement_id ORDER BY v.id"""
    )
    for done, (archive_id, seq, blob, stored) in enumerate(rows, 1):
        name = f"{archive_id or '(no statement)'}@{seq}"
        try:
            text = bytes(blob or b"").decode("utf-8")
        except UnicodeDecodeError as exc:
            report.problems.append(
                f"{name}: the stored text is damaged (not UTF-8 at byte {exc.start})"
            )
        else:
            if text_hash(text) != stored:
                report.problems.append(
                    f"{name}: the stored text does not match its SHA-256 ({stored})"
                )
        report.versions = done
        if done % _EVERY == 0:
            progress("texts", done, total)
            if stop():
                return False
    progress("texts", total, total)
    return True


def _check_captures(
    archive: Archive, verify, report: CheckReport, progress: Progress, stop
) -> bool:
    conn = archive.conn
    total = conn.execute("SELECT COUNT(*) FROM captures WHERE warc_file IS NOT NULL").fetchone()[0]
    progress("captures", 0, total)
    if stop():
        return False
    rows = conn.execute(
        """SELECT id, url, warc_file, warc_offset, warc_length, payload_sha256 FROM captures
           WHERE warc_file IS NOT NULL ORDER BY warc_file, warc_offset"""
    )
    for done, (cid, url, warc_file, offset, length, sha) in enumerate(rows, 1):
        reason = verify(archive.folder, warc_file, offset, length, sha)
        if reason:
            report.problems.append(f"capture {cid} ({url}): {reason}")
        report.captures = done
        if done % _EVERY == 0:
            progress("captures", done, total)
            if stop():
                return False
    progress("captures", total, total)
    return True


__all__ = ["check_archive", "CheckReport", "STAGES"]
