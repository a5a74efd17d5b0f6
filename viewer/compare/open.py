"""Open the Compare window when that part of the viewer is installed; say so when it is not."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def open_compare(
    archive_path: Path, refs: list[str], parent: QWidget | None = None
) -> QWidget | None:
    """Show a Compare window for `refs` (`ID` or `ID@N`); None when it cannot be shown."""
    try:
        from viewer.compare.window import CompareWindow
    except ImportError:
        QMessageBox.information(
            parent,
            "Compare",
            "The comparison view is not available in this "
            "build. From the command line: communique compare " + " ".join(refs),
        )
        return None
    window = CompareWindow(archive_path, refs, parent)
    window.show()
    if QGuiApplication.platformName() != "offscreen":
        window.raise_()
    return window
