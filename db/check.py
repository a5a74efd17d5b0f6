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
    if archive.readonly:  # FTS5's check is an INSERT, and the index is synced first: a writer's job
        report.skipped.append("search index: not checked (the archive is open read-only)")
    else:
        report.problems.extend(f"{archive.db_file}: {p}" for p in check_index(conn))
    progress("search index", 1, 1)

    if verify_capture is None:
        report.skipped.append("captures: not checked (no WARC reader given)")
    elif not _check_captures(archive, verify_capture, report, progress, stop):
        report.cancelled = True
    return report


class _Cancelled(Exception):
    pass


def _walk(stage: str, conn, count_sql: str, rows_sql: str, progress: Progress, stop):
    """(n, row) for each row of a stage, reporting progress and honouring cancel."""
    total = conn.execute(count_sql).fetchone()[0]
    progress(stage, 0, total)
    if stop():
        raise _Cancelled
    for done, row in enumerate(conn.execute(rows_sql), 1):
        yield done, row
        if done % _EVERY == 0:
            progress(stage, done, total)
            if stop():
                raise _Cancelled
    progress(stage, total, total)


def _check_texts(archive: Archive, report: CheckReport, progress: Progress, stop) -> bool:
    rows = _walk(
        "texts",
        archive.conn,
        "SELECT COUNT(*) FROM versions",
        """SELECT s.archive_id, v.seq, CAST(v.text AS BLOB), v.text_sha256
           FROM versions v LEFT JOIN statements s ON s.id = v.statement_id ORDER BY v.id""",
        progress,
        stop,
    )
    try:
        for done, (archive_id, seq, blob, stored) in rows:
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
    except _Cancelled:
        return False
    return True


def _check_captures(
    archive: Archive, verify, report: CheckReport, progress: Progress, stop
) -> bool:
    rows = _walk(
        "captures",
        archive.conn,
        "SELECT COUNT(*) FROM captures WHERE warc_file IS NOT NULL",
        """SELECT id, url, warc_file, warc_offset, warc_length, payload_sha256 FROM captures
           WHERE warc_file IS NOT NULL ORDER BY warc_file, warc_offset""",
        progress,
        stop,
    )
    try:
        for done, (cid, url, warc_file, offset, length, sha) in rows:
            reason = verify(archive.folder, warc_file, offset, length, sha)
            if reason:
                shown = "".join(c if c.isprintable() else "?" for c in url)[:200]
                report.problems.append(f"capture {cid} ({shown}): {reason}")
            report.captures = done
    except _Cancelled:
        return False
    return True


__all__ = ["check_archive", "CheckReport", "STAGES"]
