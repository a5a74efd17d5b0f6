"""Menus, toolbar and keyboard shortcuts of the main window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton

from viewer import dialogs

if TYPE_CHECKING:
    from viewer.mainwindow import MainWindow


class Actions:
    """Every command of the main window, with its shortcut, in menus and on the toolbar."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        w = window

        def act(
            text: str, slot, shortcut: QKeySequence | str | None = None, tip: str = ""
        ) -> QAction:
            action = QAction(text, w)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(tip)
            action.triggered.connect(lambda _checked=False: _call(slot))
            w.addAction(action)
            return action

        self.new_archive = act(
            "&New archive…",
            self._new,
            QKeySequence.StandardKey.New,
            "Create an empty archive in a folder",
        )
        self.open_archive = act(
            "&Open archive…",
            self._open,
            QKeySequence.StandardKey.Open,
            "Open another archive (Ctrl+O)",
        )
        self.quit = act("&Quit", w.close, QKeySequence.StandardKey.Quit)
        self.find = act("&Find", self._find, QKeySequence.StandardKey.Find, "Search (Ctrl+F)")
        self.clear_filters = act("Clear &filters", w.filters.clear, "Ctrl+Shift+L")
        self.copy_citation = act(
            "Copy &citation",
            w.reader.copy_citation,
            "Ctrl+Shift+C",
            "Copy title, institution, date, URL, archive id and capture time",
        )
        self.open_original = act(
            "Open &original",
            w.reader.open_original,
            "Ctrl+Shift+O",
            "Open the published page in your browser",
        )
        self.compare = act(
            "&Compare…",
            lambda: w.compare(None),
            "Ctrl+D",
            "Compare two selected statements or two versions",
        )
        self.back = act("Back to list", w.focus_list, "Esc")
        w.removeAction(self.back)  # Esc belongs to the reader only (the search box clears on Esc)
        self.back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.reader.addAction(self.back)
        self.update = act(
            "&Update archive",
            lambda: w.start_update(False),
            "Ctrl+U",
            "Fetch new statements from every source, in the background",
        )
        self.update_checked = act(
            "Update &ticked sources",
            lambda: w.start_update(True),
            None,
            "Fetch new statements from the sources ticked in the filter",
        )
        self.show_update = act("Show update progress", w.update_panel.show, None)
        self.sources = act(
            "&Sources…",
            lambda: _sources_dialog(w),
            "Ctrl+Shift+U",
            "Each source's health; check that a site still gives complete statements",
        )
        self.refresh = act("&Refresh", w.refresh, QKeySequence.StandardKey.Refresh)
        self.check_archive = act(
            "&Check archive…",
            w.check_archive,
            None,
            "Verify the database, every stored text, the search index and the WARC evidence",
        )
        self.next_match = act(
            "&Next match",
            w.reader.next_match,
            QKeySequence.StandardKey.FindNext,
            "Go to the next occurrence of the search in the text (F3)",
        )
        self.previous_match = act(
            "&Previous match",
            w.reader.previous_match,
            QKeySequence.StandardKey.FindPrevious,
            "Go to the previous occurrence of the search in the text (Shift+F3)",
        )
        self.timeline = act(
            "&Timeline",
            w.show_timeline,
            "Ctrl+T",
            "Statements per source over time for this search; drag a period to filter",
        )
        self.all_languages = QAction("Search in every &language", w)
        self.all_languages.setCheckable(True)
        self.all_languages.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.all_languages.setStatusTip(
            "Also find the names in the search in every language (Iran: Иран, ایران, 伊朗…)"
        )
        self.all_languages.toggled.connect(w.set_all_languages)
        w.addAction(self.all_languages)
        self.formatting = QAction("Show published &formatting", w)
        self.formatting.setCheckable(True)
        self.formatting.setStatusTip(
            "Show the statement's own markup (made safe) instead of plain text"
        )
        self.formatting.toggled.connect(w.reader.set_show_formatting)

        bar = w.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_archive)
        file_menu.addAction(self.open_archive)
        self.recent_menu = QMenu("Open &recent", w)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.update)
        file_menu.addAction(self.update_checked)
        file_menu.addAction(self.show_update)
        file_menu.addAction(self.sources)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.find)
        edit_menu.addAction(self.next_match)
        edit_menu.addAction(self.previous_match)
        edit_menu.addAction(self.clear_filters)
        edit_menu.addAction(self.all_languages)
        edit_menu.addAction(self.copy_citation)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.refresh)
        view_menu.addAction(self.formatting)
        view_menu.addAction(self.timeline)
        statement_menu = bar.addMenu("&Statement")
        statement_menu.addAction(self.open_original)
        statement_menu.addAction(self.copy_citation)
        statement_menu.addAction(self.compare)
        tools_menu = bar.addMenu("&Tools")
        tools_menu.addAction(self.check_archive)

        toolbar = QToolBar("Search", w)
        toolbar.setObjectName("search-toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(w.search)
        update_button = QToolButton()
        update_button.setDefaultAction(self.update)
        update_menu = QMenu(update_button)
        update_menu.addAction(self.update_checked)
        update_menu.addAction(self.show_update)
        update_menu.addAction(self.sources)
        update_button.setMenu(update_menu)
        update_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        toolbar.addWidget(update_button)
        w.addToolBar(toolbar)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        """Rebuild File → Open recent from the settings."""
        self.recent_menu.clear()
        recent = self.window.settings.recent_archives()
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(
                lambda _checked=False, p=path: _call(self.window.open_archive, p)
            )
        self.recent_menu.setEnabled(bool(recent))

    def _find(self) -> None:
        self.window.search.setFocus()
        self.window.search.selectAll()

    def _open(self) -> None:
        path = dialogs.ask_archive_to_open(self.window, self.window.archive_path)
        if path is not None:
            self.window.open_archive(path)

    def _new(self) -> None:
        path = dialogs.ask_new_archive(self.window, self.window.archive_path)
        if path is not None:
            self.window.new_archive(Path(path))


def _call(fn, *args) -> None:
    """Call `fn` and return None: a slot's return value must never reach PySide (see
    viewer/pyside_guard.py)."""
    fn(*args)


def build_actions(window: MainWindow) -> Actions:
    """Create the window's actions, menus and toolbar."""
    return Actions(window)


def _sources_dialog(window) -> None:
    from viewer.sources_dialog import open_sources_dialog

    open_sources_dialog(window)
