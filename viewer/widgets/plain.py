"""Page-derived values (titles, speakers, URLs, ids) shown as plain text, whatever they contain.

A value from a government page may be 5 million characters long or look like markup
(`<img src=file:///…>`): Qt would guess it is rich text in a tooltip or a label in AutoText mode,
and lay out all of it. Everything here escapes, caps and elides before Qt sees the value.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame, QWidget

# Longest value a label or tooltip lays out; the full value stays in the record (and is copied).
MAX_SHOWN_CHARS = 2000
TOOLTIP_LINE_CHARS = 100


def capped(text: str | None, limit: int = MAX_SHOWN_CHARS) -> str:
    """`text` cut to `limit` characters (… and the number left out when cut)."""
    text = text or ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def plain_tooltip(text: str | None, limit: int = MAX_SHOWN_CHARS) -> str:
    """A tooltip that shows `text` literally: escaped rich text (Qt guesses the format of a
    tooltip, so plain text that looks like markup would be rendered), capped, wrapping."""
    if not text:
        return ""
    escaped = html.escape(capped(text, limit), quote=False).replace("\n", "<br>")
    # wrap-anywhere keeps a 2,000-character URL with no spaces inside the screen
    return f"<p style='white-space:pre-wrap; word-break:break-all'>{escaped}</p>"


def one_line(text: str | None, limit: int = MAX_SHOWN_CHARS) -> str:
    """A value for a one-line label: capped, line breaks and tabs as spaces."""
    return " ".join(capped(text, limit).split())


class ElidedField(QLineEdit):
    """A read-only value that is elided in the middle (start and end both visible) while not
    focused, and shows, selects and copies the full value once clicked or tabbed into."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        return metrics.elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, max(0, self._contents_rect().width())
        )

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
