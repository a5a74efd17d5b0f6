"""Filter values with their counts for the current search: one checkable list per facet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from viewer.plaintext import one_line, plain_tooltip

FACET_CHARS = 200  # of a filter value shown (a speaker name from a page may be any length)

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


def set_check(item: QStandardItem, state: Qt.CheckState) -> None:
    """Set a check state stored as `Qt.CheckState` (PySide's setCheckState stores a bare int)."""
    if item.checkState() != state or not isinstance(
        item.data(Qt.ItemDataRole.CheckStateRole), Qt.CheckState
    ):
        item.setData(state, Qt.ItemDataRole.CheckStateRole)


def checkable_item(text: str, value: str | None) -> QStandardItem:
    """A read-only, checkable, unchecked item carrying `value`."""
    item = QStandardItem(one_line(text, FACET_CHARS))  # a speaker may be megabytes long
    item.setEditable(False)
    item.setCheckable(True)
    item.setData(value, VALUE_ROLE)
    item.setData(Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    return item


class FacetModel(QStandardItemModel):
    """Values of one facet (kind, language, speaker, year): checkable, with counts.

    Counts are updated in place so that check states, scroll position and selection survive a
    new search; checked values stay listed even when the current search has none of them.
    """

    def __init__(
        self,
        name: str,
        label: Callable[[str], str] | None = None,
        by_count: bool = True,
        descending_values: bool = False,
        parent=None,
    ) -> None:
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
        if rows:
            self.blockSignals(True)  # one dataChanged for all counts, not one per value
            try:
                for value, row in rows.items():
                    set_count(self.item(row, 1), counts.get(value, 0))
            finally:
                self.blockSignals(False)
            self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, 1))
        new = [value for value in counts if value not in rows]
        for value in new:
            name = checkable_item(self._label(value), value)
            name.setToolTip(plain_tooltip(value))
            self.appendRow([name, count_item(counts[value])])
        self._order()

    def _order(self) -> None:
        if self._by_count:
            self.setSortRole(COUNT_ROLE)
            self.sort(1, Qt.SortOrder.DescendingOrder)
        else:
            order = (
                Qt.SortOrder.DescendingOrder
                if self._descending_values
                else Qt.SortOrder.AscendingOrder
            )
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
            self.appendRow([checkable_item(self._label(value), value), count_item(0)])
        for r in range(self.rowCount()):
            item = self.item(r, 0)
            state = (
                Qt.CheckState.Checked
                if item.data(VALUE_ROLE) in wanted
                else Qt.CheckState.Unchecked
            )
            set_check(item, state)

    def counts(self) -> dict[str, int]:
        """Value → count as shown."""
        return {
            self.item(r, 0).data(VALUE_ROLE): self.item(r, 1).data(COUNT_ROLE)
            for r in range(self.rowCount())
        }
