"""The search field: emits the query once typing pauses, Esc clears it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 180


class SearchBox(QLineEdit):
    """A line edit that emits `query_changed` after a short pause in typing."""

    query_changed = Signal(str)
    move_down = Signal()  # ↓ / PgDn: go on into the results

    def __init__(self, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.setPlaceholderText('Search statements  (Ctrl+F)  —  words, "exact phrase", prefix*')
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Search statements")
        self._last_emitted = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(self._timer.start)
        self.returnPressed.connect(self._emit_now)

    def query(self) -> str:
        """The query as typed, trimmed."""
        return self.text().strip()

    def _emit(self) -> None:
        query = self.query()
        if query != self._last_emitted:
            self._last_emitted = query
            self.query_changed.emit(query)

    def _emit_now(self) -> None:
        self._timer.stop()
        self._emit()

    def set_query(self, text: str) -> None:
        """Replace the query and emit it at once (used when restoring state)."""
        self.setText(text)
        self._emit_now()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self._emit_now()
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and not event.modifiers():
            self._emit_now()  # the list shows what was typed before the focus moves there
            self.move_down.emit()
            return
        super().keyPressEvent(event)
