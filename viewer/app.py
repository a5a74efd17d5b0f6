"""Start the viewer: the application object, the palette, the main window on an archive."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from db.archive import resolve_paths
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


def startup_archive(archive_path: Path | None, settings: ViewerSettings) -> Path:
    """The archive to open: the one named, else the last one used, else the default one
    (created from the bundled sample on first run)."""
    if archive_path is not None:
        return Path(archive_path)
    last = settings.last_archive()
    if last is not None and resolve_paths(last)[1].exists():
        return last
    from cli.common import default_archive_path, seed_default_archive

    default = default_archive_path()
    if not resolve_paths(default)[1].exists():
        seed_default_archive(default)
    return default


def run(archive_path: Path | None) -> int:
    """Open the main window on `archive_path` (None: the last archive used, else the default)."""
    app = application()
    settings = ViewerSettings()
    window = MainWindow(settings)
    window.show()
    try:
        path = startup_archive(archive_path, settings)
    except Exception as exc:  # the default archive could not be created: say so, keep running
        from viewer.dialogs import show_archive_error

        show_archive_error(window, archive_path or "default archive", exc)
        path = None
    if path is None or not window.open_archive(path):
        window.reader.clear(
            "No archive open. Use File → Open archive… (Ctrl+O) or File → New archive…."
        )
    return app.exec()
