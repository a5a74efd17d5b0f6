"""Messages to the user about archives: clear one-line reasons, never a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from db import ArchiveError, NewerArchive, NotAnArchive
from db.errors import describe, is_user_error


def archive_error_text(path: Path | str, exc: Exception) -> str:
    """One line naming the archive and what is wrong with it."""
    if isinstance(exc, ArchiveError):
        return str(exc)
    if is_user_error(exc):  # e.g. a folder that cannot be read
        return f"{path}: cannot open the archive ({exc})"
    return f"{path}: cannot open the archive: {describe(exc, f'opening {path}')}"


def archive_error_advice(exc: Exception) -> str:
    """What the user can do about it."""
    if isinstance(exc, NewerArchive):
        return "Install a newer Communiqué to open this archive; it was not changed."
    if isinstance(exc, NotAnArchive):
        return "Choose the archive folder (holding archive.sqlite) or the archive.sqlite file."
    return (
        "Choose another archive with File → Open archive…, or create one with File → New archive…."
    )


def show_archive_error(parent: QWidget | None, path: Path | str, exc: Exception) -> None:
    """A modal dialog saying why `path` could not be opened."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Cannot open archive")
    box.setText(archive_error_text(path, exc))
    box.setInformativeText(archive_error_advice(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def ask_archive_to_open(parent: QWidget | None, start: Path | None) -> Path | None:
    """Let the user choose an archive folder's archive.sqlite (or the folder)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        "Open archive",
        str(start or Path.home()),
        "Communiqué archive (archive.sqlite *.sqlite *.sqlite3 *.db);;All files (*)",
    )
    return Path(chosen) if chosen else None


def ask_new_archive(parent: QWidget | None, start: Path | None) -> Path | None:
    """Let the user choose (or name) an empty folder for a new archive."""
    chosen = QFileDialog.getExistingDirectory(
        parent, "New archive: choose an empty folder", str(start or Path.home())
    )
    return Path(chosen) if chosen else None
