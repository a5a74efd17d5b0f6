"""An elided, selectable field for long page-derived values (see viewer.plaintext)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame, QWidget

from viewer.plaintext import plain_tooltip


class ElidedField(QLineEdit):
    """A read-only value that is elided in the middle (start and end both visible) while not
    focused, and shows, selects and copies the full value once clicked or tabbed into."""

    def __init__(
        self,
        parent: QWidget | None = None,
        elide: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle,
    ) -> None:
        super().__init__(parent)
        self.elide = elide
        self.setReadOnly(True)
        self.setFrame(False)
        self.setMinimumWidth(60)
        self.setStyleSheet("QLineEdit { background: transparent; }")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def setText(self, text: str | None) -> None:  # noqa: N802 (Qt override)
        super().setText(text or "")
        self.setCursorPosition(0)
        self.setToolTip(plain_tooltip(text))

    def _contents_rect(self):
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        return rect.adjusted(2, 0, -2, 0)

    def displayed_text(self) -> str:
        """What is painted while the field is not focused."""
        if self.hasFocus():
            return self.text()
        metrics = QFontMetrics(self.font())
        return metrics.elidedText(self.text(), self.elide, max(0, self._contents_rect().width()))

    def is_elided(self) -> bool:
        return self.displayed_text() != self.text()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if self.hasFocus() or not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            self._contents_rect(),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self.displayed_text(),
        )

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.setCursorPosition(0)
