"""The update window: one progress bar per source, a log of failures, Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.update import OFFLINE_MESSAGE, Progress, UpdateRunner, looks_offline


def _count(failures: int) -> str:
    return "1 failure" if failures == 1 else f"{failures} failures"


class UpdatePanel(QDialog):
    """Non-modal window following an `UpdateRunner`; reading goes on while it runs."""

    def __init__(self, runner: UpdateRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Update archive")
        self.setModal(False)
        self.resize(640, 420)
        self.runner = runner
        self.rows: dict[str, int] = {}
        self.bars: dict[str, QProgressBar] = {}
        self.failures: list[str] = []
        self.source_failures: dict[str, int] = {}
        self.new_total = 0

        self.summary = QLabel("Starting…")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Source", "Progress", "New"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setPlaceholderText("Failures are listed here (URL and reason).")
        self.log.setMaximumBlockCount(5000)
        self.cancel_button = QPushButton("Cancel update")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.hide)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("Failures"))
        layout.addWidget(self.log, 2)
        layout.addLayout(buttons)

        runner.progress.connect(self.on_progress)
        runner.finished.connect(self.on_finished)
        runner.failed.connect(self.on_failed)
        runner.running_changed.connect(self._running)

    def reset(self, source_ids: list[str]) -> None:
        """Start a fresh view listing `source_ids`."""
        self.table.setRowCount(0)
        self.rows.clear()
        self.bars.clear()
        self.failures.clear()
        self.source_failures.clear()
        self.log.clear()
        self.new_total = 0
        for source_id in source_ids:
            self._row(source_id)
        self.summary.setText(f"Updating {len(source_ids)} sources…" if source_ids else "Updating…")

    def _row(self, source_id: str) -> int:
        if source_id in self.rows:
            return self.rows[source_id]
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(source_id))
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setFormat("waiting")
        bar.setTextVisible(True)
        self.table.setCellWidget(row, 1, bar)
        new = QTableWidgetItem("0")
        new.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, 2, new)
        self.rows[source_id] = row
        self.bars[source_id] = bar
        return row

    def on_progress(self, progress: Progress) -> None:
        """Show one progress event."""
        source_id = progress.source_id or "(all)"
        row = self._row(source_id)
        bar = self.bars[source_id]
        if progress.total:
            bar.setRange(0, progress.total)
            bar.setValue(min(progress.done, progress.total))
            bar.setFormat(f"%v / %m  {progress.message}".rstrip())
        elif bar.maximum() == 0:  # no total known (yet): a busy bar with a running count
            bar.setFormat(f"{progress.done}  {progress.message}".rstrip())
        item = self.table.item(row, 2)
        previous = int(item.text() or 0)
        if progress.new > previous:  # counts are per source and cumulative
            self.new_total += progress.new - previous
            item.setText(str(progress.new))
        for error in (progress.error or "").splitlines():
            where = f"{progress.failed_url}: " if progress.failed_url else ""
            line = f"{progress.source_id}: {where}{error}"
            self.failures.append(line)
            self.source_failures[source_id] = self.source_failures.get(source_id, 0) + 1
            self.log.appendPlainText(line)
        if progress.finished:
            self._finish_bar(source_id, progress)
        self.summary.setText(
            f"Updating… {self.new_total} new statements so far, {_count(len(self.failures))}"
        )

    def _finish_bar(self, source_id: str, progress: Progress) -> None:
        """A full bar only for a source that worked; one that reached nothing shows 'failed'."""
        bar = self.bars[source_id]
        failed = self.source_failures.get(source_id, 0)
        bar.setRange(0, 1)
        if failed and not progress.new and not progress.done:
            bar.setValue(0)
            bar.setFormat(f"failed ({failed} {'error' if failed == 1 else 'errors'}, see below)")
            bar.setProperty("failed", True)
        else:
            bar.setValue(1)
            note = f", {failed} failed" if failed else ""
            bar.setFormat((progress.message or "done") + note)
            bar.setProperty("failed", False)

    def on_finished(self, _summary: Any) -> None:
        """The crawl ended (completed or cancelled)."""
        word = "Cancelled" if self.runner.cancelled else "Finished"
        if looks_offline(self.failures, self.new_total):
            self.summary.setText(OFFLINE_MESSAGE)
            return
        self.summary.setText(
            f"{word}: {self.new_total} new statements, {_count(len(self.failures))}. "
            "Everything fetched so far is archived."
        )

    def on_failed(self, message: str) -> None:
        """The crawl stopped with an error."""
        self.failures.append(message)
        self.log.appendPlainText(message)
        self.summary.setText(f"Stopped: {message}")

    def cancel(self) -> None:
        """Ask the runner to stop."""
        self.runner.cancel()
        self.summary.setText("Cancelling after the request in flight…")
        self.cancel_button.setEnabled(False)

    def _running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
