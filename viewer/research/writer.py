"""Every write of the research layer on one background thread, in order, through a QUndoStack."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import (
    QUndoCommand,
    QUndoStack,
)

from db import Archive
from viewer.tasks import run_task

if TYPE_CHECKING:
    pass


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
