"""Widgets for long page-derived values (see viewer.plaintext): an elided, selectable field;
a label of at most N lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QStyle, QStyleOptionFrame, QWidget

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


class LinesLabel(QLabel):
    """A plain-text label that wraps its value (anywhere, if a word is longer than the line)
    onto at most `max_lines` lines at its current width, the last one elided with "…": a long
    title or speaker never pushes the statement's text off the screen."""

    def __init__(self, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self.full_text = ""
        self._laid_out_for = -1
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)  # the lines are broken here, at the label's width
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)

    def set_value(self, text: str) -> None:
        self.full_text = text
        self._laid_out_for = -1
        self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        width = self.contentsRect().width()
        if width == self._laid_out_for:
            return
        self._laid_out_for = width
        super().setText(wrapped_lines(self.full_text, self.font(), width, self.max_lines))


def wrapped_lines(text: str, font: QFont, width: int, max_lines: int) -> str:
    """`text` broken into lines of at most `width` pixels, at most `max_lines` of them, the last
    elided with "…" when text is left over."""
    if not text or width <= 0:
        return text
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout = QTextLayout(text, font)
    layout.setTextOption(option)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while len(spans) <= max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[start : start + length].rstrip() for start, length in spans[:max_lines]]
    if len(spans) > max_lines:
        rest = text[spans[max_lines - 1][0] :]
        lines[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return "\n".join(lines)
