"""Main window: search as you type, filters with counts, reading, settings, bad archives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from db import Archive, SearchQuery, StatementInput
from viewer.mainwindow import MainWindow
from viewer.models.statement_table import ARCHIVE_ID_ROLE, SNIPPET_HTML_ROLE


def open_and_wait(qtbot, win, folder):
    with qtbot.wait_signal(win.model.loaded, timeout=10000):
        assert win.open_archive(folder)
    qtbot.wait_until(lambda: not win._facets.busy(), timeout=10000)


def test_opens_with_all_statements_counts_and_first_statement(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    assert window.model.rowCount() == 48
    qtbot.wait_until(lambda: window.archive_total == 48, timeout=5000)
    assert window.count_label.text().startswith("48 of 48 statements")
    assert window.filters.facets["language"].counts()["ru"] == 8
    with Archive.open(folder, readonly=True) as archive:
        facets = archive.facets(SearchQuery())
    assert window.filters.facets["language"].counts() == facets["language"]
    assert window.filters.sources.counts() == facets["source"]
    qtbot.wait_until(lambda: window.reader.statement is not None, timeout=5000)
    assert window.reader.statement.archive_id == window.model.index(0, 0).data(ARCHIVE_ID_ROLE)


def test_search_as_you_type_ranks_and_highlights(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    window.search.setFocus()
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        qtbot.keyClicks(window.search, "Blinken")
    with Archive.open(folder, readonly=True) as archive:
        expected = archive.search(SearchQuery(text="Blinken", limit=100))
    assert window.model.rowCount() == expected.total > 0
    assert [window.model.index(r, 0).data(ARCHIVE_ID_ROLE) for r in range(expected.total)] == [
        h.archive_id for h in expected.hits
    ]
    snippet = window.model.index(0, 2).data(SNIPPET_HTML_ROLE)
    assert '<span style="background-color:#ffe066;color:#000000;">Blinken</span>' in snippet
    assert "Blinken" in window.count_label.text()
    assert window.list.delegate.show_snippets
    qtbot.wait_until(lambda: not window._facets.busy(), timeout=5000)
    assert sum(window.filters.facets["kind"].counts().values()) == expected.total


def test_typing_fast_issues_one_query_not_one_per_key(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    queries: list[str] = []
    window.search.query_changed.connect(queries.append)
    qtbot.keyClicks(window.search, "Russia")
    qtbot.wait_until(lambda: queries == ["Russia"], timeout=5000)
    qtbot.wait_until(lambda: not window.model.busy(), timeout=5000)
    assert window.model.query.text == "Russia"


def test_filters_narrow_the_list_and_counts(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    languages = window.filters.facets["language"]
    row = next(
        r
        for r in range(languages.rowCount())
        if languages.item(r, 0).data(Qt.ItemDataRole.UserRole + 1) == "ru"
    )
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        languages.item(row, 0).setCheckState(Qt.CheckState.Checked)
    assert window.model.rowCount() == 8
    assert {window.model.hit(r).language for r in range(8)} == {"ru"}
    qtbot.wait_until(lambda: not window._facets.busy(), timeout=5000)
    assert window.filters.sources.counts()["ru-kremlin"] == 8
    assert window.filters.sources.counts()["us-state"] == 0
    # the language facet ignores its own choice, so the other languages keep their counts
    assert languages.counts()["en"] > 0
    dates = sorted(window.model.hit(r).published[:10] for r in range(8))
    window.filters.since.setText(dates[4])
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.filters.since.editingFinished.emit()
    with Archive.open(folder, readonly=True) as archive:
        expected = archive.search(SearchQuery(languages=["ru"], since=dates[4])).total
    assert 0 < window.model.rowCount() == expected < 8
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.filters.clear()
    assert window.model.rowCount() == 48


def test_source_tree_tick_filters_by_source(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.filters.sources.set_checked(["us-whitehouse"])
    assert window.model.rowCount() == 15
    assert {window.model.hit(r).source_id for r in range(15)} == {"us-whitehouse"}


def test_filters_and_layout_are_remembered(qtbot, settings, sample_archive, no_dialogs):
    folder, _ = sample_archive
    first = MainWindow(settings)
    qtbot.add_widget(first)
    first.show()
    open_and_wait(qtbot, first, folder)
    first.filters.facets["kind"].set_checked(["statement"])
    first.splitter.setSizes([200, 500, 700])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(settings)
    qtbot.add_widget(second)
    assert second.filters.state()["kinds"] == ["statement"]
    assert settings.last_archive() == folder
    assert settings.recent_archives()[0] == folder
    second.show()
    # The offscreen screen is small, so the window may be clamped; the filter column (which
    # does not stretch) keeps exactly the width the user gave it.
    assert second.splitter.sizes()[0] == sizes[0] == 200


def test_enter_opens_and_arrows_walk(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    qtbot.wait_until(lambda: window.reader.statement is not None, timeout=5000)
    window.list.setFocus()
    qtbot.keyClick(window.list, Qt.Key.Key_Down)
    second = window.model.index(1, 0).data(ARCHIVE_ID_ROLE)
    qtbot.wait_until(lambda: window.reader.statement.archive_id == second, timeout=5000)
    qtbot.keyClick(window.list, Qt.Key.Key_Return)
    assert window.reader.statement.archive_id == second


def test_ctrl_f_focuses_search(qtbot, window, sample_archive):
    window.activateWindow()
    window.list.setFocus()
    window.actions.find.trigger()
    assert window.search.hasFocus() or window.focusWidget() is window.search
    assert window.actions.find.shortcut().toString() == "Ctrl+F"
    assert window.actions.open_archive.shortcut().toString() == "Ctrl+O"
    assert window.actions.compare.shortcut().toString() == "Ctrl+D"


def _newer(path):
    with Archive.open(path, create=True) as archive:
        archive.conn.execute("PRAGMA user_version = 999")


def _not_sqlite(path):
    path.mkdir(parents=True)
    (path / "archive.sqlite").write_bytes(b"this is a text file, not a database\n" * 20)


def _foreign_sqlite(path):
    path.mkdir(parents=True)
    conn = sqlite3.connect(path / "archive.sqlite")
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


def _corrupt(path):
    with Archive.open(path, create=True):
        pass
    data = bytearray((path / "archive.sqlite").read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    (path / "archive.sqlite").write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (None, "no archive here"),
        (_not_sqlite, "not an SQLite database"),
        (_foreign_sqlite, "not a Communiqué archive"),
        (_newer, "newer Communiqué"),
        (_corrupt, ""),
    ],
)
def test_bad_archive_gets_a_dialog_not_a_crash(
    qtbot, window, sample_archive, tmp_path, no_dialogs, make, reason
):
    good, _ = sample_archive
    open_and_wait(qtbot, window, good)
    bad = tmp_path / "bad"
    if make is not None:
        make(bad)
    assert window.open_archive(bad) is False
    assert len(no_dialogs) == 1
    title, text = no_dialogs[0]
    assert title == "Cannot open archive"
    assert str(bad) in text
    assert reason in text
    assert "Traceback" not in text
    assert window.archive_path == good  # the open archive stays open
    assert window.model.rowCount() == 48


def test_startup_prefers_named_then_last_then_default(
    settings, sample_archive, tmp_path, monkeypatch
):
    import db.default
    from viewer import app

    folder, _ = sample_archive
    seeded: list[Path] = []

    def seed(path):
        seeded.append(path)
        Archive.open(path, create=True).close()

    monkeypatch.setattr(db.default, "default_archive_path", lambda: tmp_path / "default")
    monkeypatch.setattr(db.default, "seed_default_archive", seed)
    assert app.startup_archive(tmp_path / "named", settings) == tmp_path / "named"
    assert app.startup_archive(None, settings) == tmp_path / "default"
    assert seeded == [tmp_path / "default"]  # created from the sample on first run only
    assert app.startup_archive(None, settings) == tmp_path / "default"
    assert len(seeded) == 1
    settings.note_opened(folder)
    assert app.startup_archive(None, settings) == folder


def test_run_with_a_missing_archive_shows_the_dialog_and_keeps_running(
    qtbot, tmp_path, monkeypatch, no_dialogs
):
    from PySide6.QtWidgets import QApplication

    from viewer import app

    made: list[MainWindow] = []

    def window(settings):
        made.append(MainWindow(settings))
        qtbot.add_widget(made[-1])
        return made[-1]

    monkeypatch.setattr(app, "ViewerSettings", lambda: _settings(tmp_path))
    monkeypatch.setattr(app, "MainWindow", window)
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    assert app.run(tmp_path / "missing") == 0
    assert no_dialogs[0][0] == "Cannot open archive"
    assert str(tmp_path / "missing") in no_dialogs[0][1]
    assert made[0].isVisible()
    assert made[0].archive_path is None
    assert "No archive open" in made[0].reader.text.toPlainText()


def _settings(tmp_path):
    from PySide6.QtCore import QSettings

    from viewer.settings import ViewerSettings

    return ViewerSettings(QSettings(str(tmp_path / "run.ini"), QSettings.Format.IniFormat))


def test_ctrl_d_compares_two_selected_statements_or_two_versions(
    qtbot, window, sample_archive, monkeypatch
):
    import viewer.mainwindow

    folder, names = sample_archive
    asked: list[tuple] = []
    from PySide6.QtWidgets import QWidget

    def open_compare(path, refs, parent):
        asked.append((path, refs))
        return QWidget(parent)

    monkeypatch.setattr(viewer.mainwindow, "open_compare", open_compare)
    open_and_wait(qtbot, window, folder)
    selection = window.list.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(window.model.index(0, 0), flags)
    selection.select(window.model.index(2, 0), flags)
    window.actions.compare.trigger()
    first, third = (window.model.index(r, 0).data(ARCHIVE_ID_ROLE) for r in (0, 2))
    assert asked == [(folder, [first, third])]
    for row in (1, 3, 4):  # five selected: the Compare window takes up to four panes
        selection.select(window.model.index(row, 0), flags)
    window.actions.compare.trigger()
    assert asked[-1] == (folder, [window.model.index(r, 0).data(ARCHIVE_ID_ROLE) for r in range(4)])
    window.list.clearSelection()
    window.show_statement(names["edited"])
    qtbot.wait_until(
        lambda: (
            window.reader.statement is not None
            and window.reader.statement.archive_id == names["edited"]
        ),
        timeout=5000,
    )
    window.actions.compare.trigger()
    assert asked[-1] == (folder, [f"{names['edited']}@1", f"{names['edited']}@2"])


def test_ctrl_d_again_after_a_compare_window_was_closed(qtbot, window, sample_archive):
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    from viewer.compare.window import CompareWindow

    folder, names = sample_archive
    open_and_wait(qtbot, window, folder)
    refs = [f"{names['edited']}@1", f"{names['edited']}@2"]
    window.compare(refs)
    [first] = window.findChildren(CompareWindow)
    qtbot.wait_until(lambda: first.data is not None, timeout=10000)
    first.close()  # deleted on close: Qt destroys it on the next event loop pass
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(first)
    window.compare(refs)  # raised "RuntimeError: ... CompareWindow already deleted"
    window.compare(refs)
    shown = window.findChildren(CompareWindow)
    assert len(shown) == 2
    assert all(w.isVisible() for w in shown)
    assert len(window._compare_windows) == 2


def test_first_run_creates_the_default_archive_off_the_gui_thread(
    qtbot, window, settings, tmp_path, monkeypatch
):
    import threading

    import db.default
    from viewer import app

    default = tmp_path / "default"
    threads: list[str] = []

    def seed(path):
        threads.append(threading.current_thread().name)
        with Archive.open(path, create=True) as archive:
            archive.add_statement(StatementInput("us-state", "https://www.state.gov/a/", "Text."))

    monkeypatch.setattr(db.default, "default_archive_path", lambda: default)
    monkeypatch.setattr(db.default, "seed_default_archive", seed)
    assert app.default_to_create(tmp_path / "named", settings) is None
    assert app.default_to_create(None, settings) == default
    app.create_then_open(window, default)
    assert "Creating" in window.statusBar().currentMessage()  # shown while the import runs
    qtbot.wait_until(lambda: window.archive_path == default, timeout=10000)
    assert threads
    assert threads[0] != threading.main_thread().name
    assert app.default_to_create(None, settings) is None  # created once


def test_file_open_on_an_archive_saved_under_another_name(
    qtbot, window, sample_archive, tmp_path, monkeypatch, no_dialogs
):
    import shutil

    from viewer import dialogs

    folder, _ = sample_archive
    copy = tmp_path / "copy" / "mine.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(folder / "archive.sqlite", copy)
    monkeypatch.setattr(dialogs, "ask_archive_to_open", lambda parent, start: copy)
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.actions.open_archive.trigger()  # File › Open archive…
    assert no_dialogs == []
    assert window.archive_path == copy  # the file chosen, not its folder's archive.sqlite
    assert window.model.rowCount() == 48
    qtbot.wait_until(lambda: window.archive_total == 48, timeout=5000)
    assert window.count_label.text().startswith("48 of 48 statements")
    qtbot.wait_until(lambda: window.reader.statement is not None, timeout=5000)
    assert window.settings.recent_archives()[0] == copy
    assert window.settings.last_archive() == copy


def test_the_window_title_names_the_archive_not_the_app_twice(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    # the platform adds the application's display name ("… — Communiqué") itself
    assert "Communiqué" not in window.windowTitle()
    assert window.windowTitle() == f"{folder.name} — {folder.parent}"


def test_down_in_the_search_box_moves_into_the_list(qtbot, window, sample_archive):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    window.list.setCurrentIndex(window.model.index(3, 0))
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.list.hasFocus()
    assert window.list.currentIndex().row() == 3  # the place in the list is kept
    qtbot.keyClick(window.list, Qt.Key.Key_Down)
    assert window.list.currentIndex().row() == 4
    window.list.clearSelection()
    window.list.setCurrentIndex(QModelIndex())
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.list.hasFocus()
    assert window.list.currentIndex().row() == 0


def test_title_and_source_columns_fit_at_1400_by_860(qtbot, settings, sample_archive, no_dialogs):
    from viewer.models.statement_table import SOURCE, TITLE

    win = MainWindow(settings)  # no saved layout: the first run's sizes
    qtbot.add_widget(win)
    win.resize(1400, 860)
    win.show()
    folder, _ = sample_archive
    open_and_wait(qtbot, win, folder)
    qtbot.wait_until(lambda: win.splitter.sizes()[0] == 220, timeout=5000)
    metrics = win.list.fontMetrics()
    sources = {win.model.index(r, SOURCE).data() for r in range(win.model.rowCount())}
    assert "US State Dept." in sources  # U.S. Department of State, shortened
    assert max(metrics.horizontalAdvance(s) for s in sources) + 8 <= win.list.columnWidth(SOURCE)
    full = win.model.index(0, SOURCE).data(Qt.ItemDataRole.ToolTipRole)
    assert win.model.hit(0).source_name in full  # the full name in the tooltip
    # the title column holds at least 45 average characters (it held 30 before)
    assert win.list.columnWidth(TITLE) >= 45 * metrics.averageCharWidth()
    reader = win.splitter.sizes()[2]
    assert reader >= 500  # and the reader still has its column of text


def test_a_worker_exception_nobody_handles_is_logged_and_shown(
    qtbot, window, tmp_path, monkeypatch
):
    from viewer.tasks import run_task

    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path / "logs"))

    def fails_in_a_worker():
        raise sqlite3.IntegrityError("UNIQUE constraint failed: statements.id")

    run_task(fails_in_a_worker)  # no on_error: this used to vanish without a trace
    log = tmp_path / "logs" / "communique.log"
    qtbot.wait_until(log.exists, timeout=5000)
    assert "in fails_in_a_worker" in log.read_text()  # the worker's own traceback
    assert window.statusBar().currentMessage() == (
        "An internal error (IntegrityError: UNIQUE constraint failed: statements.id), "
        f"details in {log}"
    )


def test_a_search_that_fails_says_so_instead_of_searching_forever(
    qtbot, window, sample_archive, tmp_path, monkeypatch
):
    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path / "logs"))

    def broken(self, query):
        raise sqlite3.IntegrityError("a bug in the search")

    monkeypatch.setattr(Archive, "search", broken)
    with qtbot.wait_signal(window.model.failed, timeout=10000):
        window.search.set_query("anything")
    assert window.count_label.text() == "Search failed"
    log = tmp_path / "logs" / "communique.log"
    assert window.statusBar().currentMessage().startswith("An internal error (IntegrityError")
    assert "in broken" in log.read_text()


def test_removed_statements_are_marked_and_can_be_filtered(qtbot, window, sample_archive):
    from scraper.removed import mark_gone
    from viewer.models.statement_table import REMOVED_MARK, TITLE

    folder, _ = sample_archive
    with Archive.open(folder) as archive:
        row = archive.conn.execute(
            "SELECT source_id, url, archive_id FROM statements ORDER BY published_ts DESC LIMIT 1"
        ).fetchone()
        assert mark_gone(archive, row[0], row[1], 410, None, at="2026-01-02T03:04:05Z") == row[2]
    open_and_wait(qtbot, window, folder)
    qtbot.wait_until(lambda: row[2] in window.model.removed, timeout=5000)
    titles = {
        window.model.index(r, 0).data(ARCHIVE_ID_ROLE): window.model.index(r, TITLE).data()
        for r in range(window.model.rowCount())
    }
    assert titles[row[2]].startswith(REMOVED_MARK)
    assert sum(t.startswith(REMOVED_MARK) for t in titles.values()) == 1
    qtbot.wait_until(
        lambda: (
            window.reader.statement is not None and window.reader.statement.archive_id == row[2]
        ),
        timeout=5000,
    )
    qtbot.wait_until(lambda: window.reader.removed_note.isVisible(), timeout=5000)
    assert "2026-01-02" in window.reader.removed_note.text()
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.filters.removed.setChecked(True)
    assert window.model.rowCount() == 1
    assert window.model.index(0, 0).data(ARCHIVE_ID_ROLE) == row[2]


def test_search_in_every_language_widens_the_list(qtbot, window, sample_archive):
    from compare.entities import expand_query

    folder, _ = sample_archive
    open_and_wait(qtbot, window, folder)
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.search.setText("Russia")
    plain = window.model.rowCount()
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.actions.all_languages.setChecked(True)
    with Archive.open(folder, readonly=True) as archive:
        wide = archive.search(
            SearchQuery(text="Russia", expansions=expand_query("Russia"), limit=500)
        )
    assert window.model.rowCount() == wide.total > plain
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.actions.all_languages.setChecked(False)
    assert window.model.rowCount() == plain


def test_without_a_search_long_titles_wrap_onto_a_second_line(qtbot, window, sample_archive):
    from PySide6.QtGui import QColor

    from viewer.models.statement_table import TITLE

    folder, _ = sample_archive
    window.resize(1400, 860)
    open_and_wait(qtbot, window, folder)
    assert not window.list.delegate.show_snippets
    line = window.list.fontMetrics().lineSpacing()
    assert window.list.rowHeight(0) >= 2 * line
    metrics = window.list.fontMetrics()
    width = window.list.columnWidth(TITLE)
    row = next(
        r
        for r in range(window.model.rowCount())
        if metrics.horizontalAdvance(window.model.index(r, TITLE).data()) > 1.3 * width
    )
    window.list.scrollTo(window.model.index(row, TITLE))
    window.list.clearSelection()
    rect = window.list.visualRect(window.model.index(row, TITLE))
    image = window.list.viewport().grab(rect).toImage()
    background = QColor(image.pixel(2, 2))

    def inked(top: int, bottom: int) -> int:
        return sum(
            1
            for y in range(top, bottom)
            for x in range(image.width())
            if QColor(image.pixel(x, y)).lightness() < background.lightness() - 80
        )

    half = image.height() // 2
    assert inked(0, half) > 0
    assert inked(half, image.height()) > 0  # the title goes on, on the second line
