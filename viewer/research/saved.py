"""Saved searches and the filter column's menus of the research layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QInputDialog,
    QMenu,
)

from db import Archive, library
from viewer.models.facets import VALUE_ROLE

if TYPE_CHECKING:
    pass
from viewer.research.widgets import SAVED_ROLE, _menu_text


class SavedSearchActions:
    """Mixed into Research: save, open (resetting its "new" count), delete with undo."""

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
