"""The reader pane: one statement as a good reader app shows it, with provenance and versions."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextOption
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
from viewer import formatting, render
from viewer.widgets.provenance import ProvenancePanel
from viewer.widgets.text_view import SafeTextBrowser, reading_font
from viewer.widgets.versions import VersionsList

SAFE_SCHEMES = {"http", "https"}


class Reader(QWidget):
    """Title, meta line, text, provenance and versions of the statement being read."""

    compare_requested = Signal(list)  # refs: ["ID@1", "ID@3"]
    original_opened = Signal(QUrl)
    edition_requested = Signal(str)  # archive id of another-language edition

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement: Statement | None = None
        self.version: Version | None = None
        self.terms: list[str] = []
        self.show_formatting = False

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = reading_font(15)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta.setForegroundRole(self.meta.foregroundRole().PlaceholderText)

        self.open_button = self._button("Open original", "Open the published page in your browser")
        self.open_button.clicked.connect(self.open_original)
        self.cite_button = self._button(
            "Copy citation",
            "Copy title, institution, date, URL, archive id and capture time (Ctrl+Shift+C)",
        )
        self.cite_button.clicked.connect(self.copy_citation)

        self.text = SafeTextBrowser()
        self.text.set_reading_font(reading_font())
        self.text.setFrameShape(SafeTextBrowser.Shape.NoFrame)
        self.text.link_activated.connect(self._link_clicked)

        self.provenance = ProvenancePanel()
        self.versions = VersionsList()
        self.versions.version_chosen.connect(self.show_version)
        self.versions.compare_requested.connect(self.compare_requested)

        header = QVBoxLayout()
        header.setContentsMargins(24, 16, 24, 8)
        header.setSpacing(4)
        header.addWidget(self.title)
        header.addWidget(self.meta)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.cite_button)
        self.editions = EditionLinks()
        self.editions.chosen.connect(self.edition_requested)
        buttons.addWidget(self.editions)
        buttons.addStretch(1)
        header.addLayout(buttons)

        details = QWidget()
        details_layout = QHBoxLayout(details)
        details_layout.setContentsMargins(12, 4, 12, 8)
        details_layout.addWidget(self.provenance, 3)
        details_layout.addWidget(self.versions, 2)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(details)
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
        self.title.setText("")
        self.meta.setText("")
        self.text.setHtml(f"<p style='color:gray'>{html.escape(message)}</p>")
        self.provenance.clear()
        self.versions.clear_versions()
        self.open_button.setEnabled(False)
        self.cite_button.setEnabled(False)
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
        self.title.setText(formatting.display_title(statement, version))
        self.meta.setText(self._meta_line(statement, version))
        self._set_direction(statement.language)
        self.text.resource_requests.clear()
        if version is None:
            self.text.setHtml("<p>(no text archived)</p>")
        elif self.show_formatting and version.html:
            self.text.setHtml(render.safe_markup(version.html))
        else:
            self.text.setHtml(render.text_to_html(version.text, self.terms))
        self.text.apply_reading_layout()
        self._set_direction(statement.language)
        self.text.verticalScrollBar().setValue(0)
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
            parts.append(statement.speaker)
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
            # The title comes from the page: escaped, so Qt never reads it as markup.
            button.setToolTip(f"<p>{html.escape(title or archive_id)}</p>")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(
                "QToolButton { color: palette(link); text-decoration: underline; border: none; }"
            )
            button.clicked.connect(lambda _=False, ref=archive_id: self.chosen.emit(ref))
            self._layout.addWidget(button)
            self.links.append(button)
        self.setVisible(bool(self.links))
