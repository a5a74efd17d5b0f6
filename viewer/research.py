"""The research layer of the main window: tags, collections, notes, saved searches, the Cite
menu and undo. The logic lives in db/library.py and db/cite.py (Qt-free); this module only
shows it, and runs every write on one background thread, in order, through a QUndoStack.

It attaches to the window from outside (the reader, the filter panel and the menus get new
widgets and actions), so those files only gain a line or two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db import Archive, SearchQuery, Statement, cite, library
from db.export import matching_statements
from db.search import library_facets
from viewer.jobs import Coalescer, Interrupt
from viewer.models.facets import VALUE_ROLE, FacetModel
from viewer.models.statement_table import ARCHIVE_ID_ROLE, HIT_ROLE, TAGS
from viewer.plaintext import capped, plain_tooltip
from viewer.tasks import LatestOnly, run_task
from viewer.widgets.filter_panel import _view

if TYPE_CHECKING:
    from viewer.mainwindow import MainWindow

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
SAVED_ROLE = Qt.ItemDataRole.UserRole + 2
NOTE_MARK = "#d8f0d0"  # annotated passages: a pale green, distinct from search highlights


# ------------------------------------------------------------------ writes and undo
class LibraryWriter(QObject):
    """Runs library changes one after another on a thread of their own (never the GUI's)."""

    changed = Signal(str)  # archive id ("" when several)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # in order: an undo never overtakes what it undoes
        self.stack = QUndoStack(self)

    def run(
        self,
        fn: Callable[[Archive], Any],
        archive_id: str = "",
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        path = self.path
        if path is None:
            return

        def work() -> Any:
            with Archive.open(path) as archive:
                return fn(archive)

        def done(result: Any) -> None:
            if not shiboken6.isValid(self):
                return  # the window closed while the change was written
            if on_done is not None:
                on_done(result)
            self.changed.emit(archive_id)

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self.failed.emit(str(exc))

        run_task(work, done, failed, pool=self.pool)

    def push(
        self,
        text: str,
        do: Callable[[Archive], Any],
        undo: Callable[[Archive], Any],
        archive_id: str = "",
    ) -> None:
        """Do a change now and make it undoable (Edit › Undo)."""
        self.stack.push(_Command(self, text, do, undo, archive_id))


class _Command(QUndoCommand):
    def __init__(self, writer: LibraryWriter, text: str, do, undo, archive_id: str) -> None:
        super().__init__(text)
        self.writer, self._do, self._undo, self.archive_id = writer, do, undo, archive_id

    def redo(self) -> None:
        self.writer.run(self._do, self.archive_id)

    def undo(self) -> None:
        self.writer.run(self._undo, self.archive_id)


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


# ------------------------------------------------------------------ the controller
class Research(QObject):
    """Wires the research layer into a MainWindow."""

    loaded = Signal()  # the reader's library data (tags, collections, notes) is on screen
    saved_loaded = Signal()
    notes_found = Signal()  # the notes browser shows the result of its search

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.writer = LibraryWriter(self)
        self.statement: Statement | None = None
        self.loaded_id = ""  # the statement whose tags, collections and notes are on screen
        self.tags: list[str] = []
        self.collections: list[str] = []
        self.notes: list[library.Note] = []
        self.anchors: dict[tuple[str, int], tuple[int, int] | None] = {}
        self.all_collections: list[str] = []
        self._load = LatestOnly()
        self._facets = Coalescer()
        self._saved = LatestOnly()
        self._notes_search = LatestOnly()
        self.browser: NotesBrowser | None = None

        # Reader: tags and collections under the title, notes beside the text.
        reader = window.reader
        self.bar = LibraryBar()
        reader.layout().insertWidget(1, self.bar)
        self.notes_panel = NotesPanel()
        self.text_splitter = QSplitter(Qt.Orientation.Horizontal)
        reader.splitter.replaceWidget(0, self.text_splitter)
        self.text_splitter.addWidget(reader.text)
        self.text_splitter.addWidget(self.notes_panel)
        self.text_splitter.setStretchFactor(0, 4)
        self.text_splitter.setStretchFactor(1, 1)
        self.text_splitter.setChildrenCollapsible(True)
        self.bar.tag_edit.returnPressed.connect(self._tag_typed)
        self.notes_panel.add_button.clicked.connect(self.ask_note)
        self.notes_panel.delete_button.clicked.connect(self.delete_current_note)
        self.notes_panel.list.itemActivated.connect(self._note_activated)
        reader.versions.version_chosen.connect(lambda _seq: self._show_notes())

        # Filter panel: tags and collections (facets with counts), saved searches.
        filters = window.filters
        self.tag_facet = FacetModel("tag", parent=self)
        self.collection_facet = FacetModel("collection", parent=self)
        self.tag_view = _view(self.tag_facet, "Tags")
        self.collection_view = _view(self.collection_facet, "Collections")
        self.tag_view.setRootIsDecorated(False)
        self.collection_view.setRootIsDecorated(False)
        self.saved_box = SavedSearchesBox()
        for widget in (self.collection_view, self.tag_view, self.saved_box):
            filters.splitter.addWidget(widget)
        self.tag_facet.itemChanged.connect(lambda *_: self._filters_changed())
        self.collection_facet.itemChanged.connect(lambda *_: self._filters_changed())
        self._last_choice = ([], [])
        filters.clear_button.clicked.connect(self.clear_filters)
        window.actions.clear_filters.triggered.connect(self.clear_filters)
        self.saved_box.save_button.clicked.connect(self.ask_save_search)
        self.saved_box.list.itemActivated.connect(
            lambda item: self.open_saved(item.data(SAVED_ROLE))
        )

        # Right-click a collection or a saved search to delete it (undoable).
        self.collection_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.collection_view.customContextMenuRequested.connect(self._collection_menu)
        self.saved_box.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.saved_box.list.customContextMenuRequested.connect(self._saved_menu)

        # List: a narrow Tags column (the title keeps the room; a saved layout overrides), and
        # a context menu to tag and collect the selected statements.
        window.list.header().resizeSection(TAGS, window.list.fontMetrics().averageCharWidth() * 12)
        window.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        window.list.customContextMenuRequested.connect(self._list_menu)

        # Menus: Edit › Undo/Redo; Cite.
        self._build_menus()

        window.archive_opened.connect(self._archive_opened)
        window.statement_shown.connect(self._statement_shown)
        window.facets_shown.connect(lambda _facets: self._counts_due())
        self.writer.changed.connect(self._changed)
        self.writer.failed.connect(lambda msg: window.statusBar().showMessage(msg, 8000))

    # ---------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        edit = next(a.menu() for a in bar.actions() if a.text() == "&Edit")
        self.undo_action = self.writer.stack.createUndoAction(w, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.writer.stack.createRedoAction(w, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        first = edit.actions()[0] if edit.actions() else None
        edit.insertAction(first, self.undo_action)
        edit.insertAction(first, self.redo_action)
        edit.insertSeparator(first)

        self.cite_menu = QMenu("&Cite", w)
        self.cite_actions: dict[str, QAction] = {}
        self.cite_menu.addAction(w.actions.copy_citation)  # Ctrl+Shift+C: the text citation
        for fmt, label in (
            ("csl-json", "Copy as &CSL-JSON"),
            ("bibtex", "Copy as &BibTeX"),
            ("ris", "Copy as &RIS (Zotero, EndNote)"),
        ):
            action = QAction(label, w)
            action.triggered.connect(lambda _c=False, f=fmt: self.copy_citation(f))
            self.cite_menu.addAction(action)
            self.cite_actions[fmt] = action
        self.cite_menu.addSeparator()
        selected = self.cite_menu.addMenu("Copy citations of the &selected statements")
        for fmt in cite.FORMATS:
            selected.addAction(fmt, lambda f=fmt: self.copy_selected(f))
        self.cite_menu.addAction("&Export citations of the list…", self.ask_export_citations)
        self.cite_menu.addSeparator()
        self.quote_action = QAction("Copy &quote with citation", w)
        self.quote_action.setShortcut(QKeySequence("Ctrl+Alt+C"))
        self.quote_action.setStatusTip("Copy the passage selected in the text, then its citation")
        self.quote_action.triggered.connect(lambda _c=False: self.copy_quote())
        w.addAction(self.quote_action)
        self.cite_menu.addAction(self.quote_action)
        view = next((a for a in bar.actions() if a.text() == "&View"), None)
        bar.insertMenu(view, self.cite_menu)

        statement = next((a.menu() for a in bar.actions() if a.text() == "&Statement"), None)
        self.note_action = QAction("Add &note…", w)
        self.note_action.setShortcut(QKeySequence("Ctrl+Alt+N"))
        self.note_action.setStatusTip("A note on the statement, or on the selected passage")
        self.note_action.triggered.connect(lambda _c=False: self.ask_note())
        self.tag_action = QAction("Add &tag…", w)
        self.tag_action.setShortcut(QKeySequence("Ctrl+T"))
        self.tag_action.setStatusTip("Type a tag for the statement being read")
        self.tag_action.triggered.connect(lambda _c=False: self._focus_tag_edit())
        self.notes_browser_action = QAction("Search &notes…", w)
        self.notes_browser_action.setShortcut(QKeySequence("Ctrl+Alt+F"))
        self.notes_browser_action.setStatusTip("Every note of the archive, searched as you type")
        self.notes_browser_action.triggered.connect(lambda _c=False: self.show_notes_browser())
        for action in (self.note_action, self.tag_action, self.notes_browser_action):
            w.addAction(action)
            if statement is not None:
                statement.addAction(action)

    # ---------------------------------------------------------------- archive and reader
    def _archive_opened(self, folder: Path) -> None:
        self.writer.path = Path(folder)
        self.writer.stack.clear()
        self.statement = None
        if self.browser is not None:
            self.search_notes()
        self.load_saved()

    def _statement_shown(self, statement: Statement) -> None:
        self.statement = statement
        self.reload_statement()

    def reload_statement(self) -> None:
        st, access = self.statement, self.window.reader_access
        if st is None or access is None:
            return
        aid = st.archive_id

        def load(archive: Archive):
            notes = library.notes_of(archive, aid)
            # Where each passage is in each version, found here (off the GUI thread): a
            # version that respaced a passage needs a character-by-character search.
            anchors = {
                (note.id, v.seq): library.anchor(note, v.text, v.seq)
                for note in notes
                if note.quote is not None
                for v in st.versions
            }
            return (
                library.tags_of(archive, aid),
                library.collections_of(archive, aid),
                notes,
                [c["name"] for c in library.list_collections(archive)],
                anchors,
            )

        self._load.submit(access.task(load), lambda result: self._library_loaded(aid, result))

    def _alive(self) -> bool:
        """False once the window is gone: a late answer from a worker must touch nothing."""
        return shiboken6.isValid(self.window) and shiboken6.isValid(self.bar)

    def _library_loaded(self, aid: str, result) -> None:
        if not self._alive():
            return
        if self.statement is None or self.statement.archive_id != aid:
            return
        self.tags, self.collections, self.notes, self.all_collections, self.anchors = result
        self.loaded_id = aid
        self.bar.show_library(self.tags, self.collections)
        self._fill_menus()
        self._show_notes()
        self.loaded.emit()

    def _show_notes(self) -> None:
        version = self.window.reader.version
        if version is None:
            self.notes_panel.list.clear()
            return
        seq = version.seq
        found = {n.id: self.anchors.get((n.id, seq)) for n in self.notes if n.quote is not None}
        self.notes_panel.show_notes(self.notes, found, seq)
        self._mark_passages(found)

    def _mark_passages(self, found: dict[str, tuple[int, int] | None]) -> None:
        """Underlay the annotated passages present in the version on screen."""
        view: QTextEdit = self.window.reader.text
        marks = []
        for note in self.notes:
            if note.quote is None or found.get(note.id) is None:
                continue
            for line in (p.strip() for p in note.quote.split("\n")):
                cursor = view.document().find(line) if line else None
                if cursor is None or cursor.isNull():
                    continue
                mark = QTextEdit.ExtraSelection()
                mark.cursor = cursor
                mark.format.setBackground(QColor(NOTE_MARK))
                mark.format.setToolTip(plain_tooltip(note.body))  # never markup that loads
                marks.append(mark)
        view.setExtraSelections(marks)

    def marked_passages(self) -> list[str]:
        """The texts underlaid as annotated (for tests)."""
        return [m.cursor.selectedText() for m in self.window.reader.text.extraSelections()]

    def _fill_menus(self) -> None:
        menu = self.bar.remove_button.menu()
        menu.clear()
        for tag in self.tags:
            menu.addAction(_menu_text(tag), lambda t=tag: self.remove_tag(self._aid(), t))
        menu = self.bar.collections_button.menu()
        menu.clear()
        for name in self.all_collections:
            action = menu.addAction(_menu_text(name))
            action.setCheckable(True)
            action.setChecked(name in self.collections)
            action.toggled.connect(lambda on, n=name: self._toggle_collection(n, on))
        menu.addSeparator()
        menu.addAction("New collection…", self.ask_collection)

    def _aid(self) -> str:
        return self.statement.archive_id if self.statement else ""

    def _changed(self, archive_id: str) -> None:
        if not self._alive():
            return
        if self.statement is not None and archive_id in ("", self.statement.archive_id):
            self.reload_statement()
        # The list (its Tags column, or membership under an active filter) and the counts; the
        # statement being read and the scroll position stay where they are.
        self.window.refresh()
        self.load_saved()

    # ---------------------------------------------------------------- tags
    def _focus_tag_edit(self) -> None:
        if self.statement is not None:
            self.bar.tag_edit.setFocus()

    def _tag_typed(self) -> None:
        tag = self.bar.tag_edit.text().strip()
        if tag and self.statement is not None:
            self.add_tags([self._aid()], tag)
        self.bar.tag_edit.clear()

    def add_tags(self, ids: list[str], tag: str) -> None:
        """Tag statements (undoable)."""
        done: dict[str, list[str]] = {}

        def do(archive: Archive) -> None:
            for aid in ids:
                done[aid] = library.add_tags(archive, aid, [tag])

        def undo(archive: Archive) -> None:
            for aid, added in done.items():
                library.remove_tags(archive, aid, added)

        self.writer.push(f"Add tag “{tag}”", do, undo, ids[0] if len(ids) == 1 else "")

    def remove_tag(self, aid: str, tag: str) -> None:
        """Untag a statement (undoable)."""
        self.writer.push(
            f"Remove tag “{tag}”",
            lambda a: library.remove_tags(a, aid, [tag]),
            lambda a: library.add_tags(a, aid, [tag]),
            aid,
        )

    # ---------------------------------------------------------------- collections
    def _toggle_collection(self, name: str, on: bool) -> None:
        if self.statement is None or on == (name in self.collections):
            return
        if on:
            self.add_to_collection(name, [self._aid()])
        else:
            self.remove_from_collection(name, [self._aid()])

    def add_to_collection(self, name: str, ids: list[str]) -> None:
        added: list[str] = []

        def do(archive: Archive) -> None:
            added[:] = library.add_to_collection(archive, name, ids)

        def undo(archive: Archive) -> None:
            if added:
                library.remove_from_collection(archive, name, added)

        self.writer.push(f"Add to “{name}”", do, undo, ids[0] if len(ids) == 1 else "")

    def remove_from_collection(self, name: str, ids: list[str]) -> None:
        """Take statements out of a collection (undoable: they come back with their date)."""
        removed: list[tuple[str, str]] = []

        def do(archive: Archive) -> None:
            removed[:] = library.remove_from_collection(archive, name, ids)

        def undo(archive: Archive) -> None:
            for aid, added_at in removed:
                library.add_to_collection(archive, name, [aid], added_at=added_at)

        self.writer.push(f"Remove from “{name}”", do, undo, ids[0] if len(ids) == 1 else "")

    def ask_collection(self, ids: list[str] | None = None) -> None:
        ids = ids or ([self._aid()] if self.statement else [])
        if not ids:
            return
        name, ok = QInputDialog.getText(self.window, "Add to collection", "Collection name:")
        if ok and name.strip():
            self.add_to_collection(name.strip(), ids)

    # ---------------------------------------------------------------- notes
    def selected_passage(self) -> str:
        """The passage selected in the reader (paragraph breaks as newlines)."""
        cursor = self.window.reader.text.textCursor()
        return cursor.selectedText().replace("\u2029", "\n").strip()

    def add_note(self, body: str, quote: str | None = None) -> None:
        """A note on the statement, or on `quote` in the version on screen (undoable)."""
        if self.statement is None or not body.strip():
            return
        version = self.window.reader.version
        ref = f"{self._aid()}@{version.seq}" if version and quote else self._aid()
        made: list[library.Note] = []

        def do(archive: Archive) -> None:
            if made:
                library.restore_note(archive, made[0])
            else:
                made.append(library.add_note(archive, ref, body, quote=quote))

        def undo(archive: Archive) -> None:
            if made:
                library.delete_note(archive, made[0].id)

        self.writer.push("Add note", do, undo, self._aid())

    def ask_note(self) -> None:
        if self.statement is None:
            return
        quote = self.selected_passage() or None
        prompt = "Note on the selected passage:" if quote else "Note on this statement:"
        body, ok = QInputDialog.getMultiLineText(self.window, "Add note", prompt)
        if ok:
            self.add_note(body, quote)

    def delete_note(self, note: library.Note) -> None:
        """Delete a note (undoable: it comes back with the same id and times)."""
        self.writer.push(
            "Delete note",
            lambda a: library.delete_note(a, note.id),
            lambda a: library.restore_note(a, note),
            note.archive_id,
        )

    def delete_current_note(self) -> None:
        item = self.notes_panel.list.currentItem()
        if item is not None:
            self.delete_note(item.data(NOTE_ROLE))

    def _note_activated(self, item: QListWidgetItem) -> None:
        """Select the note's passage in the text."""
        note: library.Note = item.data(NOTE_ROLE)
        if note.quote:
            text: QTextEdit = self.window.reader.text
            first_line = next((line for line in note.quote.split("\n") if line.strip()), "")
            cursor = text.document().find(first_line.strip())
            if not cursor.isNull():
                text.setTextCursor(cursor)
                text.ensureCursorVisible()

    def show_notes_browser(self) -> NotesBrowser:
        """Open (or raise) the notes browser; double-click a note to read its statement."""
        if self.browser is None:
            self.browser = NotesBrowser(self.window)
            self.browser.search.textChanged.connect(lambda _t: self.search_notes())
            self.browser.list.itemActivated.connect(self._browser_activated)
        self.browser.show()
        if QGuiApplication.platformName() != "offscreen":
            self.browser.raise_()
        self.search_notes()
        return self.browser

    def search_notes(self) -> None:
        access, browser = self.window.reader_access, self.browser
        if access is None or browser is None:
            return
        words = browser.search.text()

        def shown(notes: list[library.Note]) -> None:
            if self._alive() and shiboken6.isValid(browser):
                browser.show_notes(notes)
                self.notes_found.emit()

        self._notes_search.submit(access.task(lambda a: library.search_notes(a, words)), shown)

    def _browser_activated(self, item: QListWidgetItem) -> None:
        note: library.Note = item.data(NOTE_ROLE)
        self.window.show_statement(note.archive_id)

    # ---------------------------------------------------------------- citations
    def copy_citation(self, fmt: str) -> None:
        st = self.window.reader.statement
        if st is not None:
            text = cite.render([(st, self.window.reader.version)], fmt)
            QGuiApplication.clipboard().setText(
                text.strip() + "\n" if fmt != "text" else text.strip()
            )

    def copy_selected(self, fmt: str) -> None:
        """The citations of the statements selected in the list, in `fmt`, on the clipboard."""
        ids, access = self.selected_ids(), self.window.reader_access
        if not ids or access is None:
            return

        def load(archive: Archive) -> str:
            items = [(st, None) for st in map(archive.get_statement, ids) if st is not None]
            return cite.render(items, fmt)

        def done(text: str) -> None:
            if self._alive():
                QGuiApplication.clipboard().setText(text)
                self.window.statusBar().showMessage(f"{len(ids)} citations copied ({fmt})", 6000)

        run_task(access.task(load), done)

    def export_citations(self, path: Path, fmt: str, on_done=None) -> None:
        """Write the citations of every statement of the current search (filters, collections
        and tags included) to `path`, off the GUI thread."""
        access = self.window.reader_access
        if access is None:
            return
        query = self.window.current_query()

        def work(archive: Archive) -> int:
            items = [(st, None) for st in matching_statements(archive, query)]
            Path(path).write_text(cite.render(items, fmt), encoding="utf-8")
            return len(items)

        def done(count: int) -> None:
            if self._alive():
                self.window.statusBar().showMessage(f"{count} citations written to {path}", 8000)
            if on_done is not None:
                on_done(count)

        def failed(exc: Exception) -> None:
            if self._alive():
                self.window.statusBar().showMessage(f"{path}: {exc}", 10000)

        run_task(access.task(work), done, failed)

    def ask_export_citations(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        kinds = {
            "ris": "RIS (*.ris)",
            "bibtex": "BibTeX (*.bib)",
            "csl-json": "CSL-JSON (*.json)",
            "text": "Text (*.txt)",
        }
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Export citations of the list", "citations.ris", ";;".join(kinds.values())
        )
        if path:
            fmt = next((k for k, v in kinds.items() if v == chosen), "ris")
            self.export_citations(Path(path), fmt)

    def copy_quote(self) -> None:
        st = self.window.reader.statement
        quote = self.selected_passage()
        if st is None:
            return
        if not quote:
            self.window.statusBar().showMessage("Select a passage in the text to quote it.", 6000)
            return
        QGuiApplication.clipboard().setText(
            cite.quote_with_citation(quote, st, self.window.reader.version)
        )

    # ---------------------------------------------------------------- filters and facets
    def apply(self, query: SearchQuery) -> SearchQuery:
        """`query` with the ticked tags and collections."""
        return replace(
            query, tags=self.tag_facet.checked(), collections=self.collection_facet.checked()
        )

    def _filters_changed(self) -> None:
        choice = (self.tag_facet.checked(), self.collection_facet.checked())
        if choice != self._last_choice:
            self._last_choice = choice
            self.window.run_query()

    def clear_filters(self) -> None:
        self.tag_facet.set_checked([])
        self.collection_facet.set_checked([])

    def _counts_due(self) -> None:
        """After each search or refresh (an update may have added statements): tag and
        collection counts, and each saved search's number of new matches."""
        self.load_facets()
        self.load_saved()

    def load_facets(self) -> None:
        access = self.window.reader_access
        if access is None:
            return
        query = replace(self.window.current_query(), limit=0, offset=0)
        interrupt = Interrupt()  # a newer search stops these counts (as the window's own)
        self._facets.submit(
            access.task(lambda archive: library_facets(archive.conn, query), interrupt),
            self._facets_loaded,
            lambda _exc: None,  # interrupted or outdated: the newer counts follow
            interrupt,
        )

    def _facets_loaded(self, facets: dict[str, dict[str, int]]) -> None:
        if not self._alive():
            return
        self.tag_facet.set_counts(facets.get("tag", {}))
        self.collection_facet.set_counts(facets.get("collection", {}))

    # ---------------------------------------------------------------- saved searches
    def load_saved(self) -> None:
        access = self.window.reader_access
        if access is None:
            return

        def shown(saved) -> None:
            if not self._alive():
                return
            self.saved_box.show_saved(saved)
            self.saved_loaded.emit()

        self._saved.submit(access.task(library.saved_searches), shown)

    def save_search(self, name: str) -> None:
        query = self.window.current_query()
        self.writer.run(lambda a: library.save_search(a, name, query))

    def ask_save_search(self) -> None:
        name, ok = QInputDialog.getText(
            self.window, "Save search", "Name:", text=self.window.search.query()
        )
        if ok and name.strip():
            self.save_search(name.strip())

    def open_saved(self, name: str) -> None:
        """Show a saved search (text and filters); its "new" count starts again from now."""

        def shown(saved: library.SavedSearch) -> None:
            if not self._alive():
                return
            q = saved.query
            self.window.filters.set_state(
                {
                    "sources": q.sources,
                    "kinds": q.kinds,
                    "languages": q.languages,
                    "speakers": q.speakers,
                    "since": q.since,
                    "until": q.until,
                }
            )
            self.tag_facet.set_checked(q.tags)
            self.collection_facet.set_checked(q.collections)
            self.window.search.set_query(q.text)
            self.window.run_query()
            n = saved.new
            self.window.statusBar().showMessage(
                f"“{saved.name}”: {n} new statement{'s' if n != 1 else ''} since you last looked",
                10000,
            )

        self.writer.run(lambda a: library.open_saved(a, name), on_done=shown)

    def delete_collection(self, name: str) -> None:
        """Delete a collection (never its statements); undo brings it back with its members."""
        removed: list[tuple[str, str]] = []

        def do(archive: Archive) -> None:
            removed[:] = library.delete_collection(archive, name)

        def undo(archive: Archive) -> None:
            for aid, added_at in removed:
                library.add_to_collection(archive, name, [aid], added_at=added_at)

        if name in self.collection_facet.checked():
            self.collection_facet.set_checked(
                [n for n in self.collection_facet.checked() if n != name]
            )
        self.writer.push(f"Delete collection “{name}”", do, undo)

    def delete_saved(self, name: str) -> None:
        """Forget a saved search; undo saves it again (its "new" count starts from then)."""
        gone: list[library.SavedSearch] = []

        def do(archive: Archive) -> None:
            gone[:] = [library.delete_saved(archive, name)]

        def undo(archive: Archive) -> None:
            for saved in gone:
                library.save_search(archive, saved.name, saved.query)

        self.writer.push(f"Delete saved search “{name}”", do, undo)

    def _collection_menu(self, pos) -> None:
        index = self.collection_view.indexAt(pos)
        name = (
            self.collection_facet.item(index.row(), 0).data(VALUE_ROLE) if index.isValid() else None
        )
        if name:
            menu = QMenu(self.collection_view)
            menu.addAction(
                _menu_text(f"Delete collection “{name}”"), lambda: self.delete_collection(name)
            )
            menu.exec(self.collection_view.viewport().mapToGlobal(pos))

    def _saved_menu(self, pos) -> None:
        item = self.saved_box.list.itemAt(pos)
        if item is not None:
            name = item.data(SAVED_ROLE)
            menu = QMenu(self.saved_box.list)
            menu.addAction("Open", lambda: self.open_saved(name))
            menu.addAction(_menu_text(f"Delete “{name}”"), lambda: self.delete_saved(name))
            menu.exec(self.saved_box.list.viewport().mapToGlobal(pos))

    # ---------------------------------------------------------------- Compare
    def attach_compare(self, compare: QWidget) -> QToolButton | None:
        """A button in a Compare window's status bar: add the compared statements to a
        collection (nothing for a window without a status bar)."""
        if not isinstance(compare, QMainWindow):
            return None
        button = QToolButton()
        button.setText("Add to collection")
        button.setToolTip("Add the statements being compared to a collection")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        button.setMenu(menu)

        def ids() -> list[str]:
            data = getattr(compare, "data", None)
            sides = data.sides if data is not None else []
            return list(dict.fromkeys(s.id for s in sides if s.id))

        def fill() -> None:
            menu.clear()
            for name in self.all_collections:
                menu.addAction(
                    _menu_text(name), lambda n=name: ids() and self.add_to_collection(n, ids())
                )
            menu.addSeparator()
            menu.addAction("New collection…", lambda: self.ask_collection(ids()))

        menu.aboutToShow.connect(fill)
        compare.statusBar().addWidget(button)
        return button

    # ---------------------------------------------------------------- the list
    def selected_ids(self) -> list[str]:
        view = self.window.list
        rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
        ids = [self.window.model.index(r, 0).data(ARCHIVE_ID_ROLE) for r in rows]
        return [i for i in ids if i]

    def _list_menu(self, pos) -> None:
        ids = self.selected_ids()
        if ids:
            self.list_menu(ids).exec(self.window.list.viewport().mapToGlobal(pos))

    def list_menu(self, ids: list[str]) -> QMenu:
        """The list's context menu for the selected statements `ids`."""
        menu = QMenu(self.window.list)
        menu.addAction("Add tag…", lambda: self._ask_tag(ids))
        add = menu.addMenu("Add to collection")
        for name in self.all_collections:
            add.addAction(_menu_text(name), lambda n=name: self.add_to_collection(n, ids))
        add.addSeparator()
        add.addAction("New collection…", lambda: self.ask_collection(ids))
        if len(ids) == 1:
            hit = self.window.list.currentIndex().data(HIT_ROLE)
            tags = list(getattr(hit, "tags", ())) if hit and hit.archive_id == ids[0] else []
            if tags:
                remove = menu.addMenu("Remove tag")
                for tag in tags:
                    remove.addAction(_menu_text(tag), lambda t=tag: self.remove_tag(ids[0], t))
        chosen = self.collection_facet.checked()
        if len(chosen) == 1:
            menu.addAction(
                _menu_text(f"Remove from “{chosen[0]}”"),
                lambda: self.remove_from_collection(chosen[0], ids),
            )
        return menu

    def _ask_tag(self, ids: list[str]) -> None:
        tag, ok = QInputDialog.getText(self.window, "Add tag", f"Tag for {len(ids)} statement(s):")
        if ok and tag.strip():
            self.add_tags(ids, tag.strip())


def _menu_text(name: str) -> str:
    """A researcher's name as a menu entry: '&' shown as is, never taken as a shortcut mark."""
    return name.replace("&", "&&")


def install(window: MainWindow) -> Research:
    """Attach the research layer to `window`."""
    return Research(window)
