"""Opening archives: every bad path is one clear error naming it, and the file is left untouched."""

import os
import sqlite3

import pytest

from db import (
    Archive,
    ArchiveNotFound,
    ArchiveReadOnly,
    DiskFull,
    NewerArchive,
    NotAnArchive,
    StatementInput,
    schema,
)


def _snapshot(path):
    return path.read_bytes(), path.stat().st_mtime_ns


def test_missing_archive(tmp_path):
    with pytest.raises(ArchiveNotFound, match="no archive here") as info:
        Archive.open(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)
    assert not (tmp_path / "nowhere").exists()


def test_not_sqlite(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database")
    before = _snapshot(path)
    with pytest.raises(NotAnArchive, match="not an SQLite database"):
        Archive.open(path)
    assert _snapshot(path) == before


def test_sqlite_but_not_an_archive(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(NotAnArchive, match="not a Communiqué archive"):
        Archive.open(path)
    assert _snapshot(path) == before


def test_newer_archive(tmp_path):
    Archive.open(tmp_path / "a", create=True).close()
    path = tmp_path / "a" / "archive.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 5}")
    conn.close()
    before = _snapshot(path)
    with pytest.raises(NewerArchive, match="newer Communiqué"):
        Archive.open(path)
    assert _snapshot(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_location(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ArchiveReadOnly):
            Archive.open(folder / "archive", create=True)
    finally:
        folder.chmod(0o700)


def test_read_only_location_simulated(tmp_path, monkeypatch):
    """As root cannot be refused by permissions, make mkdir fail the way a read-only disk does."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.mkdir", refuse)
    with pytest.raises(ArchiveReadOnly, match="cannot create the archive folder"):
        Archive.open(tmp_path / "new-archive", create=True)


def test_full_disk_rolls_back_and_keeps_what_was_archived(tmp_path):
    arc = Archive.open(tmp_path / "a", create=True)
    arc.add_statement(StatementInput("us-state", "https://www.state.gov/1/", "Kept statement."))
    pages = arc.conn.execute("PRAGMA page_count").fetchone()[0]
    arc.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up
    with pytest.raises(DiskFull, match="disk is full"):
        arc.add_statement(StatementInput("us-state", "https://www.state.gov/2/", "x " * 200_000))
    assert arc.stats()["statements"] == 1
    arc.close()
    with Archive.open(tmp_path / "a") as again:
        assert again.stats()["statements"] == 1
        assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_wal_and_foreign_keys(archive):
    assert archive.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert archive.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert archive.conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_readonly_open_does_not_write(loaded):
    path = loaded.db_file
    loaded.close()
    with Archive.open(path, readonly=True) as arc:
        assert arc.stats()["statements"] > 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            arc.conn.execute("DELETE FROM tags")
