"""Filter values with their counts for the current search: one checkable list per facet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2


def count_item(count: int) -> QStandardItem:
    """A right-aligned, read-only count cell."""
    item = QStandardItem(f"{count:,}")
    item.setData(count, COUNT_ROLE)
    item.setEditable(False)
    item.setSelectable(False)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def set_count(item: QStandardItem, count: int) -> None:
    """Update a count cell in place (only when it changed, to keep views quiet)."""
    if item.data(COUNT_ROLE) != count:
        item.setText(f"{count:,}")
        item.setData(count, COUNT_ROLE)


class CheckStateModel(QStandardItemModel):
    """QStandardItemModel that reports check states as `Qt.CheckState` (PySide gives ints)."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        value = super().data(index, role)
        if role == Qt.ItemDataRole.CheckStateRole and isinstance(value, int):
            return Qt.CheckState(value)
        return value


class FacetModel(CheckStateModel):
    """Values of one facet (kind, language, speaker, year): checkable, with counts.

    Counts are updated in place so that check states, scroll position and selection survive a
    new search; checked values stay listed even when the current search has none of them.
    """

    def __init__(self, name: str, label: Callable[[str], str] | None = None,
                 by_count: bool = True, descending_values: bool = False, parent=None) -> None:
        super().__init__(0, 2, parent)
        self.name = name
        self._label = label or (lambda value: value)
        self._by_count = by_count
        self._descending_values = descending_values
        self.setHorizontalHeaderLabels([name.capitalize(), "Count"])

    def _rows(self) -> dict[str, int]:
        return {self.item(r, 0).data(VALUE_ROLE): r for r in range(self.rowCount())}

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show `counts` (value → number of statements in the current search)."""
        checked = set(self.checked())
        rows = self._rows()
        for value in sorted(rows, key=rows.__getitem__, reverse=True):
            if value not in counts and value not in checked:
                self.removeRow(rows[value])
        rows = self._rows()
        for value, row in rows.items():
            set_count(self.item(row, 1), counts.get(value, 0))
        for value, count in counts.items():
            if value not in rows:
                name = QStandardItem(self._label(value))
                name.setData(value, VALUE_ROLE)
                name.setToolTip(value)
                name.setCheckable(True)
                name.setEditable(False)
                self.appendRow([name, count_item(count)])
        self._order()

    def _order(self) -> None:
        if self._by_count:
            self.setSortRole(COUNT_ROLE)
            self.sort(1, Qt.SortOrder.DescendingOrder)
        else:
            order = Qt.SortOrder.DescendingOrder if self._descending_values else Qt.SortOrder.AscendingOrder
            self.setSortRole(VALUE_ROLE)
            self.sort(0, order)

    def checked(self) -> list[str]:
        """Values the user ticked."""
        return [
            self.item(r, 0).data(VALUE_ROLE)
            for r in range(self.rowCount())
            if self.item(r, 0).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, values: list[str]) -> None:
        """Tick exactly `values` (adding rows with no count for values not listed yet)."""
        wanted = set(values)
        rows = self._rows()
        for value in wanted - set(rows):
            name = QStandardItem(self._label(value))
            name.setData(value, VALUE_ROLE)
            name.setCheckable(True)
            name.setEditable(False)
            self.appendRow([name, count_item(0)])
        for r in range(self.rowCount()):
            item = self.item(r, 0)
            state = Qt.CheckState.Checked if item.data(VALUE_ROLE) in wanted else Qt.CheckState.Unchecked
            if item.checkState() != state:
                item.setCheckState(state)

    def counts(self) -> dict[str, int]:
        """Value → count as shown."""
        return {self.item(r, 0).data(VALUE_ROLE): self.item(r, 1).data(COUNT_ROLE)
                for r in range(self.rowCount())}
