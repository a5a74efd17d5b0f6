"""Open a Compare window on a few versions, in front of the main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def open_compare(archive_path: Path, refs: list[str], parent: QWidget | None = None) -> QWidget:
    """Show a Compare window for `refs` (`ID` or `ID@N`)."""
    from viewer.compare.window import CompareWindow

    window = CompareWindow(archive_path, refs, parent)
    window.show()
    if QGuiApplication.platformName() != "offscreen":
        window.raise_()
    return window
