"""The versions of one statement, with dates; pick one to read it, two to compare them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.models import Statement
from viewer import formatting

SEQ_ROLE = Qt.ItemDataRole.UserRole + 1


class VersionsList(QGroupBox):
    """List of versions; single selection shows that version, two selected can be compared."""

    version_chosen = Signal(int)
    compare_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Versions", parent)
        self.archive_id = ""
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName("Versions of this statement")
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.itemActivated.connect(lambda _item: self.compare_selected())
        self.compare_button = QPushButton("Compare selected  (Ctrl+D)")
        self.compare_button.setToolTip(
            "Select two versions (Ctrl+click) and compare them side by side"
        )
        self.compare_button.clicked.connect(self.compare_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.list)
        layout.addWidget(self.compare_button)
        self.clear_versions()

    def clear_versions(self) -> None:
        """Show no versions."""
        self.archive_id = ""
        self.list.clear()
        self.compare_button.setEnabled(False)
        self.setTitle("Versions")

    def set_statement(self, statement: Statement) -> None:
        """List the versions of `statement`, newest last (as they happened)."""
        self.list.blockSignals(True)
        self.list.clear()
        self.archive_id = statement.archive_id
        previous = None
        for version in statement.versions:
            item = QListWidgetItem(formatting.version_label(version, previous))
            item.setData(SEQ_ROLE, version.seq)
            self.list.addItem(item)
            previous = version
        self.list.blockSignals(False)
        count = len(statement.versions)
        self.setTitle(
            f"Versions ({count})" + ("  ·  edited after publication" if count > 1 else "")
        )
        self._selection_changed()

    def mark_current(self, seq: int) -> None:
        """Show the version being read in bold."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            font = QFont(item.font())
            font.setBold(item.data(SEQ_ROLE) == seq)
            item.setFont(font)

    def selected_seqs(self) -> list[int]:
        """Sequence numbers of the selected versions, oldest first."""
        return sorted(item.data(SEQ_ROLE) for item in self.list.selectedItems())

    def refs(self) -> list[str]:
        """`ID@N` refs to compare: the two selected, one and its predecessor, or the last two."""
        all_seqs = [self.list.item(r).data(SEQ_ROLE) for r in range(self.list.count())]
        if len(all_seqs) < 2:
            return []
        chosen = self.selected_seqs()
        if len(chosen) >= 2:
            pair = [chosen[0], chosen[-1]]
        elif len(chosen) == 1:
            i = all_seqs.index(chosen[0])
            pair = all_seqs[i - 1 : i + 1] if i > 0 else all_seqs[0:2]
        else:
            pair = all_seqs[-2:]
        return [f"{self.archive_id}@{seq}" for seq in pair]

    def compare_selected(self) -> None:
        """Ask for the comparison of the chosen versions."""
        refs = self.refs()
        if refs:
            self.compare_requested.emit(refs)

    def _selection_changed(self) -> None:
        seqs = self.selected_seqs()
        self.compare_button.setEnabled(self.list.count() >= 2)
        if len(seqs) == 1:
            self.version_chosen.emit(seqs[0])
