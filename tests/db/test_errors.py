"""Errors sorted like qutebrowser does: the user's keep one line; SQLite errors by result code;
bugs logged with their traceback and shown as 'an internal error, details in <log>'."""

import sqlite3

import pytest

from db import Archive, StatementInput
from db import errors as E


def _real(sql_setup, sql_fail, tmp_path, timeout: float = 5.0) -> sqlite3.Error:
    conn = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None, timeout=timeout)
    for statement in sql_setup:
        conn.execute(statement)
    with pytest.raises(sqlite3.Error) as caught:
        conn.execute(sql_fail)
    conn.close()
    return caught.value


def test_sqlite_errors_are_sorted_by_their_result_code(tmp_path):
    full = _real(
        ["CREATE TABLE t (x)", "PRAGMA max_page_count = 2"],
        "INSERT INTO t VALUES (zeroblob(100000))",
        tmp_path,
    )
    assert E.primary_code(full) == E.SQLITE_FULL
    assert isinstance(E.classify(full, "/a"), E.DiskFull)
    assert str(E.classify(full, "/a")) == "/a: the disk is full; nothing of this change was written"

    duplicate = _real(
        ["CREATE TABLE u (x UNIQUE)", "INSERT INTO u VALUES (1)"],
        "INSERT INTO u VALUES (1)",
        tmp_path,
    )
    assert isinstance(duplicate, sqlite3.IntegrityError)
    assert E.classify(duplicate, "/a") is None  # a constraint broken by our own code: a bug
    assert not E.is_user_error(duplicate)

    syntax = _real([], "SELEKT 1", tmp_path)
    assert E.classify(syntax, "/a") is None
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(garbage).execute("SELECT * FROM sqlite_master")
    assert isinstance(E.classify(caught.value, garbage), E.NotAnArchive)


def test_the_message_text_does_not_decide(tmp_path):
    # the wording of a full disk, without SQLite's code for it: not trusted as a user error
    worded = sqlite3.OperationalError("database or disk is full")
    assert E.classify(worded, "/a") is None
    # the code alone decides, whatever the message says (wording changes across SQLite versions)
    coded = sqlite3.OperationalError("something unexpected")
    coded.sqlite_errorcode = 13 | (1 << 8)  # an extended code of SQLITE_FULL
    assert isinstance(E.classify(coded, "/a"), E.DiskFull)


def test_a_second_writer_is_told_the_archive_is_busy(tmp_path):
    first = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    second = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as caught:
        second.execute("BEGIN IMMEDIATE")
    first.execute("ROLLBACK")
    assert isinstance(E.classify(caught.value, "/a"), E.ArchiveBusy)


def test_a_bug_is_logged_with_its_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv(E.ENV_LOG_DIR, str(tmp_path / "logs"))

    def deep_inside():
        raise KeyError("version 7")

    try:
        deep_inside()
    except KeyError as exc:
        line = E.describe(exc, "showing a statement")
    log = tmp_path / "logs" / "communique.log"
    assert line == f"an internal error (KeyError: 'version 7'), details in {log}"
    text = log.read_text()
    assert "internal error in showing a statement" in text
    assert "Traceback (most recent call last)" in text
    assert "in deep_inside" in text
    # a user's error keeps its own line and writes nothing to the log
    assert E.describe(E.DiskFull("/a", "the disk is full")) == "/a: the disk is full"
    assert E.describe(FileNotFoundError(2, "No such file or directory", "x.jsonl")) == (
        "[Errno 2] No such file or directory: 'x.jsonl'"
    )
    assert text == log.read_text()


def test_an_archive_write_that_breaks_a_constraint_is_a_bug_not_a_user_error(tmp_path):
    with Archive.open(tmp_path / "a", create=True) as archive:
        archive.add_statement(StatementInput("us-state", "https://www.state.gov/a/", "Text."))
        with pytest.raises(sqlite3.IntegrityError), archive.transaction() as conn:
            conn.execute("INSERT INTO statements (id) SELECT id FROM statements")
