"""A rich-text view for statements that never fetches a resource and never follows a link itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

READING_MEASURE_CHARS = 70
LINE_HEIGHT_PERCENT = 150
# Ordinary prose, to measure how wide 70 characters of running text really are.
_SAMPLE = "The ministers discussed the situation and agreed to continue their talks"
TEXT_FAMILIES = [
    "Charter",
    "Source Serif 4",
    "Source Serif Pro",
    "Noto Serif",
    "Literata",
    "Georgia",
    "DejaVu Serif",
    "Liberation Serif",
    "serif",
]


def reading_font(point_size: float = 12.5) -> QFont:
    """A comfortable serif text face, falling back to whatever the system has."""
    font = QFont()
    font.setFamilies(TEXT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(point_size)
    return font


class SafeTextBrowser(QTextBrowser):
    """QTextBrowser that loads no resource (images, style sheets, fonts) from anywhere.

    Qt rich text has no script engine; the remaining way out is `loadResource`, which is
    overridden to answer nothing and to record what was asked, so tests can prove it.
    Links are never followed here: clicks are reported through `link_activated`.
    """

    link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resource_requests: list[QUrl] = []
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.anchorClicked.connect(self.link_activated)
        self.document().setDocumentMargin(24)

    def loadResource(self, kind: int, name: QUrl) -> Any:  # noqa: N802 (Qt override)
        self.resource_requests.append(QUrl(name))
        return QByteArray()  # nothing; (returning None here corrupts None's refcount in PySide)

    def setSource(self, name: QUrl, kind: Any = None) -> None:  # noqa: N802 (Qt override)
        """Navigation is not allowed: a click never replaces the statement shown."""
        return None

    def apply_reading_layout(self) -> None:
        """Generous line height (from the style sheet) and a centred column of ~70 characters."""
        self._fit_measure()

    def set_reading_font(self, font: QFont) -> None:
        """The text face, with line height and paragraph spacing in the document style sheet
        (applied while the HTML is parsed: no second layout pass over a long statement)."""
        self.setFont(font)
        self.document().setDefaultFont(font)
        gap = round(QFontMetricsF(font).height() * 0.6)
        blocks = "p, li, blockquote, pre, div, h1, h2, h3, h4, h5, h6, td, th"
        self.document().setDefaultStyleSheet(
            f"{blocks} {{ line-height: {LINE_HEIGHT_PERCENT}%; }} p {{ margin-bottom: {gap}px; }}"
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Keep lines near READING_MEASURE_CHARS characters by centring a text column."""
        metrics = QFontMetricsF(self.document().defaultFont())
        per_char = metrics.horizontalAdvance(_SAMPLE) / len(_SAMPLE)
        measure = per_char * READING_MEASURE_CHARS + 2 * self.document().documentMargin()
        spare = max(0.0, self.viewport().width() - measure)
        side = float(max(int(self.document().documentMargin()), int(spare / 2)))
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)
