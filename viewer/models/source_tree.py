"""Sources as a tree (country → institution → source) with counts for the current search."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from db import Source
from viewer.models.facets import (
    COUNT_ROLE,
    VALUE_ROLE,
    checkable_item,
    count_item,
    set_check,
    set_count,
)
from viewer.plaintext import plain_tooltip

KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "country" | "institution" | "source"
INTERNATIONAL = "International"


def country_name(code: str | None) -> str:
    """'United States' for 'US'; 'International' for bodies without a country."""
    if not code:
        return INTERNATIONAL
    territory = QLocale.codeToTerritory(code)
    if territory == QLocale.Country.AnyCountry:
        return code
    return QLocale.territoryToString(territory)


class SourceTreeModel(QStandardItemModel):
    """Checkable tree of sources; ticking a country or institution ticks its sources."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels(["Source", "Count"])
        self._leaves: dict[str, tuple[QStandardItem, QStandardItem]] = {}
        self._source_ids: tuple[str, ...] = ()
        self._cascading = False
        self.itemChanged.connect(self._cascade)

    def set_sources(self, sources: list[Source]) -> None:
        """Build the tree (only when the set of sources changed; ticks are kept)."""
        ids = tuple(sorted(s.id for s in sources))
        if ids == self._source_ids:
            return
        checked = set(self.checked())
        self.removeRows(0, self.rowCount())  # not clear(): views keep their column settings
        self._leaves.clear()
        self._source_ids = ids
        tree: dict[str, dict[str, list[Source]]] = {}
        for source in sources:
            country = country_name(source.country)
            tree.setdefault(country, {}).setdefault(source.institution or source.name, []).append(
                source
            )
        for country in sorted(tree, key=lambda c: (c == INTERNATIONAL, c)):
            country_item = self._node(country, "country")
            country_count = count_item(0)
            for institution in sorted(tree[country]):
                members = sorted(tree[country][institution], key=lambda s: s.name)
                if len(members) == 1 and members[0].name == institution:
                    parent, parent_count = country_item, None
                else:
                    parent = self._node(institution, "institution")
                    parent_count = count_item(0)
                    country_item.appendRow([parent, parent_count])
                for source in members:
                    leaf = self._node(source.name, "source", source.id)
                    leaf.setToolTip(plain_tooltip(f"{source.name} ({source.id})"))
                    leaf_count = count_item(0)
                    parent.appendRow([leaf, leaf_count])
                    self._leaves[source.id] = (leaf, leaf_count)
            self.appendRow([country_item, country_count])
        self.set_checked(sorted(checked))

    def _node(self, text: str, kind: str, value: str | None = None) -> QStandardItem:
        item = checkable_item(text, value)
        item.setData(kind, KIND_ROLE)
        return item

    def _cascade(self, item: QStandardItem) -> None:
        """Ticking a group ticks its sources; a group shows whether all, some or none are."""
        if self._cascading or item.column() != 0 or not item.isCheckable():
            return
        self._cascading = True
        try:
            state = item.checkState()
            if item.data(KIND_ROLE) != "source" and state != Qt.CheckState.PartiallyChecked:
                self._set_below(item, state)
            parent = item.parent()
            while parent is not None:
                states = {parent.child(r, 0).checkState() for r in range(parent.rowCount())}
                set_check(
                    parent, states.pop() if len(states) == 1 else Qt.CheckState.PartiallyChecked
                )
                parent = parent.parent()
        finally:
            self._cascading = False

    def _set_below(self, item: QStandardItem, state: Qt.CheckState) -> None:
        for r in range(item.rowCount()):
            child = item.child(r, 0)
            set_check(child, state)
            self._set_below(child, state)

    def set_counts(self, counts: dict[str, int]) -> None:
        """Counts per source id; countries and institutions show their sums."""
        self.blockSignals(True)  # one repaint for all counts
        try:
            for source_id, (_leaf, count) in self._leaves.items():
                set_count(count, counts.get(source_id, 0))
            for row in range(self.rowCount()):
                self._sum(self.item(row, 0), self.item(row, 1))
        finally:
            self.blockSignals(False)
        self._announce_counts(self.invisibleRootItem())

    def _announce_counts(self, parent: QStandardItem) -> None:
        rows = parent.rowCount()
        if rows:
            parent_index = parent.index()
            self.dataChanged.emit(
                self.index(0, 1, parent_index), self.index(rows - 1, 1, parent_index)
            )
            for r in range(rows):
                self._announce_counts(parent.child(r, 0))

    def _sum(self, item: QStandardItem, count: QStandardItem | None) -> int:
        if item.data(KIND_ROLE) == "source":
            return int(self._leaves[item.data(VALUE_ROLE)][1].data(COUNT_ROLE) or 0)
        total = sum(self._sum(item.child(r, 0), item.child(r, 1)) for r in range(item.rowCount()))
        if count is not None:
            set_count(count, total)
        return total

    def checked(self) -> list[str]:
        """Ids of ticked sources."""
        return sorted(
            sid
            for sid, (leaf, _c) in self._leaves.items()
            if leaf.checkState() == Qt.CheckState.Checked
        )

    def set_checked(self, source_ids: list[str]) -> None:
        """Tick exactly `source_ids`."""
        wanted = set(source_ids)
        for source_id, (leaf, _count) in self._leaves.items():
            set_check(
                leaf, Qt.CheckState.Checked if source_id in wanted else Qt.CheckState.Unchecked
            )

    def counts(self) -> dict[str, int]:
        """Source id → count as shown."""
        return {sid: int(count.data(COUNT_ROLE) or 0) for sid, (_l, count) in self._leaves.items()}
