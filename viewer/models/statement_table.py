"""The statement list: a table model that fetches rows in pages, off the GUI thread, on demand.

`rowCount()` is the total of the current search; a row's data is fetched (a page at a time)
only when a view asks for it, and at most `MAX_PAGES` pages stay in memory, so a million-row
archive costs no more than the rows on screen.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)

from db import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, SearchQuery, SearchResult
from viewer import render
from viewer.formatting import short_date, short_source
from viewer.jobs import ArchiveReader, Coalescer, Interrupt
from viewer.plaintext import capped, one_line, plain_tooltip
from viewer.tasks import report_error, run_task

PAGE_SIZE = 100
MAX_PAGES = 60

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
ARCHIVE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 3
LOADED_ROLE = Qt.ItemDataRole.UserRole + 4

COLUMNS = ["Date", "Source", "Title", "Kind", "Language", "Vers.", "Tags"]
DATE, SOURCE, TITLE, KIND, LANGUAGE, VERSIONS, TAGS = range(len(COLUMNS))
TITLE_CHARS = 500  # of a title, shown in the list and its tooltip (the reader shows it all)
REMOVED_MARK = "⊘ removed · "  # before the title of a statement the source took down
# Sort order per column: (ascending, descending) names understood by `Archive.search`.
_ORDERS = {
    DATE: ("date_asc", "date"),
    SOURCE: ("source", "source_desc"),
    TITLE: ("title", "title_desc"),
    KIND: ("kind", "kind_desc"),
    LANGUAGE: ("language", "language_desc"),
    VERSIONS: ("versions_asc", "versions"),
}
_Key = QModelIndex | QPersistentModelIndex
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class StatementTableModel(QAbstractTableModel):
    """Search results as a sparse table: pages are loaded as the view scrolls to them."""

    loaded = Signal(int, float)  # total, seconds from request to first page
    grown = Signal(int)  # rows appended beyond a capped count: the new total
    failed = Signal(str)
    indexing = Signal(int, int)  # the search index is being rebuilt: versions done, total

    def __init__(self, reader: ArchiveReader | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.removed: dict[str, str] = {}  # archive id -> detected_at (marked in the list)
        self.reader = reader
        self.query = SearchQuery(order="rank")
        self.total = 0
        self.exact = True  # False: the archive counted up to its cap and there are more rows
        self.searched_as: str | None = None  # how the archive read a query it could not parse
        self.generation = 0
        self._pages: OrderedDict[int, list[SearchHit]] = OrderedDict()
        self._pending: set[int] = set()
        self._first = Coalescer()
        self._page_pool = QThreadPool(self)
        self._page_pool.setMaxThreadCount(2)

    # ---------------------------------------------------------------- querying
    def set_query(self, query: SearchQuery) -> None:
        """Show the results of `query` (its limit/offset are ignored; pages are managed here)."""
        self.query = replace(query, limit=PAGE_SIZE, offset=0)
        self.refresh()

    def refresh(self) -> None:
        """Run the current query again (e.g. after an update added statements)."""
        if self.reader is None:
            self._install(self.generation + 1, SearchResult(0, [], None))
            return
        query = replace(self.query, limit=PAGE_SIZE, offset=0)
        started = time.perf_counter()
        interrupt = Interrupt()
        fetch = self.reader.task(lambda archive: self._search(archive, query), interrupt)
        self._first.submit(
            fetch,
            lambda result: self._first_page(result, started),
            lambda exc: self.failed.emit(report_error(exc, "searching")),
            interrupt,
        )

    def _search(self, archive, query: SearchQuery) -> SearchResult:
        """On a worker: search, reporting the progress of a search index being rebuilt."""
        archive.index_progress = self.indexing.emit  # queued to the GUI thread
        return archive.search(query)

    def _first_page(self, result: SearchResult, started: float) -> None:
        self._install(self.generation + 1, result)
        self.loaded.emit(result.total, time.perf_counter() - started)

    def _install(self, generation: int, result: SearchResult) -> None:
        self.beginResetModel()
        self.generation = generation
        self.total = result.total
        self.exact = getattr(result, "total_exact", True)
        self.searched_as = getattr(result, "searched_as", None)  # "searched as words: …"
        self._pages.clear()
        self._pending.clear()
        if result.hits:
            self._pages[0] = list(result.hits)
        self.endResetModel()

    def stop(self, wait_ms: int = 5000) -> None:
        """Drop and interrupt what is running, and wait for the page workers (at exit)."""
        self._first.cancel()
        self.generation += 1
        self._page_pool.waitForDone(wait_ms)

    def busy(self) -> bool:
        """True while the newest query has not answered yet."""
        return self._first.busy() or bool(self._pending)

    # ---------------------------------------------------------------- paging
    def hit(self, row: int, fetch: bool = True) -> SearchHit | None:
        """The hit at `row`, or None if its page is not loaded (then it is requested)."""
        if row < 0 or row >= self.total:
            return None
        page_no, within = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            if fetch:
                self._request(page_no)
            return None
        self._pages.move_to_end(page_no)
        return page[within] if within < len(page) else None

    def _request(self, page_no: int) -> None:
        if page_no in self._pending or self.reader is None:
            return
        self._pending.add(page_no)
        generation = self.generation
        query = replace(self.query, limit=PAGE_SIZE, offset=page_no * PAGE_SIZE)
        fetch = self.reader.task(lambda archive: archive.search(query))
        run_task(
            fetch,
            lambda result: self._page_arrived(generation, page_no, result),
            lambda exc: self._page_failed(generation, page_no, exc),
            pool=self._page_pool,
        )

    def _page_arrived(self, generation: int, page_no: int, result: SearchResult) -> None:
        if generation != self.generation:
            return  # an answer to a query that has since changed
        self._pending.discard(page_no)
        self._pages[page_no] = list(result.hits)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = page_no * PAGE_SIZE
        last = min(self.total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def canFetchMore(self, parent: _Key = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self.exact and self.reader is not None

    def fetchMore(self, parent: _Key = QModelIndex()) -> None:  # noqa: B008, N802
        """The view reached the last row of a capped count: append the next page of hits."""
        if not self.canFetchMore(parent) or self.total % PAGE_SIZE:
            return
        page_no = self.total // PAGE_SIZE
        if page_no in self._pending:
            return
        self._pending.add(page_no)
        generation = self.generation
        query = replace(self.query, limit=PAGE_SIZE, offset=self.total)
        run_task(
            self.reader.task(lambda archive: archive.search(query)),
            lambda result: self._more_arrived(generation, page_no, result),
            lambda exc: self._page_failed(generation, page_no, exc),
            pool=self._page_pool,
        )

    def _more_arrived(self, generation: int, page_no: int, result: SearchResult) -> None:
        if generation != self.generation:
            return
        self._pending.discard(page_no)
        hits = list(result.hits)
        if len(hits) < PAGE_SIZE:
            self.exact = True
        if hits:
            self.beginInsertRows(QModelIndex(), self.total, self.total + len(hits) - 1)
            self._pages[page_no] = hits
            self.total += len(hits)
            self.endInsertRows()
        self.grown.emit(self.total)

    def _page_failed(self, generation: int, page_no: int, exc: Exception) -> None:
        if generation == self.generation:
            self._pending.discard(page_no)
            self.failed.emit(report_error(exc, "loading a page of results"))

    def row_of(self, archive_id: str) -> int:
        """The row of `archive_id` among the loaded pages, or -1."""
        for page_no, page in self._pages.items():
            for i, hit in enumerate(page):
                if hit.archive_id == archive_id:
                    return page_no * PAGE_SIZE + i
        return -1

    # ---------------------------------------------------------------- Qt model
    def rowCount(self, parent: _Key = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: _Key = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == VERSIONS:
                return "Number of versions (more than 1: the text was edited after publication)"
        return None

    def flags(self, index: _Key) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Key, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.total:
            return None
        hit = self.hit(index.row())
        column = index.column()
        if role == LOADED_ROLE:
            return hit is not None
        if hit is None:
            if role == Qt.ItemDataRole.DisplayRole and column == TITLE:
                return "…"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._display(hit, column)
            if column == TITLE and hit.archive_id in self.removed:
                return REMOVED_MARK + text
            return text
        if role == HIT_ROLE:
            return hit
        if role == ARCHIVE_ID_ROLE:
            return hit.archive_id
        if role == SNIPPET_HTML_ROLE:
            html = (
                render.snippet_to_html(hit.snippet, HIGHLIGHT_START, HIGHLIGHT_END, lead=24)
                if hit.snippet
                else None
            )
            earlier = getattr(hit, "earlier_version", None)
            if html and earlier:  # the match is only in text an edit removed
                html = f"<i>earlier version {int(earlier)}:</i> {html}"
            return html
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            tip = capped(hit.title, TITLE_CHARS)
            if hit.snippet:
                tip += "\n\n" + render.snippet_plain(hit.snippet, HIGHLIGHT_START, HIGHLIGHT_END)
            if getattr(hit, "earlier_version", None):
                tip += f"\n\n(found in earlier version {hit.earlier_version})"
            return plain_tooltip(tip)
        if role == Qt.ItemDataRole.ToolTipRole and column == SOURCE:
            return plain_tooltip(hit.source_name)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VERSIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and column == TITLE
            and render.is_rtl(hit.language)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(hit: SearchHit, column: int) -> str:
        if column == DATE:
            return short_date(hit.published)
        if column == SOURCE:
            return short_source(hit.source_name)
        if column == TITLE:  # a title may be megabytes long: the view lays out one line of it
            return one_line(hit.title or hit.lead, TITLE_CHARS) or "(untitled)"
        if column == KIND:
            return hit.kind or ""
        if column == LANGUAGE:
            return hit.language or ""
        if column == VERSIONS:
            return str(hit.version_count)
        if column == TAGS:
            return ", ".join(getattr(hit, "tags", ()))
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _ORDERS:
            return
        ascending, descending = _ORDERS[column]
        name = ascending if order == Qt.SortOrder.AscendingOrder else descending
        if name != self.query.order:
            self.query = replace(self.query, order=name)
            self.refresh()
