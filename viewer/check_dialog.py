"""Tools › Check archive: `db.check` in the background, with progress, problems and Cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from db import Archive, ArchiveError
from db.check import CheckReport, check_archive
from viewer.tasks import run_task

_STAGE_NAMES = {
    "database": "Checking the database file…",
    "texts": "Checking every stored text against its SHA-256…",
    "search index": "Checking the search index…",
    "captures": "Checking the WARC evidence of every capture…",
}


class CheckRunner(QObject):
    """Runs one check on the thread pool (its own connection); progress arrives by signal."""

    progress = Signal(str, int, int)  # stage, done, total
    finished = Signal(object)  # CheckReport
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def start(self, path: Path) -> None:
        self._cancel.clear()
        run_task(
            lambda: _run(Path(path), self.progress.emit, self._cancel.is_set),
            self.finished.emit,
            lambda exc: self.failed.emit(str(exc)),
        )

    def cancel(self) -> None:
        self._cancel.set()


def _run(path: Path, progress, cancelled) -> CheckReport:
    try:
        from scraper.verify import verify_capture
    except ImportError:  # a viewer without the scraper still checks the rest
        verify_capture = None
    try:
        archive = Archive.open(path)  # writable: FTS5's index check is an INSERT
    except ArchiveError:
        archive = Archive.open(path, readonly=True)  # read-only media: the index is skipped
    with archive:
        return check_archive(
            archive, verify_capture=verify_capture, on_progress=progress, cancelled=cancelled
        )


class CheckDialog(QDialog):
    """Shows the stage, a progress bar and, at the end, every problem as plain text."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check archive")
        self.resize(720, 420)
        self.path = Path(path)
        self.report: CheckReport | None = None
        self.stage = QLabel("Starting…")
        self.stage.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.problems = QPlainTextEdit()  # plain text: paths and URLs come from pages
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.problems.setPlaceholderText("Problems found will be listed here, one per line.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)

        self.runner = CheckRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.running = True
        self.runner.start(self.path)

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stage.setText(_STAGE_NAMES.get(stage, stage))
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))

    def _finished(self, report: CheckReport) -> None:
        self.running = False
        self.report = report
        self.problems.setPlainText("\n".join(report.problems + report.skipped))
        checked = f"{report.versions:,} versions and {report.captures:,} captures"
        if report.cancelled:
            self.stage.setText(f"Cancelled after {checked}.")
        elif report.problems:
            count = len(report.problems)
            self.stage.setText(f"{count:,} problem{'s' * (count != 1)} found in {checked}.")
        else:
            self.stage.setText(f"No problems found in {checked}.")
        self.bar.setValue(self.bar.maximum())
        self._closable()

    def _failed(self, message: str) -> None:
        self.running = False
        self.stage.setText(f"The check stopped: {message}")
        self._closable()

    def _closable(self) -> None:
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _cancel_or_close(self) -> None:
        if self.running:
            self.stage.setText("Cancelling…")
            self.runner.cancel()
        else:
            self.reject()

    def reject(self) -> None:  # Esc or the window's close button while running: cancel first
        if self.running:
            self.runner.cancel()
            return
        super().reject()
