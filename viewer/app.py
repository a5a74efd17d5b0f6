"""Start the viewer: the application object, the palette, the main window on an archive."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from viewer.mainwindow import MainWindow
from viewer.pyside_guard import protect_none
from viewer.settings import ViewerSettings


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), following the system's light or dark scheme."""
    protect_none()
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("Communiqué")
        app.setOrganizationName("Communique")
        app.setApplicationDisplayName("Communiqué")
        app.setDesktopFileName("communique")
        if sys.platform.startswith("linux") and app.style().name().lower() == "windows":
            app.setStyle("Fusion")  # the bare Windows style looks dated on Linux desktops
    return app  # type: ignore[return-value]


def run(archive_path: Path | None) -> int:
    """Open the main window on `archive_path` (else the last one used) and run the event loop."""
    app = application()
    settings = ViewerSettings()
    window = MainWindow(settings)
    path = archive_path or settings.last_archive()
    window.show()
    if path is not None:
        window.open_archive(Path(path))
    else:
        window.reader.clear(
            "No archive open. Use File → Open archive… (Ctrl+O) or File → New archive…."
        )
    return app.exec()
