"""The statement list: a flat tree view over the paging model; titles carry the search snippet."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from viewer.models.statement_table import (
    DATE,
    KIND,
    LANGUAGE,
    SNIPPET_HTML_ROLE,
    SOURCE,
    TITLE,
    VERSIONS,
)

_Key = QModelIndex | QPersistentModelIndex


class SnippetDelegate(QStyledItemDelegate):
    """Paints the title and, under it, the matching snippet with the match highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_snippets = False
        self.title_lines = 2  # without a search, a title may take both lines of its row
        self._doc = QTextDocument()
        self._title_doc = QTextDocument()  # its own: its wrap and alignment differ
        self._title_doc.setDocumentMargin(0)
        self._doc.setDocumentMargin(0)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Key) -> None:
        snippet = index.data(SNIPPET_HTML_ROLE) if self.show_snippets else None
        if not snippet and self.title_lines > 1 and not self.show_snippets:
            self._paint_wrapped_title(painter, option, index)
            return
        if not snippet:
            super().paint(painter, option, index)
            return
        opt, title, rect, selected = self._cell(painter, option, index)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role).name()
        dim = (
            opt.palette.color(QPalette.ColorRole.PlaceholderText).name() if not selected else colour
        )
        from html import escape

        self._doc.setDefaultFont(opt.font)
        self._doc.setHtml(
            f"<div style='color:{colour}; white-space:nowrap'>{escape(title)}</div>"
            f"<div style='color:{dim}; white-space:nowrap'>{snippet}</div>"
        )
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        self._doc.documentLayout().draw(painter, context)
        painter.restore()

    def _cell(self, painter: QPainter, option: QStyleOptionViewItem, index: _Key):
        """Draw the cell's background and selection; (option, title, text rect, selected)."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        return opt, title, rect, bool(opt.state & QStyle.StateFlag.State_Selected)

    def _paint_wrapped_title(
        self, painter: QPainter, option: QStyleOptionViewItem, index: _Key
    ) -> None:
        """The title on up to `title_lines` lines, wrapped at words, so that a title is seldom
        cut in a narrow column (its tooltip has all of it)."""
        opt, title, rect, selected = self._cell(painter, option, index)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        doc = self._title_doc
        doc.setDefaultFont(opt.font)
        text_option = doc.defaultTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        text_option.setAlignment(opt.displayAlignment & Qt.AlignmentFlag.AlignHorizontal_Mask)
        doc.setDefaultTextOption(text_option)
        doc.setPlainText(title)  # page-derived: never markup
        doc.setTextWidth(rect.width())
        lines = self.title_lines * opt.fontMetrics.lineSpacing()
        top = max(0, (rect.height() - min(lines, doc.size().height())) / 2)
        painter.save()
        painter.translate(rect.left(), rect.top() + top)
        painter.setClipRect(QRectF(0, 0, rect.width(), lines))  # at most title_lines lines
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Key) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        if self.show_snippets or self.title_lines > 1:
            line = option.fontMetrics.lineSpacing()
            size.setHeight(max(size.height(), line * 2 + 8))
        return size


class StatementList(QTableView):
    """Sortable, keyboard-first list: arrows walk it, Enter opens the statement.

    A table view, not a tree view: QTreeView lays out every row (asking the model about each
    one) whenever the model resets, which is seconds at a million rows; QTableView with fixed
    row heights only asks about the rows on screen.
    """

    activated_row = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAccessibleName("Statements")
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(8)
        self._one_line = self.fontMetrics().height() + 8
        self._two_lines = self.fontMetrics().lineSpacing() * 2 + 10
        rows.setDefaultSectionSize(self._two_lines)  # titles wrap onto a second line
        self.delegate = SnippetDelegate(self)
        self.setItemDelegateForColumn(TITLE, self.delegate)
        self.activated.connect(self._activated)

    def _activated(self, index: QModelIndex) -> None:
        self.activated_row.emit(index.row())

    def header(self) -> QHeaderView:
        """The column header (as QTreeView names it)."""
        return self.horizontalHeader()

    def configure_header(self) -> None:
        """Column widths that suit dates, names and long titles (call after setModel)."""
        header = self.header()
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        metrics = self.fontMetrics()
        widths = {
            DATE: metrics.horizontalAdvance("2022-11-01") + 20,
            SOURCE: metrics.horizontalAdvance("U.S. Department") + 12,
            KIND: metrics.horizontalAdvance("press-briefing") + 12,
            LANGUAGE: metrics.horizontalAdvance("Language") + 12,
            VERSIONS: metrics.horizontalAdvance("Vers.") + 16,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionHidden(LANGUAGE, True)
        header.setSectionHidden(KIND, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    def fit_source_column(self, labels: list[str], most: int = 220) -> None:
        """Widen the Source column to its longest label (at most `most` pixels)."""
        if not labels:
            return
        metrics = self.fontMetrics()
        # the item's own margins: what QStyledItemDelegate leaves around the text
        widest = max(metrics.horizontalAdvance(label) for label in labels) + 16
        self.header().resizeSection(SOURCE, min(most, max(widest, self.columnWidth(SOURCE))))

    def _column_menu(self, pos) -> None:
        """Right-click on the header: show or hide columns."""
        header = self.header()
        menu = QMenu(self)
        model = self.model()
        for column in range(model.columnCount()):
            if column == TITLE:
                continue
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))

    def set_show_snippets(self, on: bool) -> None:
        """Two-line rows with the snippet under the title while a search is active."""
        if self.delegate.show_snippets != on:
            self.delegate.show_snippets = on
            lines = 2 if on or self.delegate.title_lines > 1 else 1
            height = self._two_lines if lines == 2 else self._one_line
            self.verticalHeader().setDefaultSectionSize(height)
            self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)
