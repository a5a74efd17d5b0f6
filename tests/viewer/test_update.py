"""'Update archive' with a fake crawl: progress per source, failures, cancel, reading meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from db import Archive, StatementInput
from viewer.mainwindow import MainWindow
from viewer.models.statement_table import ARCHIVE_ID_ROLE
from viewer.update import Progress, UpdateRunner, _from_summary, as_progress


class FakeCrawl:
    """Writes statements like the scraper would, reporting progress; can pause mid-transaction."""

    def __init__(self, sources=("us-state", "ru-mfa"), per_source=3, pause=False, endless=False):
        self.sources = sources
        self.per_source = per_source
        self.in_transaction = threading.Event()
        self.resume = threading.Event()
        self.pause = pause
        self.endless = endless
        self.calls: list[tuple[Path, list[str] | None]] = []

    def __call__(self, path, source_ids, on_progress, should_cancel):
        self.calls.append((path, source_ids))
        written = 0
        with Archive.open(path) as archive:
            for source_id in source_ids or self.sources:
                for n in range(self.per_source):
                    if should_cancel():
                        return {"cancelled": True, "written": written}
                    with archive.transaction():
                        archive.add_statement(
                            StatementInput(
                                source_id=source_id,
                                url=f"https://example.org/{source_id}/{n}",
                                text=f"Fresh statement number {n} about the zeppelin question.",
                                title=f"Zeppelin update {n}",
                                language="en",
                                kind="statement",
                                published=f"2026-01-0{n + 1}T10:00:00+00:00",
                            )
                        )
                        if self.pause and written == 0:
                            self.in_transaction.set()
                            self.resume.wait(10)
                    written += 1
                    on_progress(Progress(source_id, done=n + 1, total=self.per_source, new=n + 1))
                on_progress(
                    {
                        "source_id": source_id,
                        "url": f"https://example.org/{source_id}/gone",
                        "error": "HTTP 404 Not Found",
                        "done": self.per_source,
                    }
                )
            while self.endless and not should_cancel():
                threading.Event().wait(0.02)
        return {"written": written}


@pytest.fixture
def window(qtbot, settings, no_dialogs):
    def make(crawl):
        win = MainWindow(settings, crawl=crawl)
        qtbot.add_widget(win)
        win.show()
        return win

    return make


def open_and_wait(qtbot, win, folder):
    with qtbot.wait_signal(win.model.loaded, timeout=10000):
        win.open_archive(folder)


def test_update_shows_progress_failures_and_new_statements(qtbot, window, sample_archive):
    folder, _ = sample_archive
    crawl = FakeCrawl()
    win = window(crawl)
    open_and_wait(qtbot, win, folder)
    assert win.model.rowCount() == 48
    reading = win.model.index(3, 0).data(ARCHIVE_ID_ROLE)
    win.list.setCurrentIndex(win.model.index(3, 0))
    qtbot.wait_until(
        lambda: win.reader.statement is not None and win.reader.statement.archive_id == reading,
        timeout=5000,
    )
    with qtbot.wait_signal(win.updater.finished, timeout=10000):
        win.start_update()
    assert crawl.calls == [(folder, None)]
    panel = win.update_panel
    assert panel.bars["us-state"].value() == 3
    assert panel.bars["us-state"].maximum() == 3
    assert panel.bars["ru-mfa"].value() == 3
    assert panel.new_total == 6
    assert panel.failures == [
        "us-state: https://example.org/us-state/gone: HTTP 404 Not Found",
        "ru-mfa: https://example.org/ru-mfa/gone: HTTP 404 Not Found",
    ]
    assert panel.summary.text().startswith("Finished: 6 new statements, 2 failures")
    qtbot.wait_until(lambda: win.model.rowCount() == 54, timeout=10000)  # no restart needed
    qtbot.wait_until(lambda: not win.model.busy(), timeout=10000)
    assert win.reader.statement.archive_id == reading  # the refresh did not move the reader
    assert win.list.currentIndex().data(ARCHIVE_ID_ROLE) == reading
    assert win.list.currentIndex().row() == 9  # six newer statements now come before it
    qtbot.wait_until(lambda: win.archive_total == 54, timeout=10000)


def test_update_of_ticked_sources_only(qtbot, window, sample_archive):
    folder, _ = sample_archive
    crawl = FakeCrawl()
    win = window(crawl)
    open_and_wait(qtbot, win, folder)
    with qtbot.wait_signal(win.model.loaded, timeout=10000):
        win.filters.sources.set_checked(["ru-kremlin"])
    with qtbot.wait_signal(win.updater.finished, timeout=10000):
        win.start_update(only_checked=True)
    assert crawl.calls == [(folder, ["ru-kremlin"])]


def test_cancel_stops_the_crawl_and_keeps_what_was_archived(qtbot, window, sample_archive):
    folder, _ = sample_archive
    crawl = FakeCrawl(endless=True)
    win = window(crawl)
    open_and_wait(qtbot, win, folder)
    win.start_update()
    qtbot.wait_until(lambda: win.update_panel.new_total == 6, timeout=10000)
    assert win.updater.running
    with qtbot.wait_signal(win.updater.finished, timeout=10000):
        win.update_panel.cancel_button.click()
    assert not win.updater.running
    assert win.update_panel.summary.text().startswith("Cancelled: 6 new statements")
    with Archive.open(folder, readonly=True) as archive:
        assert archive.stats()["statements"] == 54


def test_reading_and_searching_work_while_the_crawl_holds_a_write_transaction(
    qtbot, window, sample_archive
):
    folder, names = sample_archive
    crawl = FakeCrawl(pause=True)
    win = window(crawl)
    open_and_wait(qtbot, win, folder)
    win.start_update()
    assert crawl.in_transaction.wait(10)
    try:
        with qtbot.wait_signal(win.model.loaded, timeout=5000):
            win.search.set_query("Blinken")
        assert win.model.rowCount() > 0
        win.show_statement(names["zh"])
        qtbot.wait_until(
            lambda: (
                win.reader.statement is not None and win.reader.statement.archive_id == names["zh"]
            ),
            timeout=5000,
        )
        assert "database is locked" not in win.statusBar().currentMessage()
    finally:
        crawl.resume.set()
    qtbot.wait_signal(win.updater.finished, timeout=10000)


def test_crawl_failure_is_one_line_not_a_traceback(qtbot, sample_archive):
    folder, _ = sample_archive

    def broken(path, source_ids, on_progress, should_cancel):
        raise OSError("network is unreachable")

    runner = UpdateRunner(broken)
    with qtbot.wait_signal(runner.failed, timeout=5000) as failed:
        runner.start(folder)
    assert failed.args == ["network is unreachable"]
    assert not runner.running


def test_progress_events_from_dicts_and_scraper_summaries():
    progress = as_progress(
        {"source_id": "ru-mfa", "done": 3, "total": 9, "url": "u", "error": "boom"}
    )
    assert progress == Progress("ru-mfa", done=3, total=9, failed_url="u", error="boom")
    from scraper import crawl

    summary = crawl.Summary("us-state", new=2, versions=1, seen=7, errors=["https://a/1: HTTP 500"])
    logged: dict[str, int] = {}
    first = _from_summary(summary, logged)
    assert (first.source_id, first.done, first.new, first.error) == (
        "us-state",
        7,
        3,
        "https://a/1: HTTP 500",
    )
    again = _from_summary(summary, logged)
    assert again.error is None  # a failure is logged once, not with every later event
    summary.errors.append("https://a/2: timed out")
    assert _from_summary(summary, logged, finished=True).error == "https://a/2: timed out"


def test_each_failure_of_an_event_is_its_own_log_line(qtbot):
    from viewer.widgets.update_panel import UpdatePanel

    runner = UpdateRunner(lambda *args: None)
    panel = UpdatePanel(runner)
    qtbot.add_widget(panel)
    panel.reset(["us-state"])
    panel.on_progress(
        Progress("us-state", done=2, error="https://a/1: HTTP 500\nhttps://a/2: timed out")
    )
    assert panel.failures == ["us-state: https://a/1: HTTP 500", "us-state: https://a/2: timed out"]
    assert panel.log.toPlainText().splitlines() == panel.failures
    assert "2 failures" in panel.summary.text()


def _unreachable_crawl(reasons):
    """A crawl on a machine without network: every source fails before anything is fetched."""

    def crawl(path, source_ids, on_progress, should_cancel):
        for source_id, reason in reasons.items():
            on_progress(
                {"source_id": source_id, "url": f"https://{source_id}/feed", "error": reason}
            )
            on_progress(Progress(source_id, finished=True, message="done"))
        return {}

    return crawl


def test_an_offline_update_says_so_and_shows_no_full_bar(qtbot, window, sample_archive):
    folder, _ = sample_archive
    win = window(
        _unreachable_crawl(
            {
                "us-state": "host name not found",
                "ru-mfa": "connection failed: [Errno 101] Network is unreachable",
            }
        )
    )
    open_and_wait(qtbot, win, folder)
    with qtbot.wait_signal(win.updater.finished, timeout=10000):
        win.start_update()
    panel = win.update_panel
    for source_id in ("us-state", "ru-mfa"):
        bar = panel.bars[source_id]
        assert bar.value() == bar.minimum()  # not a full "done" bar
        assert bar.text().startswith("failed (1 error")
    assert panel.summary.text().startswith("You appear to be offline")
    assert "You appear to be offline" in win.statusBar().currentMessage()


def test_a_source_that_failed_among_working_ones_is_marked_failed(qtbot):
    from viewer.update import looks_offline
    from viewer.widgets.update_panel import UpdatePanel

    panel = UpdatePanel(UpdateRunner(lambda *args: None))
    qtbot.add_widget(panel)
    panel.reset(["us-state", "ru-mfa"])
    panel.on_progress(Progress("us-state", done=4, total=4, new=4))
    panel.on_progress(Progress("us-state", done=4, new=4, finished=True, message="done"))
    panel.on_progress(Progress("ru-mfa", failed_url="https://mid.ru/feed", error="HTTP 503"))
    panel.on_progress(Progress("ru-mfa", finished=True, message="done"))
    assert panel.bars["us-state"].value() == panel.bars["us-state"].maximum() == 1
    assert panel.bars["us-state"].text() == "done"
    assert panel.bars["ru-mfa"].value() == 0
    assert panel.bars["ru-mfa"].text() == "failed (1 error, see below)"
    panel.on_finished(None)
    assert panel.summary.text().startswith("Finished: 4 new statements, 1 failure.")
    assert not looks_offline(["ru-mfa: https://mid.ru/feed: HTTP 503"], 0)  # the server answered
    assert looks_offline(["a: https://a/: host name not found"], 0)
    assert not looks_offline(["a: https://a/: host name not found"], 3)  # others got through
