"""Work off the GUI thread: no exception is ever swallowed, even from a superseded request."""

import sqlite3

from viewer.tasks import LatestOnly, run_task


def _log(tmp_path):
    return tmp_path / "logs" / "communique.log"


def test_a_superseded_requests_bug_is_still_logged_but_not_shown(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path / "logs"))
    latest = LatestOnly()
    shown: list[object] = []

    def first_fails():
        raise KeyError("a bug in an old request")

    latest.submit(first_fails, shown.append, shown.append)
    latest.submit(lambda: "newest", shown.append, shown.append)  # before the first is delivered
    qtbot.wait_until(lambda: shown == ["newest"], timeout=5000)
    qtbot.wait_until(lambda: _log(tmp_path).exists(), timeout=5000)
    text = _log(tmp_path).read_text()
    assert "internal error in a superseded background task" in text
    assert "in first_fails" in text


def test_an_interrupted_superseded_query_is_not_a_bug(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path / "logs"))
    latest = LatestOnly()
    shown: list[object] = []

    raised: list[int] = []

    def interrupted():
        conn = sqlite3.connect(":memory:")
        conn.set_progress_handler(lambda: 1, 100)  # as viewer.jobs.Interrupt stops a search
        try:
            conn.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000) "
                "SELECT count(*) FROM c"
            ).fetchone()
        except sqlite3.OperationalError as exc:
            raised.append(exc.sqlite_errorcode)
            raise

    latest.submit(interrupted, shown.append, shown.append)
    latest.submit(lambda: "newest", shown.append, shown.append)
    qtbot.wait_until(lambda: shown == ["newest"], timeout=5000)
    done: list[object] = []
    run_task(lambda: None, done.append)  # the pool has delivered everything before this
    qtbot.wait_until(lambda: done == [None], timeout=5000)
    assert raised == [sqlite3.SQLITE_INTERRUPT]
    assert not _log(tmp_path).exists()
