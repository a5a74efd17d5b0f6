"""The statement list's research menu: tag, collect and cite the selected statements."""

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QInputDialog,
    QMenu,
)

from viewer.models.statement_table import ARCHIVE_ID_ROLE, HIT_ROLE

if TYPE_CHECKING:
    pass
from viewer.research.widgets import (
    _menu_text,
)

# ------------------------------------------------------------------ the controller


class ListActions:
    """Mixed into Research: what the list's context menu offers for its selection."""

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
