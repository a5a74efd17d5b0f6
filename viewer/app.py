"""Start the viewer: the application object, the palette, the main window on an archive."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from db import default as defaults
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
        app.setWindowIcon(_icon())
        if sys.platform.startswith("linux") and app.style().name().lower() == "windows":
            app.setStyle("Fusion")  # the bare Windows style looks dated on Linux desktops
    return app  # type: ignore[return-value]


def _icon():
    """The application icon (package data, also installed by `communique install-desktop`)."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    svg = resources.files("viewer").joinpath("data", "communique.svg")
    return QIcon(str(svg))


def startup_archive(archive_path: Path | None, settings: ViewerSettings) -> Path:
    """The archive to open: the one named, else the last one used, else the default one
    (created from the bundled sample on first run)."""
    if archive_path is not None:
        return Path(archive_path)
    last = settings.last_archive()
    if last is not None and resolve_paths(last)[1].exists():
        return last
    default = defaults.default_archive_path()
    if defaults.needs_seeding(default):
        defaults.seed_default_archive(default)
    return default


def default_to_create(archive_path: Path | None, settings: ViewerSettings) -> Path | None:
    """The default archive's path when this start must first create it from the sample."""
    if archive_path is not None:
        return None
    last = settings.last_archive()
    if last is not None and resolve_paths(last)[1].exists():
        return None
    default = defaults.default_archive_path()
    return default if defaults.needs_seeding(default) else None


def create_then_open(window: MainWindow, default: Path) -> None:
    """Create the default archive from the sample off the GUI thread, then open it."""
    from viewer.dialogs import show_archive_error
    from viewer.tasks import run_task

    window.reader.clear("Creating your archive from the bundled sample of real statements…")
    window.statusBar().showMessage(f"Creating {default} from the bundled sample…")

    def opened(_: object) -> None:
        window.statusBar().clearMessage()
        window.open_archive(default)

    def failed(exc: Exception) -> None:
        window.statusBar().clearMessage()
        show_archive_error(window, default, exc)

    run_task(lambda: defaults.seed_default_archive(default), opened, failed)


def _report_uncaught_exceptions() -> None:
    """An exception raised in a slot on the GUI thread is a bug: logged, shown, never lost."""
    from viewer.tasks import report_error

    def hook(kind, exc, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        report_error(exc.with_traceback(tb), "the viewer")

    sys.excepthook = hook


def run(archive_path: Path | None) -> int:
    """Open the main window on `archive_path` (None: the last archive used, else the default)."""
    from viewer.platform_check import platform_problem

    if (problem := platform_problem()) is not None:  # Qt would abort with a core dump
        print(f"communique: {problem}", file=sys.stderr)
        return 1
    app = application()
    _report_uncaught_exceptions()
    settings = ViewerSettings()
    window = MainWindow(settings)
    window.show()
    default = default_to_create(archive_path, settings)
    if default is not None:  # first run: the window stays responsive while the sample imports
        create_then_open(window, default)
        return app.exec()
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
