"""Write a comparison page to disk as HTML or PDF (called on a worker thread)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from db.files import atomic_path, write_atomic


class _OfflineDocument(QTextDocument):
    """A text document that loads no resource from anywhere."""

    def loadResource(self, kind: int, name: QUrl) -> Any:  # noqa: N802 (Qt override)
        return None


def write_html(path: Path, page: str) -> Path:
    """Write the self-contained page as UTF-8 (whole or not at all)."""
    return write_atomic(path, page)


def write_pdf(path: Path, page: str) -> Path:
    """Lay the same page out on landscape A4 pages and print it to a PDF file (whole or not
    at all: printed to a temporary file beside it, renamed when complete)."""
    with atomic_path(path) as temp:
        _print_pdf(temp, page)
    return path


def _print_pdf(path: Path, page: str) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle("Communiqué comparison")
    writer.setCreator("Communiqué")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(96)
    document = _OfflineDocument()
    document.setHtml(page)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)
    del writer  # the PDF is finished and closed when its writer goes
