"""Research: the research layer's controller, wiring its widgets and actions to the window."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QInputDialog,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QTextEdit,
    QToolButton,
    QWidget,
)

from db import Archive, SearchQuery, Statement, cite, library
from db.search import library_facets
from viewer.jobs import Coalescer, Interrupt
from viewer.models.facets import FacetModel
from viewer.models.statement_table import TAGS
from viewer.plaintext import plain_tooltip
from viewer.tasks import LatestOnly
from viewer.widgets.filter_panel import _view

if TYPE_CHECKING:
    from viewer.mainwindow import MainWindow
from viewer.research.citations import CitationActions
from viewer.research.list_menu import ListActions
from viewer.research.saved import SavedSearchActions
from viewer.research.widgets import (
    NOTE_MARK,
    NOTE_ROLE,
    SAVED_ROLE,
    LibraryBar,
    NotesBrowser,
    NotesPanel,
    SavedSearchesBox,
    _menu_text,
)
from viewer.research.writer import LibraryWriter


# ------------------------------------------------------------------ the controller
class Research(CitationActions, SavedSearchActions, ListActions, QObject):
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


def install(window: MainWindow) -> Research:
    """Attach the research layer to `window`."""
    return Research(window)
