"""The command line's errors: a user's one line (exit 2); a bug logged, one line (exit 70)."""

import sqlite3

from cli import main
from db import Archive, StatementInput


def _archive(tmp_path):
    folder = tmp_path / "a"
    with Archive.open(folder, create=True) as archive:
        archive.add_statement(StatementInput("us-state", "https://www.state.gov/a/", "Text."))
    return folder


def test_a_bug_in_a_command_is_logged_and_said_in_one_line(tmp_path, capsys, monkeypatch):
    folder = _archive(tmp_path)
    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path / "logs"))

    def broken_stats(self):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: versions.statement_id")

    monkeypatch.setattr(Archive, "stats", broken_stats)
    assert main(["--archive", str(folder), "stats"]) == 70
    err = capsys.readouterr().err
    log = tmp_path / "logs" / "communique.log"
    assert err == (
        "communique: an internal error (IntegrityError: UNIQUE constraint failed: "
        f"versions.statement_id), details in {log}\n"
    )
    text = log.read_text()
    assert f"internal error in communique --archive {folder} stats" in text
    assert "in broken_stats" in text  # the traceback is kept


def test_a_users_error_keeps_its_one_line_and_logs_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path / "logs"))
    assert main(["--archive", str(tmp_path / "nowhere"), "stats"]) == 2
    assert capsys.readouterr().err == (
        f"communique: {tmp_path / 'nowhere' / 'archive.sqlite'}: no archive here\n"
    )
    assert not (tmp_path / "logs").exists()
