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
from .errors import ArchiveError
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
    except sqlite3.DatabaseError as exc:  # too damaged for integrity_check: go on with the rest
        report.problems.append(f"{archive.db_file}: the database cannot be checked ({exc})")
    progress("database", 1, 1)

    if not _stage(archive, report, "texts", _check_texts, progress, stop):
        return report

    progress("search index", 0, 1)
    if archive.readonly:  # FTS5's check is an INSERT, and the index is synced first: a writer's job
        report.skipped.append("search index: not checked (the archive is open read-only)")
    else:
        try:
            report.problems.extend(
                f"{archive.db_file}: {p}" for p in _index_problems(archive, stop)
            )
        except (sqlite3.DatabaseError, ArchiveError) as exc:  # a damaged file
            report.problems.append(f"{archive.db_file}: the search index cannot be checked ({exc})")
    progress("search index", 1, 1)

    if verify_capture is None:
        report.skipped.append("captures: not checked (no WARC reader given)")
    else:
        check = lambda *a: _check_captures(a[0], verify_capture, *a[1:])  # noqa: E731
        _stage(archive, report, "captures", check, progress, stop)
    return report


def _index_problems(archive: Archive, stop) -> list[str]:
    """check_index, taking its turn after another writer: "database is locked" is a wait (said
    once through `archive.on_wait`), never reported as damage."""
    told = False
    while True:
        found = check_index(archive.conn)
        if not any("database is locked" in p for p in found) or stop():
            return found
        if not told and archive.on_wait is not None:
            archive.on_wait(
                f"{archive.db_file}: waiting for another writer (an import, scrape or update) "
                "to finish…"
            )
        told = True


def _stage(archive: Archive, report: CheckReport, name: str, run, progress, stop) -> bool:
    """Run one stage; False when it was cancelled. A damaged table ends the stage with one
    problem line (integrity_check above has said where), never an exception."""
    try:
        if run(archive, report, progress, stop):
            return True
        report.cancelled = True
        return False
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"{archive.db_file}: the {name} cannot all be read ({exc})")
        return True


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
