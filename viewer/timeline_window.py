"""The timeline: statements per source over time for the current search and filters, and edits.

Drawn with pyqtgraph (stacked bars per source, edits as a line); drag over a period to filter
the list to it; export the chart as PNG and its numbers as CSV. The counting runs off the GUI
thread (db.timeline over the search's own matching set).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.models import SearchQuery
from db.timeline import write_csv
from viewer.jobs import ArchiveReader, Coalescer

_PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"]  # fmt: skip
_SPAN = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}  # bar width in days


def _ts(day: str) -> float:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()


def _day(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).date().isoformat()


class _PeriodViewBox(pg.ViewBox):
    """Dragging with the left button selects a period instead of panning the chart."""

    def __init__(self) -> None:
        super().__init__()
        self.on_drag: Callable[[float, float, bool], None] | None = None

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 (pyqtgraph override)
        if ev.button() != Qt.MouseButton.LeftButton or self.on_drag is None:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        start = self.mapSceneToView(ev.buttonDownScenePos()).x()
        now = self.mapSceneToView(ev.scenePos()).x()
        self.on_drag(min(start, now), max(start, now), ev.isFinish())


class TimelineWindow(QWidget):
    """A chart of the search over time; emits the period dragged over as (since, until)."""

    period_selected = Signal(str, str)

    def __init__(self, reader: ArchiveReader, query: SearchQuery, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Timeline")
        self.reader = reader
        self.query = query
        self.result = None
        self._jobs = Coalescer()
        self.by = QComboBox()
        self.by.addItems(["day", "week", "month", "year"])
        self.by.setCurrentText("month")
        self.by.setToolTip("Bucket size")
        self.by.currentTextChanged.connect(lambda _t: self.reload())
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_button = QPushButton("Filter to period")
        self.filter_button.setToolTip("Filter the list to the period selected on the chart")
        self.filter_button.clicked.connect(self._emit_period)
        self.png_button = QPushButton("Export PNG…")
        self.png_button.clicked.connect(lambda: self.export_png())
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.clicked.connect(lambda: self.export_csv())
        top = QHBoxLayout()
        top.addWidget(QLabel("Per"))
        top.addWidget(self.by)
        top.addWidget(self.status, 1)
        top.addWidget(self.filter_button)
        top.addWidget(self.png_button)
        top.addWidget(self.csv_button)

        self.view = _PeriodViewBox()
        self.view.on_drag = self._dragged
        self.plot = pg.PlotWidget(viewBox=self.view, axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setBackground("w")
        self.plot.showGrid(y=True, alpha=0.2)
        self.plot.setLabel("left", "statements")
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.edits_plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.edits_plot.setBackground("w")
        self.edits_plot.setLabel("left", "edits")
        self.edits_plot.setMaximumHeight(140)
        self.edits_plot.setXLink(self.plot)
        self.region = pg.LinearRegionItem(brush=QColor(30, 120, 220, 40))
        self.region.setZValue(10)
        self.region.hide()
        self.region.sigRegionChangeFinished.connect(self._region_changed)
        self.plot.addItem(self.region)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.edits_plot)
        hint = QLabel(
            "Drag over the chart to filter the list to that period (or click, adjust the edges, "
            "then Filter to period); the wheel zooms, right-drag pans."
        )
        hint.setForegroundRole(hint.foregroundRole().PlaceholderText)
        layout.addWidget(hint)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        self.resize(900, 520)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.png_button, self.csv_button):
            w.setEnabled(on)
        self.filter_button.setEnabled(on and self.region.isVisible())

    # ---------------------------------------------------------------- loading
    def set_query(self, query: SearchQuery) -> None:
        self.query = replace(query, limit=0, offset=0)
        self.reload()

    def reload(self) -> None:
        from db.timeline import timeline

        query, by = self.query, self.by.currentText()
        self.status.setText("Counting…")
        self._jobs.submit(
            self.reader.task(lambda archive: timeline(archive.conn, query, by)),
            lambda result: self.show_result(result) if shiboken6.isValid(self.plot) else None,
            lambda exc: (
                self.status.setText(f"Timeline unavailable: {exc}")
                if shiboken6.isValid(self.status)
                else None
            ),
        )

    def show_result(self, result) -> None:
        """Draw stacked bars per source and the edits line."""
        self.result = result
        for item in list(self.plot.listDataItems()) + [
            i for i in self.plot.items() if isinstance(i, pg.BarGraphItem)
        ]:
            self.plot.removeItem(item)
        self.legend.clear()
        self.edits_plot.clear()
        width = _SPAN[result.by] * 86_400 * 0.85
        dated = [b for b in result.buckets if b.start]
        sources = sorted({b.source for b in dated})
        base: dict[str, int] = {}
        for n, source in enumerate(sources):
            rows = [b for b in dated if b.source == source]
            xs = [_ts(b.start) + width / 2 for b in rows]
            bottoms = [base.get(b.start, 0) for b in rows]
            heights = [b.count for b in rows]
            for b in rows:
                base[b.start] = base.get(b.start, 0) + b.count
            bars = pg.BarGraphItem(
                x=xs, height=heights, y0=bottoms, width=width, brush=_PALETTE[n % len(_PALETTE)]
            )
            bars.setOpts(name=source)
            self.plot.addItem(bars)
        edits: dict[str, int] = {}
        for b in result.edits:
            if b.start:
                edits[b.start] = edits.get(b.start, 0) + b.count
        if edits:
            days = sorted(edits)
            self.edits_plot.plot(
                [_ts(d) + width / 2 for d in days],
                [edits[d] for d in days],
                pen=pg.mkPen("#e15759", width=2),
                symbol="o",
                symbolSize=5,
            )
        undated = sum(b.count for b in result.buckets if not b.start)
        note = f", {undated} undated" if undated else ""
        self.status.setText(
            f"{result.total:,} statements by {result.by}{note}; {sum(edits.values()):,} edits"
        )
        self.plot.autoRange()
        self._set_enabled(True)

    # ---------------------------------------------------------------- period
    def _clicked(self, event) -> None:
        if self.result is None or not self.result.buckets:
            return
        x = self.plot.plotItem.vb.mapSceneToView(event.scenePos()).x()
        span = _SPAN[self.result.by] * 86_400
        self.set_period(x - span / 2, x + span / 2)

    def _dragged(self, start: float, end: float, finished: bool) -> None:
        self.set_period(start, end)
        if finished and self.result is not None:
            self._emit_period()

    def set_period(self, start: float, end: float) -> None:
        """Select [start, end] (UNIX times) on the chart."""
        self.region.setRegion((start, end))
        self.region.show()
        self._set_enabled(self.result is not None)

    def period(self) -> tuple[str, str] | None:
        """The selected period as ISO dates (inclusive), or None."""
        if not self.region.isVisible():
            return None
        lo, hi = self.region.getRegion()
        return _day(lo), _day(hi)

    def _region_changed(self) -> None:
        period = self.period()
        if period:
            self.status.setText(f"Selected {period[0]} – {period[1]}")

    def _emit_period(self) -> None:
        period = self.period()
        if period:
            self.period_selected.emit(*period)

    # ---------------------------------------------------------------- export
    def export_png(self, path: str | Path | None = None) -> Path | None:
        """Save the chart (both plots) as PNG; asks for a file name when none is given."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export chart", "timeline.png", "PNG (*.png)"
            )
            if not path:
                return None
        target = Path(path)
        if not self.grab().save(str(target), "PNG"):
            self.status.setText(f"{target}: could not be written")
            return None
        return target

    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Save the numbers (start, source, count, edits) as CSV."""

        if self.result is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export numbers", "timeline.csv", "CSV (*.csv)"
            )
            if not path:
                return None
        target = Path(path)
        try:
            with target.open("w", encoding="utf-8", newline="") as fh:
                write_csv(self.result, fh)
        except OSError as exc:
            self.status.setText(f"{target}: could not be written ({exc.strerror})")
            return None
        return target
