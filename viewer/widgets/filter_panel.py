"""The filter column: sources, kind, language, speaker and dates, each value with its count."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db import SearchQuery, Source
from viewer.formatting import language_label
from viewer.models.facets import FacetModel
from viewer.models.source_tree import SourceTreeModel

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FACETS = ("kind", "language", "speaker", "year")


def _view(model, title: str) -> QTreeView:
    view = QTreeView()
    view.setModel(model)
    view.setUniformRowHeights(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAccessibleName(title)
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    return view


class FilterPanel(QWidget):
    """Facet lists with counts; emits `filters_changed` when the user ticks or types a bound."""

    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = SourceTreeModel(self)
        self.facets = {
            "kind": FacetModel("kind", parent=self),
            "language": FacetModel("language", label=language_label, parent=self),
            "speaker": FacetModel("speaker", parent=self),
            "year": FacetModel("year", by_count=False, descending_values=True, parent=self),
        }
        self.source_view = _view(self.sources, "Sources")
        self.source_view.setRootIsDecorated(True)
        self.views = {name: _view(model, name.capitalize()) for name, model in self.facets.items()}
        for view in self.views.values():
            view.setRootIsDecorated(False)

        date_pattern = QRegularExpression(r"\d{0,4}(-\d{0,2}(-\d{0,2})?)?")
        self.since = QLineEdit()
        self.since.setPlaceholderText("from YYYY-MM-DD")
        self.until = QLineEdit()
        self.until.setPlaceholderText("to YYYY-MM-DD")
        for edit in (self.since, self.until):
            edit.setValidator(QRegularExpressionValidator(date_pattern, edit))
            edit.setClearButtonEnabled(True)
            edit.editingFinished.connect(self._changed)
            edit.textChanged.connect(self._bound_cleared)
        self.removed = QCheckBox("Removed by the source only")
        self.removed.setToolTip(
            "Statements taken off the source's listing, or whose page now answers 404/410"
        )
        self.removed.toggled.connect(self._changed)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear)

        dates = QWidget()
        dates_layout = QVBoxLayout(dates)
        dates_layout.setContentsMargins(0, 0, 0, 0)
        dates_layout.addWidget(self.views["year"], 1)
        row = QHBoxLayout()
        row.addWidget(self.since)
        row.addWidget(self.until)
        dates_layout.addLayout(row)
        dates_layout.addWidget(self.removed)
        dates_layout.addWidget(self.clear_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.source_view)
        for name in ("kind", "language", "speaker"):
            self.splitter.addWidget(self.views[name])
        self.splitter.addWidget(dates)
        self.splitter.setChildrenCollapsible(False)
        for i, stretch in enumerate((4, 2, 2, 2, 2)):
            self.splitter.setStretchFactor(i, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._last_state: dict[str, Any] = self.state()
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(0)  # batch the many itemChanged of one tri-state click
        self._emit_timer.timeout.connect(self._emit_if_changed)
        self.sources.itemChanged.connect(self._changed)
        for model in self.facets.values():
            model.itemChanged.connect(self._changed)

    # ---------------------------------------------------------------- state
    def state(self) -> dict[str, Any]:
        """What is ticked and typed, as plain data (saved in settings)."""
        return {
            "sources": self.sources.checked(),
            "kinds": self.facets["kind"].checked(),
            "languages": self.facets["language"].checked(),
            "speakers": self.facets["speaker"].checked(),
            "years": sorted(self.facets["year"].checked()),
            "since": self._bound(self.since),
            "until": self._bound(self.until),
            "removed": self.removed.isChecked(),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore a saved selection (unknown keys ignored)."""
        self.sources.set_checked(list(state.get("sources", [])))
        self.facets["kind"].set_checked(list(state.get("kinds", [])))
        self.facets["language"].set_checked(list(state.get("languages", [])))
        self.facets["speaker"].set_checked(list(state.get("speakers", [])))
        self.facets["year"].set_checked([str(y) for y in state.get("years", [])])
        self.since.setText(state.get("since") or "")
        self.until.setText(state.get("until") or "")
        self.removed.setChecked(bool(state.get("removed")))
        self._emit_if_changed()

    def apply(self, query: SearchQuery) -> SearchQuery:
        """`query` with the panel's filters."""
        state = self.state()
        years = state["years"]
        since = state["since"] or (years[0] if years else None)
        until = state["until"] or (years[-1] if years else None)
        return replace(
            query,
            sources=state["sources"],
            kinds=state["kinds"],
            languages=state["languages"],
            speakers=state["speakers"],
            since=since,
            until=until,
            removed_only=state.get("removed", False),
        )

    def active_count(self) -> int:
        """How many filters are set (for the status bar)."""
        state = self.state()
        return sum(1 for key, value in state.items() if value)

    def clear(self) -> None:
        """Untick everything and forget the date bounds."""
        self.set_state({})

    # ---------------------------------------------------------------- counts
    def set_sources(self, sources: list[Source]) -> None:
        """The archive's sources (tree rebuilt only when they change)."""
        self.sources.set_sources(sources)
        self.source_view.expandToDepth(0)

    def set_counts(self, facets: dict[str, dict[str, int]]) -> None:
        """Counts for the current search, from `Archive.facets`."""
        self.sources.set_counts(facets.get("source", {}))
        for name, model in self.facets.items():
            model.set_counts(facets.get(name, {}))

    # ---------------------------------------------------------------- internals
    @staticmethod
    def _bound(edit: QLineEdit) -> str:
        text = edit.text().strip()
        return text if _DATE.match(text) else ""

    def _bound_cleared(self, text: str) -> None:
        if not text:  # the clear button was used: apply at once (typing waits for Enter)
            self._changed()

    def _changed(self, *_args: Any) -> None:
        self._emit_timer.start()

    def _emit_if_changed(self) -> None:
        state = self.state()
        if state != self._last_state:
            self._last_state = state
            self.filters_changed.emit()
