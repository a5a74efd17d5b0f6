"""The reader pane: one statement as a good reader app shows it, with provenance and versions."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.models import Statement, Version
from viewer import formatting, published, render
from viewer.plaintext import one_line, plain_tooltip
from viewer.tasks import LatestOnly, report_error
from viewer.widgets.plain import LinesLabel
from viewer.widgets.provenance import ProvenancePanel
from viewer.widgets.related_panel import RelatedPanel
from viewer.widgets.text_view import SafeTextBrowser, reading_font
from viewer.widgets.versions import VersionsList

SAFE_SCHEMES = {"http", "https"}
# What the header shows of page-derived values; the whole value stays in the record, the
# citation and the tooltip.
TITLE_CHARS = 400
TITLE_LINES = 5
META_LINES = 3
SPEAKER_CHARS = 200
META_CHARS = 600


class Reader(QWidget):
    """Title, meta line, text, provenance and versions of the statement being read."""

    compare_requested = Signal(list)  # refs: ["ID@1", "ID@3"]
    formatted = Signal()  # the published formatting, prepared off the GUI thread, is on screen
    original_opened = Signal(QUrl)
    edition_requested = Signal(str)  # archive id of another-language edition

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement: Statement | None = None
        self.version: Version | None = None
        self.terms: list[str] = []
        self.show_formatting = False
        self.matches: list[tuple[int, int]] = []  # search matches in the document shown
        self.match_index = -1
        self._formatting = LatestOnly()  # published markup is prepared on a worker thread

        # at most 5 lines of title and 3 of details, so the text always has the room
        self.title = LinesLabel(TITLE_LINES)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = reading_font(15)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        # a label's width follows the reader, never its text (a 10k-character title once made
        # the reader 141,613 px wide): LinesLabel ignores its text's width
        self.meta = LinesLabel(META_LINES)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta.setForegroundRole(self.meta.foregroundRole().PlaceholderText)
        self.removed_note = QLabel()
        self.removed_note.setTextFormat(Qt.TextFormat.PlainText)
        self.removed_note.setStyleSheet("color: #c0392b; font-weight: 600;")
        self.removed_note.hide()

        self.open_button = self._button("Open original", "Open the published page in your browser")
        self.open_button.clicked.connect(self.open_original)
        self.cite_button = self._button(
            "Copy citation",
            "Copy title, institution, date, URL, archive id and capture time (Ctrl+Shift+C)",
        )
        self.cite_button.clicked.connect(self.copy_citation)
        self.previous_button = self._button("▲", "Previous match (Shift+F3)")
        self.previous_button.clicked.connect(self.previous_match)
        self.next_button = self._button("▼", "Next match (F3)")
        self.next_button.clicked.connect(self.next_match)
        self.match_label = QLabel()
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)
        self.match_label.setForegroundRole(self.match_label.foregroundRole().PlaceholderText)

        self.format_note = QLabel()  # why the published formatting is simplified or not shown
        self.format_note.setTextFormat(Qt.TextFormat.PlainText)
        self.format_note.setWordWrap(True)
        self.format_note.setForegroundRole(self.format_note.foregroundRole().PlaceholderText)
        self.format_note.hide()

        self.text = SafeTextBrowser()
        self.text.set_reading_font(reading_font())
        self.text.setFrameShape(SafeTextBrowser.Shape.NoFrame)
        self.text.link_activated.connect(self._link_clicked)

        self.provenance = ProvenancePanel()
        self.versions = VersionsList()
        self.versions.version_chosen.connect(self.show_version)
        self.versions.compare_requested.connect(self.compare_requested)
        self.related = RelatedPanel()
        self.related.compare_requested.connect(self.compare_requested)

        header = QVBoxLayout()
        header.setContentsMargins(24, 16, 24, 8)
        header.setSpacing(4)
        header.addWidget(self.title)
        header.addWidget(self.meta)
        header.addWidget(self.removed_note)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.cite_button)
        self.editions = EditionLinks()
        self.editions.chosen.connect(self.edition_requested)
        buttons.addWidget(self.editions)
        buttons.addStretch(1)
        buttons.addWidget(self.match_label)
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        header.addLayout(buttons)
        header.addWidget(self.format_note)

        details = QWidget()
        details_layout = QHBoxLayout(details)
        details_layout.setContentsMargins(12, 4, 12, 8)
        details_layout.addWidget(self.provenance, 3)
        details_layout.addWidget(self.versions, 2)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(details)
        self.splitter.addWidget(self.related)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        self.clear()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(False)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return button

    # ---------------------------------------------------------------- showing
    def clear(self, message: str = "Select a statement to read it.") -> None:
        """Show an empty reader with a hint."""
        self.statement = None
        self.version = None
        self.title.set_value("")
        self.meta.set_value("")
        self.text.setHtml(f"<p style='color:gray'>{html.escape(message)}</p>")
        self.provenance.clear()
        self.versions.clear_versions()
        self.related.clear()
        self.set_removed(None)
        self.open_button.setEnabled(False)
        self.cite_button.setEnabled(False)
        self._find_matches()
        self.editions.set_editions(())

    def show_statement(self, statement: Statement, terms: list[str] | None = None) -> None:
        """Show `statement` at its current version, highlighting `terms`."""
        self.statement = statement
        self.terms = list(terms or [])
        self.versions.set_statement(statement)
        self.show_version(statement.current.seq if statement.current else 0)

    def show_version(self, seq: int) -> None:
        """Show version `seq` of the statement being read."""
        statement = self.statement
        if statement is None:
            return
        version = next((v for v in statement.versions if v.seq == seq), statement.current)
        self.version = version
        title = formatting.display_title(statement, version)
        self.title.set_value(one_line(title, TITLE_CHARS))
        self.title.setToolTip(plain_tooltip(title) if len(title) > TITLE_CHARS else "")
        self.meta.set_value(one_line(self._meta_line(statement, version), META_CHARS))
        self._set_direction(statement.language)
        self.text.resource_requests.clear()
        self._formatting.generation += 1  # formatting still being prepared is for another text
        self.format_note.hide()
        if version is None:
            self.text.setHtml("<p>(no text archived)</p>")
        else:  # the archived text at once; the published formatting follows when it is ready
            self.text.setHtml(render.text_to_html(version.text, self.terms))
        self._text_installed(statement)
        if self.show_formatting and version is not None and version.html:
            self._request_formatting(version)
        self.provenance.show_facts(statement, version)
        self.versions.mark_current(version.seq if version else 0)
        has_url = QUrl(statement.url).scheme().lower() in SAFE_SCHEMES
        self.open_button.setEnabled(has_url)
        self.open_button.setToolTip(
            "Open the published page in your browser"
            if has_url
            else "Original address unknown: the data set this record came from kept none"
        )
        self.cite_button.setEnabled(True)
        self.editions.set_editions(statement.language_editions)

    def _text_installed(self, statement: Statement) -> None:
        self.text.apply_reading_layout()
        self._set_direction(statement.language)
        self.text.verticalScrollBar().setValue(0)
        self._find_matches()
        if self.matches:
            self.go_to_match(0)  # the first place the search found, not the top of the text

    def _request_formatting(self, version: Version) -> None:
        """Sanitise and bound the published markup on a worker (viewer.published), so that no
        page, however large or deeply nested, freezes the window."""
        markup = version.html or ""
        self.format_note.setText("Preparing the published formatting…")
        self.format_note.show()
        self._formatting.submit(
            lambda: published.prepare(markup),
            lambda prepared: self._show_formatted(version, prepared),
            lambda exc: self._show_formatted(
                version, published.Prepared(None, report_error(exc, "formatting a statement"))
            ),
        )

    def _show_formatted(self, version: Version, prepared: published.Prepared) -> None:
        if self.version is not version or not self.show_formatting or self.statement is None:
            return
        if prepared.markup is not None:
            self.text.setHtml(prepared.markup)
            self._text_installed(self.statement)
        self.format_note.setText(prepared.note)
        self.format_note.setVisible(bool(prepared.note))
        self.formatted.emit()

    # ---------------------------------------------------------------- search matches
    def _find_matches(self) -> None:
        """Locate the search terms in the document on screen (its plain text has the same
        character positions as the document)."""
        text = self.text.document().toPlainText() if self.statement is not None else ""
        self.matches = render.match_spans(text, self.terms) if self.terms else []
        self.match_index = -1
        self._show_match_count()

    def _show_match_count(self) -> None:
        count = len(self.matches)
        for button in (self.previous_button, self.next_button):
            button.setVisible(bool(self.terms) and self.statement is not None)
            button.setEnabled(count > 0)
        if not self.terms or self.statement is None:
            self.match_label.setText("")
        elif count == 0:
            self.match_label.setText("no match in this text")
        else:
            noun = "match" if count == 1 else "matches"
            where = f"{self.match_index + 1} of {count}" if self.match_index >= 0 else str(count)
            self.match_label.setText(f"{where} {noun}")

    def go_to_match(self, index: int) -> None:
        """Select match `index` (wrapping around) and scroll it into view."""
        if not self.matches:
            return
        self.match_index = index % len(self.matches)
        start, end = self.matches[self.match_index]
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        # a third of the way down, with the lines before it for context
        bar = self.text.verticalScrollBar()
        top = self.text.cursorRect(cursor).top()
        bar.setValue(bar.value() + top - self.text.viewport().height() // 3)
        self._show_match_count()

    def next_match(self) -> None:
        """F3: the next occurrence of the search terms (after the last, the first)."""
        self.go_to_match(self.match_index + 1)

    def previous_match(self) -> None:
        """Shift+F3: the previous occurrence (before the first, the last)."""
        self.go_to_match(self.match_index - 1 if self.match_index >= 0 else -1)

    def set_removed(self, detected_at: str | None) -> None:
        """Mark the statement as taken down by its source (None: it is still published)."""
        self.removed_note.setText(
            f"Removed by the source (noticed {detected_at[:10]}); the archive keeps every version."
            if detected_at
            else ""
        )
        self.removed_note.setVisible(bool(detected_at))

    def set_show_formatting(self, on: bool) -> None:
        """Render the published markup (made safe) instead of the plain text."""
        self.show_formatting = on
        if self.version is not None:
            self.show_version(self.version.seq)

    def _meta_line(self, statement: Statement, version: Version | None) -> str:
        parts = [statement.institution or statement.source_name]
        if statement.institution and statement.source_name != statement.institution:
            parts.append(statement.source_name)
        if statement.speaker:
            parts.append(one_line(statement.speaker, SPEAKER_CHARS))
        if statement.kind:
            parts.append(statement.kind)
        parts.append(formatting.published_label(statement.published or statement.published_raw))
        parts.append(formatting.language_label(statement.language))
        if statement.version_count > 1 and version is not None:
            parts.append(f"version {version.seq} of {statement.version_count}")
        return "  ·  ".join(p for p in parts if p)

    def _set_direction(self, language: str | None) -> None:
        rtl = render.is_rtl(language)
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        for widget in (self.text, self.title, self.meta):
            widget.setLayoutDirection(direction)
        align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        self.title.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        option = self.text.document().defaultTextOption()
        option.setTextDirection(direction)
        option.setAlignment(Qt.AlignmentFlag.AlignAbsolute | align if rtl else align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.document().setDefaultTextOption(option)

    # ---------------------------------------------------------------- actions
    def citation(self) -> str:
        """The citation of what is shown ('' when nothing is)."""
        if self.statement is None:
            return ""
        return formatting.citation(self.statement, self.version)

    def copy_citation(self) -> None:
        """Put the citation on the clipboard."""
        text = self.citation()
        if text:
            QGuiApplication.clipboard().setText(text)

    def open_original(self) -> None:
        """Open the statement's published URL in the system browser (explicit user action)."""
        if self.statement is not None:
            self._open_external(QUrl(self.statement.url))

    def _link_clicked(self, url: QUrl) -> None:
        self._open_external(url)

    def _open_external(self, url: QUrl) -> None:
        if url.scheme().lower() not in SAFE_SCHEMES:
            return  # javascript:, file:, data: and relative links go nowhere
        self.original_opened.emit(url)
        QDesktopServices.openUrl(url)


class EditionLinks(QWidget):
    """'Also in: English, Русский': one link per other-language edition, opening it."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 0, 0, 0)
        self._layout.setSpacing(2)
        self.label = QLabel("Also in:")
        self.label.setForegroundRole(self.label.foregroundRole().PlaceholderText)
        self._layout.addWidget(self.label)
        self.links: list[QToolButton] = []
        self.hide()

    def set_editions(self, editions) -> None:
        """Show links for (archive_id, language, title) tuples; hidden when there are none."""
        for button in self.links:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.links = []
        shown: set[str | None] = set()
        for archive_id, language, title in editions:
            if language in shown:
                continue  # one link per language (the same page under two addresses)
            shown.add(language)
            button = QToolButton()
            button.setAutoRaise(True)
            button.setText(formatting.native_language_name(language))
            # The title comes from the page: escaped and capped, never read as markup.
            button.setToolTip(plain_tooltip(title or archive_id))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(
                "QToolButton { color: palette(link); text-decoration: underline; border: none; }"
            )
            button.clicked.connect(lambda _=False, ref=archive_id: self.chosen.emit(ref))
            self._layout.addWidget(button)
            self.links.append(button)
        self.setVisible(bool(self.links))
