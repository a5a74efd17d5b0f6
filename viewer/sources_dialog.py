"""The Sources dialog: each source's health (statements, last success, recent failures), and
`sources check` run in the background on the selected sources.

Everything here reads or writes the archive on a worker thread with its own connection; page-
derived values (URLs, reasons, selector findings) are shown as plain text only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.plaintext import plain_tooltip
from viewer.tasks import run_task

COLUMNS = ("Source", "Name", "Statements", "Last success", "Failures", "Latest failure", "Check")

# (archive folder, source ids, stop event) -> list of SourceCheck (scraper.health)
Checker = Callable[[Path, list[str], threading.Event], list]


def _load_configs() -> dict:
    from scraper.sources import load_sources

    return load_sources()


def default_checker(configs: dict | None = None) -> Checker:
    """`sources check` on a worker thread: its own Archive, the crawl's politeness and WARC."""

    def check(folder: Path, ids: list[str], stop: threading.Event) -> list:
        from db import Archive
        from scraper.health import check_sources

        chosen = configs if configs is not None else _load_configs()
        with Archive.open(folder) as arc:
            return check_sources(arc, [chosen[i] for i in ids if i in chosen], stop=stop)

    return check


def _health(folder: Path, configs: dict) -> list:
    from db import Archive
    from scraper.health import source_health

    with Archive.open(folder) as arc:
        return source_health(arc, list(configs.values()))


def _item(text: str, *, number: bool = False, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # an item's text is never interpreted as markup
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tip:
        item.setToolTip(plain_tooltip(tip))  # Qt guesses a tooltip's format: escape it
    return item


class SourcesDialog(QDialog):
    """A table of sources with their health; Check runs `sources check` in the background."""

    def __init__(
        self,
        archive_path: Path,
        parent: QWidget | None = None,
        *,
        configs: dict | None = None,
        checker: Checker | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sources")
        self.resize(1000, 620)
        self.archive_path = Path(archive_path)
        self.configs = configs if configs is not None else _load_configs()
        self.checker = checker or default_checker(configs)
        self.checking = False
        self._stop = threading.Event()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.results: dict[str, Any] = {}
        self.health: dict[str, Any] = {}

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)

        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(
            "Select sources and press Check: their newest items are fetched (politely, "
            "recorded in the archive's WARC) and every selector's findings are shown here."
        )
        self.status = QLabel("", self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.check_button = QPushButton("&Check selected", self)
        self.check_button.setToolTip("Run a health check of the selected sources (Ctrl+Return)")
        self.check_button.clicked.connect(self.check_selected)
        self.check_all_button = QPushButton("Check &all", self)
        self.check_all_button.clicked.connect(self.check_all)
        self.cancel_button = QPushButton("Stop", self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.check_selected)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addWidget(self.check_all_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.status, 1)
        row.addWidget(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.report)
        splitter.setSizes([360, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addLayout(row)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._quit)
        self.refresh()

    # ------------------------------------------------------------------ health
    def refresh(self, announce: bool = True) -> None:
        """Read the sources' health in the background (`announce`: say so in the status)."""
        if announce:
            self.status.setText("Reading the sources' health…")
        configs = dict(self.configs)
        run_task(
            lambda: _health(self.archive_path, configs),
            lambda rows: self._fill(rows, announce),
            lambda exc: self.status.setText(f"Cannot read the archive: {exc}"),
        )

    def _fill(self, rows: list, announce: bool = True) -> None:
        self.health = {h.source_id: h for h in rows}
        self.table.setRowCount(len(rows))
        for n, h in enumerate(rows):
            check = self.results.get(h.source_id)
            verdict = "" if check is None else ("OK" if check.ok else "problem")
            cells = [
                _item(h.source_id),
                _item(h.name, tip=h.name),
                _item(f"{h.statements:,}", number=True),
                _item(h.last_seen or "never"),
                _item(
                    f"{h.failures} ({h.given_up} given up)" if h.given_up else str(h.failures),
                    number=True,
                    tip="given up: failed too often to be retried automatically "
                    "(scrape --retry-failed retries them)"
                    if h.given_up
                    else None,
                ),
                _item(
                    h.latest_failure or "",
                    tip=f"{h.latest_failure_at}: {h.latest_failure}" if h.latest_failure else None,
                ),
                _item(verdict),
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(n, column, cell)
        if announce and not self.checking:
            self.status.setText(f"{len(rows)} sources")

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.table.item(r, 0).text() for r in rows if self.table.item(r, 0)]

    # ------------------------------------------------------------------ check
    def check_all(self) -> None:
        self.start_check(list(self.configs))

    def check_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status.setText("Select one or more sources to check (or press Check all).")
            return
        self.start_check(ids)

    def start_check(self, ids: list[str]) -> bool:
        """Check `ids` in the background; False when a check is running already."""
        if self.checking or not ids:
            return False
        self.checking = True
        self._stop = threading.Event()
        for button in (self.check_button, self.check_all_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        names = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        self.status.setText(f"Checking {names}… (the viewer stays usable)")
        stop = self._stop
        checker = self.checker
        folder = self.archive_path
        run_task(lambda: checker(folder, ids, stop), self._checked, self._check_failed, self._pool)
        return True

    def cancel(self) -> None:
        if self.checking:
            self._stop.set()
            self.status.setText("Stopping after the request in flight…")

    def _end_check(self) -> None:
        self.checking = False
        for button in (self.check_button, self.check_all_button):
            button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    # Closing the dialog hides it: a check goes on in the background and its report is here
    # when the dialog is opened again (Sources… in the File menu).
    def _checked(self, reports: list) -> None:
        self._end_check()
        for report in reports:
            self.results[report.source_id] = report
        bad = [r.source_id for r in reports if not r.ok]
        self.status.setText(
            f"Checked {len(reports)}: "
            + ("all complete" if not bad else f"problems in {', '.join(bad)}")
        )
        self.report.setPlainText("\n".join(line for r in reports for line in r.lines()))
        self.refresh(announce=False)

    def _check_failed(self, exc: Exception) -> None:
        self._end_check()
        self.status.setText(f"The check stopped: {exc}")

    def _show_selected(self) -> None:
        """The selected sources' recent failures, then their last check's findings."""
        lines: list[str] = []
        for source_id in self.selected_ids():
            health = self.health.get(source_id)
            if health is not None:
                lines += health.lines()
            if source_id in self.results:
                lines += self.results[source_id].lines()
            lines.append("")
        if lines:
            self.report.setPlainText("\n".join(lines).rstrip())

    def _quit(self) -> None:
        """At exit a running check stops after its request in flight."""
        self._stop.set()


def open_sources_dialog(window) -> SourcesDialog | None:
    """The menu's entry point: one dialog per window, on the archive open now."""
    if getattr(window, "archive_path", None) is None:
        return None
    dialog = getattr(window, "_sources_dialog", None)
    if dialog is None or dialog.archive_path != Path(window.archive_path):
        dialog = SourcesDialog(window.archive_path, window)
        window._sources_dialog = dialog
    dialog.show()
    if QGuiApplication.platformName() != "offscreen":  # offscreen warns it cannot raise
        dialog.raise_()
        dialog.activateWindow()
    return dialog
