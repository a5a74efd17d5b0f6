"""The main window: filters | statement list | reader, search on top, counts at the bottom."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QWidget

from db import Archive, ArchiveReadOnly, SearchQuery, Statement
from viewer import dialogs, render
from viewer.actions import build_actions
from viewer.compare.open import open_compare
from viewer.formatting import short_source
from viewer.jobs import ArchiveReader, Coalescer, Interrupt
from viewer.models.statement_table import ARCHIVE_ID_ROLE, StatementTableModel
from viewer.research import install as install_research
from viewer.settings import ViewerSettings
from viewer.tasks import LatestOnly, on_internal_error, report_error
from viewer.update import (
    OFFLINE_MESSAGE,
    CrawlFn,
    UpdateRunner,
    configured_sources,
    looks_offline,
)
from viewer.widgets.filter_panel import FilterPanel
from viewer.widgets.reader import Reader
from viewer.widgets.search_box import SearchBox
from viewer.widgets.statement_list import StatementList
from viewer.widgets.update_panel import UpdatePanel

REFRESH_DURING_UPDATE_MS = 3000


def _open_for_viewing(path: Path) -> Archive:
    """Open read-write once (upgrading an older schema); read-only when the location is."""
    try:
        return Archive.open(path)
    except ArchiveReadOnly:
        return Archive.open(path, readonly=True)


class MainWindow(QMainWindow):
    """Browse, search and read one archive; everything slow runs off the GUI thread."""

    archive_opened = Signal(object)  # Path
    statement_shown = Signal(object)  # Statement
    facets_shown = Signal(object)  # dict

    def __init__(
        self,
        settings: ViewerSettings | None = None,
        crawl: CrawlFn | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or ViewerSettings()
        self.archive_path: Path | None = None
        self.reader_access: ArchiveReader | None = None
        self.archive_total = 0
        self.last_search_seconds = 0.0
        self._compare_windows: list[QWidget] = []
        self._timeline: QWidget | None = None
        self._lexicon = None  # compare.entities.Lexicon, once "every language" is on
        self._sized = False

        self.search = SearchBox()
        self.filters = FilterPanel()
        self.model = StatementTableModel(parent=self)
        self.list = StatementList()
        self.list.setModel(self.model)
        self.list.configure_header()
        self.reader = Reader()
        self.updater = UpdateRunner(crawl, self)
        self.update_panel = UpdatePanel(self.updater, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.filters)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.reader)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([260, 500, 640])
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)  # shows the typed query
        self.update_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.update_label)

        self.actions = build_actions(self)
        self.research = install_research(self)  # tags, collections, notes, Cite menu, undo
        self._facets = Coalescer()
        self._statement = LatestOnly()
        self._totals = LatestOnly()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_DURING_UPDATE_MS)
        self._refresh_timer.timeout.connect(self._refresh_if_new)
        self._new_since_refresh = False
        self._keep: tuple[str | None, int] | None = None  # (archive id, scroll) across a refresh
        self._keep_pending: tuple[str | None, int] | None = None

        self.search.query_changed.connect(self._search_changed)
        self.search.move_down.connect(self.enter_list)
        self.filters.filters_changed.connect(self.run_query)
        self.model.loaded.connect(self._results_loaded)
        self.model.grown.connect(lambda _total: self._show_counts())
        self.model.failed.connect(lambda message: self.say(message, 8000))
        self.model.failed.connect(lambda _message: self.count_label.setText("Search failed"))
        self.model.indexing.connect(
            lambda done, total: self.say(
                f"Rebuilding the search index… {done:,} of {total:,} versions", 5000
            )
        )
        self.model.modelAboutToBeReset.connect(self._remember_place)
        self.model.modelReset.connect(self._restore_place)
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list.activated_row.connect(self._open_row)
        self.reader.compare_requested.connect(self.compare)
        self.reader.edition_requested.connect(self.show_statement)
        self.updater.running_changed.connect(self._update_running)
        self.updater.progress.connect(self._update_progress)
        self.updater.finished.connect(lambda _summary: self._refresh_if_new())
        self.updater.finished.connect(self._update_finished)
        self.updater.failed.connect(lambda message: self.say(message, 10000))
        on_internal_error(self, lambda line: self.say(line, 20000))
        self._restore_layout()

    def say(self, line: str, msecs: int) -> None:
        """A one-line message in the status bar, as a sentence."""
        self.statusBar().showMessage(line[:1].upper() + line[1:], msecs)

    # ---------------------------------------------------------------- archives
    def open_archive(self, path: Path, *, quiet: bool = False) -> bool:
        """Switch to the archive at `path`; a bad one gets a dialog and the current stays open."""
        try:
            with _open_for_viewing(path) as archive:
                folder = archive.location  # the folder, or a database file under another name
                sources = archive.sources()
        except Exception as exc:  # any failure to open is shown as one line, never a traceback
            if not quiet:
                dialogs.show_archive_error(self, path, exc)
            self.settings.forget_archive(Path(path))
            self.actions.refresh_recent()
            return False
        self.archive_path = folder
        self.reader_access = ArchiveReader(folder)
        self.settings.note_opened(folder)
        self.actions.refresh_recent()
        self.setWindowTitle(f"{folder.name} — {folder.parent}")  # Qt adds " — Communiqué"
        self.reader.clear()
        self.filters.set_sources(sources)
        if self.settings.header("statements") is None:  # the user has not sized the columns yet
            self.list.fit_source_column([short_source(s.name) for s in sources])
        self.model.reader = self.reader_access
        self._load_totals()
        self.run_query()
        self.archive_opened.emit(folder)
        return True

    def new_archive(self, path: Path) -> bool:
        """Create an empty archive in `path` and open it."""
        try:
            Archive.open(path, create=True).close()
        except Exception as exc:
            dialogs.show_archive_error(self, path, exc)
            return False
        return self.open_archive(path)

    def check_archive(self) -> None:
        """Tools › Check archive: runs in the background in its own dialog."""
        from viewer.check_dialog import CheckDialog

        if self.archive_path is not None:
            self.check_dialog = CheckDialog(self.archive_path, self)
            self.check_dialog.open()

    def _load_totals(self) -> None:
        if self.reader_access is None:
            return

        def totals(archive: Archive) -> tuple[int, list]:
            return archive.stats()["statements"], archive.sources()

        def show(result: tuple[int, list]) -> None:
            self.archive_total, sources = result
            self.filters.set_sources(sources)
            self._show_counts()

        self._totals.submit(self.reader_access.task(totals), show)
        self._load_removed()

    def _load_removed(self) -> None:
        """The statements marked removed (few), for the marks in the list and the reader."""
        from scraper.removed import removed_marks
        from viewer.tasks import run_task

        def show(marks: dict[str, str]) -> None:
            self.model.removed = marks
            if self.model.rowCount():
                last = self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1)
                self.model.dataChanged.emit(self.model.index(0, 0), last)
            if self.reader.statement is not None:
                self.reader.set_removed(marks.get(self.reader.statement.archive_id))

        run_task(self.reader_access.task(lambda archive: removed_marks(archive.conn)), show)

    # ---------------------------------------------------------------- searching
    def current_query(self) -> SearchQuery:
        """The search text plus the filter panel's choices."""
        query = self.filters.apply(
            SearchQuery(text=self.search.query(), order=self.model.query.order)
        )
        query = self.research.apply(query)
        if self._lexicon is not None:  # Edit → Search in every language
            from compare.entities import expand_query

            query = replace(query, expansions=expand_query(query.text, self._lexicon))
        return query

    def set_all_languages(self, on: bool) -> None:
        """Widen the search to every language; the name tables load off the GUI thread."""
        from viewer.tasks import run_task

        if not on:
            self._lexicon = None
            self.run_query()
            return

        def ready(lex) -> None:
            self._lexicon = lex
            self.run_query()

        def failed(exc: Exception) -> None:
            self.statusBar().showMessage(f"Every language unavailable: {exc}", 8000)

        from compare.entities import lexicon

        run_task(lexicon, ready, failed)

    def _search_changed(self, _text: str) -> None:
        self.list.header().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.model.query = replace(self.model.query, order="rank")
        self.run_query()

    def run_query(self) -> None:
        """Search again with the current text and filters; counts follow."""
        if self.reader_access is None:
            return
        query = self.current_query()
        self.list.set_show_snippets(bool(query.text))
        self.model.set_query(query)
        facet_query = replace(query, limit=0, offset=0)
        interrupt = Interrupt()
        self._facets.submit(
            self.reader_access.task(lambda archive: archive.facets(facet_query), interrupt),
            self._facets_loaded,
            lambda exc: self.statusBar().showMessage(
                f"Counts unavailable: {report_error(exc, 'counting')}", 8000
            ),
            interrupt,
        )
        self.count_label.setText("Searching…")
        if self._timeline is not None and self._timeline.isVisible():
            self._timeline.set_query(query)

    def refresh(self) -> None:
        """Re-run the query and counts (new statements appear without a restart); the
        statement being read and the scroll position stay where they are."""
        current = self.list.currentIndex()
        self._keep = (
            current.data(ARCHIVE_ID_ROLE) if current.isValid() else None,
            self.list.verticalScrollBar().value(),
        )
        self._load_totals()
        self.run_query()

    def _refresh_if_new(self) -> None:
        if self._new_since_refresh:
            self._new_since_refresh = False
            self.refresh()

    def _facets_loaded(self, facets: dict[str, dict[str, int]]) -> None:
        self.filters.set_counts(facets)
        self.facets_shown.emit(facets)

    def _results_loaded(self, total: int, seconds: float) -> None:
        self.last_search_seconds = seconds
        self._show_counts()

    def _show_counts(self) -> None:
        total = self.model.total
        more = "" if self.model.exact else "+"
        text = f"{total:,}{more} of {self.archive_total:,} statements"
        if self.filters.active_count():
            text += f"  ·  {self.filters.active_count()} filters"
        if self.search.query():
            text += f"  ·  “{self.search.query()}”  ({self.last_search_seconds * 1000:.0f} ms)"
        if getattr(self.model, "searched_as", None):
            text += f"  ·  {self.model.searched_as}"
        self.count_label.setText(text)

    # ---------------------------------------------------------------- reading
    def _remember_place(self) -> None:
        if self._keep is None:
            return
        self._keep_pending = self._keep
        self._keep = None

    def _restore_place(self) -> None:
        keep, self._keep_pending = self._keep_pending, None
        if keep is not None:
            archive_id, scroll = keep
            row = self.model.row_of(archive_id) if archive_id else -1
            if row >= 0:
                self.list.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            self.list.verticalScrollBar().setValue(scroll)
            if row >= 0 or self.reader.statement is not None:
                return  # a refresh never replaces the statement being read
        self._select_first_if_none()

    def _select_first_if_none(self) -> None:
        if self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        archive_id = current.data(ARCHIVE_ID_ROLE) if current.isValid() else None
        if archive_id:
            self.show_statement(archive_id)

    def show_statement(self, archive_id: str) -> None:
        """Load `archive_id` off the GUI thread and show it in the reader."""
        if self.reader_access is None:
            return
        if self.reader.statement is not None and self.reader.statement.archive_id == archive_id:
            return
        terms = render.query_terms(self.search.query())
        self._statement.submit(
            self.reader_access.task(lambda archive: archive.get_statement(archive_id)),
            lambda statement: self._statement_loaded(statement, terms),
            lambda exc: self.statusBar().showMessage(
                report_error(exc, "showing a statement"), 8000
            ),
        )

    def _statement_loaded(self, statement: Statement | None, terms: list[str]) -> None:
        if statement is None:
            self.reader.clear("This statement is no longer in the archive.")
            return
        self.reader.show_statement(statement, terms)
        self.reader.set_removed(self.model.removed.get(statement.archive_id))
        self.reader.related.load(self.archive_path, statement.archive_id)
        self.statement_shown.emit(statement)

    def _open_row(self, row: int) -> None:
        archive_id = self.model.index(row, 0).data(ARCHIVE_ID_ROLE)
        if archive_id:
            self.show_statement(archive_id)
            self.reader.text.setFocus()

    def enter_list(self) -> None:
        """↓ in the search box: into the list, on its first row when none is current yet."""
        self.list.setFocus()
        if not self.list.currentIndex().isValid() and self.model.rowCount() > 0:
            self.list.setCurrentIndex(self.model.index(0, 0))

    def focus_list(self) -> None:
        """Esc: back from the reader to the list."""
        self.list.setFocus()

    # ---------------------------------------------------------------- compare
    def compare(self, refs: list[str] | None = None) -> None:
        """Compare two versions, or two to four selected statements (Ctrl+D)."""
        if self.archive_path is None:
            return
        if not refs:
            rows = sorted({i.row() for i in self.list.selectionModel().selectedRows()})
            ids = [self.model.index(r, 0).data(ARCHIVE_ID_ROLE) for r in rows[:4]]
            refs = [i for i in ids if i] if len(rows) >= 2 else self.reader.versions.refs()
        if not refs:
            self.statusBar().showMessage(
                "Select two statements, or a statement with two versions, to compare.", 6000
            )
            return
        window = open_compare(self.archive_path, refs, self)
        if window is not None:
            self.research.attach_compare(window)  # "Add to collection" from Compare
        # a closed Compare window is deleted by Qt (WA_DeleteOnClose): only its wrapper is left
        alive = [w for w in self._compare_windows if shiboken6.isValid(w) and w.isVisible()]
        self._compare_windows = [*alive, window]

    # ---------------------------------------------------------------- timeline
    def show_timeline(self) -> None:
        """Ctrl+T: the current search over time; a period chosen there filters the list."""
        if self.reader_access is None:
            return
        from viewer.timeline_window import TimelineWindow

        if self._timeline is None or self._timeline.reader is not self.reader_access:
            self._timeline = TimelineWindow(self.reader_access, self.current_query(), self)
            self._timeline.period_selected.connect(self.filter_to_period)
        self._timeline.set_query(self.current_query())
        self._timeline.show()

    def filter_to_period(self, since: str, until: str) -> None:
        """Filter the list to [since, until] (ISO dates, inclusive)."""
        self.filters.since.setText(since)
        self.filters.until.setText(until)
        self.filters.until.editingFinished.emit()

    # ---------------------------------------------------------------- update
    def start_update(self, only_checked: bool = False) -> None:
        """Run the scraper in the background (all sources, or the ticked ones)."""
        if self.archive_path is None:
            return
        chosen = self.filters.sources.checked() if only_checked else None
        self.update_panel.reset(chosen or ([] if self.updater.crawl else configured_sources()))
        if self.updater.start(self.archive_path, chosen or None):
            self.update_panel.show()
            if QGuiApplication.platformName() != "offscreen":
                self.update_panel.raise_()

    def _update_running(self, running: bool) -> None:
        if running:
            self._refresh_timer.start()
            self.update_label.setText("Updating…")
        else:
            self._refresh_timer.stop()
            self.update_label.setText("")

    def _update_finished(self, _summary: Any) -> None:
        panel = self.update_panel
        if looks_offline(panel.failures, panel.new_total):
            self.statusBar().showMessage(OFFLINE_MESSAGE, 20000)

    def _update_progress(self, progress: Any) -> None:
        if progress.new:
            self._new_since_refresh = True
        panel = self.update_panel
        self.update_label.setText(
            f"Updating: {panel.new_total} new · {len(panel.failures)} failures"
        )

    # ---------------------------------------------------------------- settings
    def _restore_layout(self) -> None:
        if geometry := self.settings.geometry():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        if state := self.settings.window_state():
            self.restoreState(state)
        for name, splitter in self._splitters().items():
            if saved := self.settings.splitter(name):
                splitter.restoreState(saved)
        if header := self.settings.header("statements"):
            self.list.header().restoreState(header)
            self.list.header().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.filters.set_state(self.settings.filters())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._sized and self.settings.splitter("main") is None:
            QTimer.singleShot(0, self._first_run_sizes)
        self._sized = True

    def _first_run_sizes(self) -> None:
        """Filters narrow, the list wide enough for titles, the reader about 70 characters."""
        width = self.splitter.width()
        filters = 220
        # the reader's column of text needs ~530 px; the list gets the rest for titles and sources
        reader = max(530, int((width - filters) * 0.45))
        self.splitter.setSizes([filters, width - filters - reader, reader])

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "main": self.splitter,
            "filters": self.filters.splitter,
            "reader": self.reader.splitter,
        }

    def save_layout(self) -> None:
        """Remember geometry, splitters, columns and filters."""
        self.settings.save_window(self.saveGeometry(), self.saveState())
        for name, splitter in self._splitters().items():
            self.settings.save_splitter(name, splitter.saveState())
        self.settings.save_header("statements", self.list.header().saveState())
        self.settings.save_filters(self.filters.state())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_layout()
        if self.updater.running:
            self.updater.cancel()
            self.updater.wait(15000)
        self._facets.cancel()  # interrupts the running count queries
        self.model.stop()
        QThreadPool.globalInstance().waitForDone(5000)
        super().closeEvent(event)
