"""The Compare window's text panes: safe rendering, jumping to anchors, synchronised scrolling."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from viewer.widgets.text_view import SafeTextBrowser, reading_font


class ComparePane(SafeTextBrowser):
    """One side of a comparison: one block per layout item, anchors for changes and passages.

    Nothing shown here may reach the network (the reader's SafeTextBrowser: no resource is
    ever loaded, links are never followed, navigation is refused).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document().setDefaultFont(reading_font(12))
        self.document().setDocumentMargin(14)
        self.items: list[tuple[int, int] | None] = []
        self.anchor_positions: dict[str, int] = {}

    def set_content(self, html: str, items: list[tuple[int, int] | None]) -> None:
        """Show `html` (one block per item) and index its anchors."""
        self.setHtml(html)
        self.items = items
        self.anchor_positions = {}
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                for name in fragment.charFormat().anchorNames():
                    self.anchor_positions.setdefault(name, fragment.position())
                it += 1
            block = block.next()

    def jump_to(self, anchor: str | None, length: int) -> bool:
        """Select the highlighted text at `anchor` and bring it to the upper third of the view."""
        position = self.anchor_positions.get(anchor or "")
        if position is None:
            self.setExtraSelections([])
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setPosition(
            min(position + max(length, 1), self.document().characterCount() - 1),
            QTextCursor.MoveMode.KeepAnchor,
        )
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        fmt = selection.format
        fmt.setBackground(self.palette().highlight())
        fmt.setForeground(self.palette().highlightedText())
        selection.format = fmt
        self.setExtraSelections([selection])
        rect = self.document().documentLayout().blockBoundingRect(cursor.block())
        line = cursor.block().layout().lineForTextPosition(position - cursor.block().position())
        y = rect.top() + (line.y() if line.isValid() else 0)
        bar = self.verticalScrollBar()
        bar.setValue(int(y - self.viewport().height() / 3))
        return True

    # -------------------------------------------------------------- positions
    def top_item(self) -> tuple[int, float]:
        """(block number at the top of the view, how far into it the view starts, 0..1)."""
        block = self.cursorForPosition(QPoint(0, 2)).block()
        rect = self.document().documentLayout().blockBoundingRect(block)
        offset = self.verticalScrollBar().value() - rect.top()
        frac = min(max(offset / rect.height(), 0.0), 1.0) if rect.height() > 0 else 0.0
        return block.blockNumber(), frac

    def scroll_to_item(self, number: int, frac: float) -> None:
        block = self.document().findBlockByNumber(max(number, 0))
        if not block.isValid():
            block = self.document().lastBlock()
        rect = self.document().documentLayout().blockBoundingRect(block)
        top = 0.0 if block.blockNumber() == 0 and frac == 0 else rect.top()  # keep the margin
        self.verticalScrollBar().setValue(int(top + frac * rect.height()))

    def offset_at_top(self) -> int:
        """The text offset (of the compared text) shown at the top of the view."""
        number, frac = self.top_item()
        span = self.items[number] if 0 <= number < len(self.items) else None
        if span is None:
            return 0
        return int(span[0] + frac * (span[1] - span[0]))

    def scroll_to_offset(self, offset: int) -> None:
        starts = [s[0] if s else -1 for s in self.items]
        number = max(bisect_right(starts, offset) - 1, 0)
        span = self.items[number] if self.items else None
        frac = 0.0
        if span and span[1] > span[0]:
            frac = min(max((offset - span[0]) / (span[1] - span[0]), 0.0), 1.0)
        self.scroll_to_item(number, frac)


class ScrollSync:
    """Keep panes scrolled together: block by block when rows correspond, else by text offsets
    mapped through each neighbouring comparison's anchors."""

    def __init__(self, panes: list[ComparePane]) -> None:
        self.panes = panes
        self.row_synced = True
        self.mappers: list[Callable[[int, bool], int]] = []  # pane n -> n+1 (forward) and back
        self.enabled = True
        self._busy = False
        for n, pane in enumerate(panes):
            pane.verticalScrollBar().valueChanged.connect(lambda _v, n=n: self.follow(n))

    def follow(self, source: int) -> None:
        """Scroll every other pane to where pane `source` now is."""
        if self._busy or not self.enabled:
            return
        self._busy = True
        try:
            pane = self.panes[source]
            if self.row_synced:
                number, frac = pane.top_item()
                for n, other in enumerate(self.panes):
                    if n != source:
                        other.scroll_to_item(number, frac)
                return
            offsets = {source: pane.offset_at_top()}
            for n in range(source + 1, len(self.panes)):
                offsets[n] = self.mappers[n - 1](offsets[n - 1], True)
            for n in range(source - 1, -1, -1):
                offsets[n] = self.mappers[n](offsets[n + 1], False)
            for n, other in enumerate(self.panes):
                if n != source:
                    other.scroll_to_offset(offsets[n])
        finally:
            self._busy = False
