"""The research layer's widgets: tags and collections in the reader, notes beside the text, the
notes browser and the saved searches list (page-derived and researchers' text shown as plain text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db import library
from viewer.plaintext import capped, plain_tooltip

if TYPE_CHECKING:
    pass

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
SAVED_ROLE = Qt.ItemDataRole.UserRole + 2
NOTE_MARK = "#d8f0d0"  # annotated passages: a pale green, distinct from search highlights


# ------------------------------------------------------------------ reader widgets
class LibraryBar(QWidget):
    """Under the reader's title: the statement's tags and collections, editable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tags = QLabel()
        self.tags.setTextFormat(Qt.TextFormat.PlainText)
        self.tags.setWordWrap(True)
        self.tags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tag_edit = QLineEdit()
        self.tag_edit.setPlaceholderText("Add tag…")
        self.tag_edit.setMaximumWidth(160)
        self.tag_edit.setToolTip("Type a tag and press Enter")
        self.remove_button = QToolButton()
        self.remove_button.setText("Remove tag")
        self.remove_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.remove_button.setMenu(QMenu(self.remove_button))
        self.collections_button = QToolButton()
        self.collections_button.setText("Collections")
        self.collections_button.setToolTip("Add this statement to a collection, or take it out")
        self.collections_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.collections_button.setMenu(QMenu(self.collections_button))
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 0, 24, 4)
        row.addWidget(self.tags, 1)
        row.addWidget(self.tag_edit)
        row.addWidget(self.remove_button)
        row.addWidget(self.collections_button)

    def show_library(self, tags: list[str], collections: list[str]) -> None:
        parts = []
        parts.append("Tags: " + (", ".join(tags) if tags else "none"))
        if collections:
            parts.append("In: " + ", ".join(collections))
        self.tags.setText(capped("   ·   ".join(parts)))
        self.remove_button.setEnabled(bool(tags))


class NotesPanel(QWidget):
    """Notes beside the text: the passage each one is anchored to, then the note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Notes")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Notes on this statement")
        self.add_button = QPushButton("Add note…")
        self.add_button.setToolTip(
            "A note on the statement, or on the passage selected in the text"
        )
        self.delete_button = QPushButton("Delete")
        self.delete_button.setEnabled(False)
        self.list.currentItemChanged.connect(
            lambda item, _prev: self.delete_button.setEnabled(item is not None)
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_notes(
        self, notes: list[library.Note], found: dict[str, tuple[int, int] | None], seq: int
    ) -> None:
        """List `notes`; `found` says where each passage is in version `seq` (None: not there)."""
        self.list.clear()
        for note in notes:
            lines = []
            if note.quote is not None:
                quote = " ".join(note.quote.split())
                if len(quote) > 160:
                    quote = quote[:159] + "…"
                lines.append(f"“{quote}”")
                if found.get(note.id) is None:
                    lines.append(f"(this passage is not in version {seq})")
            lines.append(capped(note.body))
            item = QListWidgetItem("\n".join(lines))
            item.setData(NOTE_ROLE, note)
            item.setToolTip(plain_tooltip(f"{note.created_at} · note {note.id}"))
            self.list.addItem(item)


class NotesBrowser(QDialog):
    """Every note of the archive, searched as you type (note text and quoted passage)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Notes")
        self.resize(640, 480)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search notes and their passages…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("All notes")
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)

    def show_notes(self, notes: list[library.Note]) -> None:
        self.list.clear()
        for note in notes:
            where = f"{note.archive_id}@{note.version}" if note.version else note.archive_id
            lines = [f"{where} · {note.created_at[:10]}"]
            if note.quote:
                lines.append("“" + " ".join(note.quote.split())[:200] + "”")
            lines.append(capped(note.body))
            item = QListWidgetItem("\n".join(lines))
            item.setData(NOTE_ROLE, note)
            self.list.addItem(item)
        self.count.setText(f"{len(notes)} note{'s' if len(notes) != 1 else ''}")


class SavedSearchesBox(QWidget):
    """Saved searches with the number of statements first seen since each was last opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Saved searches")
        self.save_button = QPushButton("Save search…")
        self.save_button.setToolTip("Save the search text and filters under a name")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Saved searches")
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.save_button)

    def show_saved(self, saved: list[library.SavedSearch]) -> None:
        self.list.clear()
        for s in saved:
            text = s.name + (f"  ·  {s.new} new" if s.new else "")
            item = QListWidgetItem(text)
            item.setData(SAVED_ROLE, s.name)
            item.setToolTip(
                plain_tooltip(f"{s.query.text or '(everything)'}\nlast opened {s.last_opened_at}")
            )
            if s.new:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)


def _menu_text(name: str) -> str:
    """A researcher's name as a menu entry: '&' shown as is, never taken as a shortcut mark."""
    return name.replace("&", "&&")
