"""The reader's "Related" panel: what other governments said about the same things, by country.

Loaded off the GUI thread (the entity index is brought up to date first, in the same worker);
one click on an entry opens it side by side with the statement being read.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer import formatting
from viewer.jobs import Coalescer
from viewer.plaintext import one_line, plain_tooltip
from viewer.tasks import report_error

ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_CHARS = 300  # of a related title shown (page-derived: any length)


def country_name(code: str | None) -> str:
    """`Russia` for RU; international bodies (no country) are grouped as such."""
    if not code:
        return "International"
    try:
        from babel import Locale

        return Locale.parse("en").territories.get(code.upper(), code)
    except Exception:  # babel missing or unknown code: the code itself is a fine label
        return code


VIEWER_INDEX_BATCH = 5_000  # versions the panel indexes per look; import/scrape index the rest


def load_related(path: Path, archive_id: str, days: int) -> tuple[list, list, int]:
    """Worker side: index what is pending (own writable connection), then query read-only.
    Returns (related statements, [(id, title, language)] of the linked language editions,
    versions still waiting for the entity index)."""
    from compare import related as rel
    from compare.editions import linked_editions
    from db import Archive

    with Archive.open(path, readonly=True) as archive:
        pending = rel.pending_count(archive.conn)
        db_file = archive.db_file
    if pending:  # entity tables only, never the search index (another thread serves that)
        rel.index_pending_at(db_file, limit=VIEWER_INDEX_BATCH)
    with Archive.open(path, readonly=True) as archive:
        items = rel.related(archive.conn, archive_id, days=days, limit=30)
        waiting = rel.pending_count(archive.conn)
        editions = []
        for other in linked_editions(archive, archive_id):
            st = archive.get_statement(other, with_versions=False)
            if st is not None:
                editions.append((st.archive_id, st.title or "(untitled)", st.language or "?"))
    return items, editions, waiting


class RelatedPanel(QGroupBox):
    """Related statements grouped by country; click one to compare it with the one being read."""

    compare_requested = Signal(list)  # [the statement being read, the related one]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Related", parent)
        self.archive_path: Path | None = None
        self.archive_id = ""
        self.items: list = []
        self._jobs = Coalescer()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setAccessibleName("Related statements of other sources")
        self.tree.setUniformRowHeights(False)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.days = QSpinBox()
        self.days.setRange(0, 365)
        self.days.setValue(7)
        self.days.setPrefix("± ")
        self.days.setSuffix(" days")
        self.days.setToolTip("Date window around the statement being read")
        self.days.valueChanged.connect(lambda _v: self.reload())
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.days)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.clear()

    def clear(self) -> None:
        self.archive_id = ""
        self.items = []
        self.tree.clear()
        self.status.setText("")
        self._jobs.cancel()

    def load(self, archive_path: Path | None, archive_id: str) -> None:
        """Find what is related to `archive_id` in the background."""
        self.archive_path = archive_path
        self.archive_id = archive_id
        self.reload()

    def reload(self) -> None:
        if self.archive_path is None or not self.archive_id:
            return
        self.tree.clear()
        self.status.setText("Finding related statements…")
        path, archive_id, days = self.archive_path, self.archive_id, self.days.value()
        self._jobs.submit(
            lambda: load_related(path, archive_id, days),
            self._show,
            self._failed,
        )

    def _failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self.status):  # the panel may be gone when the answer comes
            why = report_error(exc, "finding related statements")
            self.status.setText(f"Related statements could not be loaded: {why}")

    def _show(self, found: tuple) -> None:
        if shiboken6.isValid(self.tree):
            self.show_items(*found)

    def show_items(self, items: list, editions: list | None = None, waiting: int = 0) -> None:
        """Group `items` (compare.related.Related) by country, other governments first; the
        statement's own language editions (linked by its source) come on top."""
        self.items = list(items)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        if editions:
            group = self._group("Language editions (side by side, paragraphs aligned)")
            for other, title, language in editions:
                row = QTreeWidgetItem([f"{one_line(title, TITLE_CHARS)}\n{language}"])
                row.setData(0, ID_ROLE, other)
                row.setToolTip(0, "Click to read both editions side by side")
                group.addChild(row)
        for item in items:
            name = country_name(item.country)
            group = groups.get(name)
            if group is None:
                group = groups[name] = self._group(name)
            title = one_line(item.title, TITLE_CHARS) or "(untitled)"
            when = formatting.short_date(item.published)
            row = QTreeWidgetItem([f"{title}\n{item.source_name} · {when} · {item.reasons[0]}"])
            row.setData(0, ID_ROLE, item.archive_id)
            row.setToolTip(  # page-derived: shown literally, never as rich text Qt guesses
                0, plain_tooltip("\n".join([title, *item.reasons, "Click to compare side by side"]))
            )
            group.addChild(row)
        self.tree.expandAll()
        count = len(items)
        text = (
            f"{count} related statement{'s' if count != 1 else ''} of other sources"
            if count
            else "Nothing related found in this window."
        )
        if waiting:
            text += f" ({waiting:,} statements not indexed yet: more come as you read)"
        self.status.setText(text)

    def _group(self, name: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem([name])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        self.tree.addTopLevelItem(group)
        return group

    def _clicked(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        other = row.data(0, ID_ROLE)
        if other and self.archive_id:
            self.compare_requested.emit([self.archive_id, other])
