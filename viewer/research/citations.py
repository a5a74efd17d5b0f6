"""The Cite menu's actions (db/cite.py renders; this copies and writes off the GUI thread)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import (
    QGuiApplication,
)

from db import Archive, cite
from db.export import matching_statements
from viewer.tasks import run_task

if TYPE_CHECKING:
    pass


class CitationActions:
    """Mixed into Research: the reader's statement, the list's selection, the whole search."""

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
