"""The Compare window: two to four panes side by side, changes or shared passages highlighted."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QRadioButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from compare import layout as cl
from compare.html_export import citation, summary_line
from compare.load import MAX_SIDES, RefError
from viewer.compare.export import write_html, write_pdf
from viewer.compare.panes import ComparePane, ScrollSync
from viewer.plaintext import one_line, plain_tooltip
from viewer.tasks import LatestOnly, report_error, run_task


class CompareWindow(QMainWindow):
    """Compare `refs` (`ID` or `ID@N`; one ID = its two latest versions) from the archive."""

    loaded = Signal()  # a comparison is on screen (tests and callers wait for it)
    failed = Signal(str)

    def __init__(self, archive_path: Path, refs: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Compare")
        self.resize(1280, 820)
        self.archive_path = Path(archive_path)
        self.refs = list(refs)
        self.data: cl.Loaded | None = None
        self.layout_: cl.Layout | None = None
        self.current = -1  # index into layout_.targets
        self.mode: str | None = None  # None = from the refs (same statement -> versions)
        self._jobs = LatestOnly()
        self._render_jobs = LatestOnly()
        self._build()
        self.reload()

    # ---------------------------------------------------------------- widgets
    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 6)
        self.headers_row = QHBoxLayout()
        outer.addLayout(self.headers_row)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Mode:"))
        self.versions_radio = QRadioButton("&versions")
        self.statements_radio = QRadioButton("&statements")
        self.versions_radio.setToolTip("Word-by-word changes: inserted, deleted, replaced")
        self.statements_radio.setToolTip("Passages both texts share, paragraphs aligned")
        for radio, mode in (
            (self.versions_radio, "versions"),
            (self.statements_radio, "statements"),
        ):
            radio.toggled.connect(lambda on, mode=mode: on and self._set_mode(mode))
            controls.addWidget(radio)
        self.changes_only = QCheckBox("&Changes only")
        self.changes_only.setToolTip("Show only paragraphs near a change (3 of context)")
        self.changes_only.toggled.connect(lambda _on: self.render())
        controls.addWidget(self.changes_only)
        self.prev_button = self._tool("◀", "Previous change (Shift+F7)", lambda: self.step(-1))
        self.next_button = self._tool("▶", "Next change (F7)", lambda: self.step(1))
        controls.addWidget(self.prev_button)
        self.position_label = QLabel("")
        self.position_label.setMinimumWidth(
            self.position_label.fontMetrics().horizontalAdvance("9999 / 9999")
        )
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        controls.addWidget(self.position_label)
        controls.addWidget(self.next_button)
        self.summary = QLabel("Comparing…")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        controls.addWidget(self.summary, 1)
        self.export_html_button = self._tool(
            "Export HTML…",
            "Save this comparison as one self-contained HTML file (Ctrl+S)",
            self.export_html,
        )
        self.export_pdf_button = self._tool(
            "Export PDF…", "Save this comparison as PDF (Ctrl+P)", self.export_pdf
        )
        controls.addWidget(self.export_html_button)
        controls.addWidget(self.export_pdf_button)
        outer.addLayout(controls)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.panes_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.panes_splitter)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.targets_title = QLabel("Changes")
        bottom_layout.addWidget(self.targets_title)
        self.targets_list = QListWidget()
        self.targets_list.setAlternatingRowColors(True)
        self.targets_list.itemActivated.connect(self._target_clicked)
        self.targets_list.itemClicked.connect(self._target_clicked)
        bottom_layout.addWidget(self.targets_list)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([10_000, 1_800])
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.statusBar().addPermanentWidget(self.progress)
        self.panes: list[ComparePane] = []
        self.headers: list[QWidget] = []
        self.sync = ScrollSync([])

        for text, keys, slot in (
            ("Next change", "F7", lambda: self.step(1)),
            ("Previous change", "Shift+F7", lambda: self.step(-1)),
            ("Export HTML", "Ctrl+S", self.export_html),
            ("Export PDF", "Ctrl+P", self.export_pdf),
            ("Close", "Ctrl+W", self.close),
            ("Close", "Esc", self.close),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self._set_busy(True)

    def _tool(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        """Load and compare `self.refs` off the GUI thread."""
        self._set_busy(True, "Comparing…")
        path, refs, mode = self.archive_path, list(self.refs), self.mode
        self._jobs.submit(lambda: cl.load(path, refs, mode), self._loaded, self._failed)

    def _loaded(self, data: cl.Loaded) -> None:
        self.data = data
        self.mode = data.comparisons[0].mode
        for radio, mode in (
            (self.versions_radio, "versions"),
            (self.statements_radio, "statements"),
        ):
            radio.blockSignals(True)
            radio.setChecked(self.mode == mode)
            radio.blockSignals(False)
        self.setWindowTitle("Compare: " + " ⇄ ".join(s.ref for s in data.sides))
        self._make_panes(len(data.sides))
        self._make_headers(data)
        self.summary.setText(" | ".join(summary_line(c) for c in data.comparisons))
        self.changes_only.setEnabled(len(data.sides) == 2)
        self.render()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, RefError):  # the user's: a wrong id, a single version…
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        else:  # a bug in loading or laying out: logged, named as such
            message = report_error(exc, "comparing")
        self.summary.setText(f"Cannot compare: {message}")
        self.statusBar().showMessage(message)
        self.failed.emit(message)

    def render(self) -> None:
        """Lay the panes out (off the GUI thread), then show them."""
        if self.data is None:
            return
        data, only = self.data, self.changes_only.isChecked() and len(self.data.sides) == 2
        self._set_busy(True, "Laying out…")
        self._render_jobs.submit(lambda: cl.layout(data, only), self._show_layout, self._failed)

    def _show_layout(self, layout: cl.Layout) -> None:
        self.layout_ = layout
        self.sync.enabled = False
        for pane, html, items in zip(self.panes, layout.html, layout.items, strict=True):
            pane.set_content(html, items)
        self.sync.row_synced = layout.row_synced
        self.sync.mappers = [self._mapper(c.anchors()) for c in self.data.comparisons]
        self.sync.enabled = True
        self.targets_list.clear()
        for target in layout.targets:
            QListWidgetItem(target.label, self.targets_list)
        noun = "shared passage" if self.mode == "statements" else "change"
        noun += "" if len(layout.targets) == 1 else "s"
        self.targets_title.setText(
            f"{noun.capitalize()} ({len(layout.targets)}) — click to "
            "jump; F7 / Shift+F7 for next / previous"
        )
        self.targets_list.setToolTip(f"{len(layout.targets)} {noun}: click to jump (F7 / Shift+F7)")
        self.current = -1
        self._update_position()
        self._set_busy(False, f"{len(layout.targets)} {noun}")
        self.loaded.emit()

    @staticmethod
    def _mapper(anchors: list[tuple[int, int]]):
        return lambda offset, forward: cl.map_offset(anchors, offset, forward)

    def _make_panes(self, count: int) -> None:
        if len(self.panes) == count:
            return
        for pane in self.panes:
            pane.setParent(None)
            pane.deleteLater()
        self.panes = [ComparePane() for _ in range(count)]
        for pane in self.panes:
            self.panes_splitter.addWidget(pane)
        self.sync = ScrollSync(self.panes)

    def _make_headers(self, data: cl.Loaded) -> None:
        while self.headers_row.count():
            widget = self.headers_row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.headers = []
        for n, (side, choices) in enumerate(zip(data.sides, data.versions, strict=True)):
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(
                one_line(f"{side.source_name or side.source} · {(side.published or '')[:10]}", 200)
            )
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setToolTip(plain_tooltip(citation(side)))
            row.addWidget(label)
            combo = QComboBox()
            for choice in choices:
                combo.addItem(choice.label, choice.seq)
            combo.setCurrentIndex(max(combo.findData(side.version), 0))
            combo.setToolTip(
                plain_tooltip(f"{side.title or ''}\nChoose another version of this statement")
            )
            combo.currentIndexChanged.connect(
                lambda _i, n=n, c=combo: self._choose(n, c.currentData())
            )
            row.addWidget(combo, 1)
            self.headers_row.addWidget(box, 1)
            self.headers.append(box)
            if n == 0 and len(data.sides) == 2:
                swap = self._tool("⇄", "Swap left and right", self.swap)
                self.headers_row.addWidget(swap)

    # ---------------------------------------------------------------- actions
    def _choose(self, pane: int, seq: int | None) -> None:
        if self.data is None or seq is None:
            return
        self.refs = [
            f"{s.id}@{seq if n == pane else s.version}" for n, s in enumerate(self.data.sides)
        ]
        self.reload()

    def swap(self) -> None:
        if self.data is not None:
            self.refs = [f"{s.id}@{s.version}" for s in reversed(self.data.sides)]
            self.reload()

    def _set_mode(self, mode: str) -> None:
        if self.data is not None and mode != self.mode:
            self.mode = mode
            self.refs = [f"{s.id}@{s.version}" for s in self.data.sides]
            self.reload()

    def step(self, direction: int) -> None:
        """Jump to the next (1) or previous (-1) change or shared passage."""
        if not self.layout_ or not self.layout_.targets:
            self.statusBar().showMessage("Nothing to jump to", 3000)
            return
        count = len(self.layout_.targets)
        self.current = (
            (self.current + direction) % count
            if self.current >= 0
            else (0 if direction > 0 else count - 1)
        )
        self.show_target(self.current)

    def show_target(self, index: int) -> None:
        """Bring change or passage `index` into view in every pane that has it, selected."""
        target = self.layout_.targets[index]
        self.current = index
        self.sync.enabled = False
        try:
            shown = [
                pane.jump_to(anchor, (span[1] - span[0]) if span else 1)
                for pane, anchor, span in zip(self.panes, target.anchors, target.spans, strict=True)
            ]
            if not any(shown):
                self.statusBar().showMessage(
                    "This change is folded away; untick “Changes only” to see it", 4000
                )
        finally:
            self.sync.enabled = True
        if self.targets_list.currentRow() != index:
            self.targets_list.setCurrentRow(index)
        self._update_position()

    def _target_clicked(self, item: QListWidgetItem) -> None:
        self.show_target(self.targets_list.row(item))

    def _update_position(self) -> None:
        total = len(self.layout_.targets) if self.layout_ else 0
        self.position_label.setText(f"{self.current + 1 if self.current >= 0 else '–'} / {total}")
        for button in (self.prev_button, self.next_button):
            button.setEnabled(total > 0)

    def export_html(self) -> None:
        self._export("HTML", "HTML files (*.html)", ".html", write_html)

    def export_pdf(self) -> None:
        self._export("PDF", "PDF files (*.pdf)", ".pdf", write_pdf)

    def _export(self, kind: str, pattern: str, suffix: str, writer) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, f"Export comparison as {kind}", str(Path.home() / f"comparison{suffix}"), pattern
        )
        if name:
            self.export_to(Path(name), writer)

    def export_to(self, path: Path, writer) -> None:
        """Write what is on screen to `path` off the GUI thread; report in the status bar."""
        data, only = self.data, self.changes_only.isChecked()
        self._set_busy(True, f"Writing {path.name}…")
        run_task(
            lambda: writer(path, cl.export_html(data, only)),
            lambda _r: self._set_busy(False, f"Saved {path}"),
            lambda exc: self._set_busy(
                False, f"Could not save {path}: {report_error(exc, 'export')}"
            ),
        )

    def _set_busy(self, busy: bool, message: str = "") -> None:
        if not shiboken6.isValid(self.progress):  # the window closed while work was running
            return
        self.progress.setVisible(busy)
        if message:
            self.statusBar().showMessage(message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._jobs.generation += 1  # results still on their way are dropped
        self._render_jobs.generation += 1
        super().closeEvent(event)


__all__ = ["CompareWindow", "MAX_SIDES"]
