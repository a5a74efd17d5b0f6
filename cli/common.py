"""What every command shares: finding and opening the archive, one-line errors, progress."""

from __future__ import annotations

import sys
from pathlib import Path

from db import Archive, ArchiveError
from db.default import chosen_archive_path, default_archive_path, needs_seeding
from db.default import seed_default_archive as _seed


class CommandError(Exception):
    """A failure to report as one line (`communique: <message>`) with a non-zero exit."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def archive_path(args) -> tuple[Path, bool]:
    """(path, is_default): --archive, else $COMMUNIQUE_ARCHIVE, else the user data directory."""
    return chosen_archive_path(getattr(args, "archive", None))


def open_archive(args, *, create: bool = False, readonly: bool = False) -> Archive:
    """Open the archive the user named; the default one is created from the bundled sample."""
    path, is_default = archive_path(args)
    if is_default and needs_seeding(path):
        seed_default_archive(path)
    archive = Archive.open(path, create=create, readonly=readonly)
    archive.on_wait = fail  # a second writer waits its turn, saying so once
    return archive


def seed_default_archive(path: Path) -> None:
    """Create the default archive from the bundled sample of real statements, saying so."""
    _seed(path, announce=fail)


def progress_bar(total: int | None, description: str, unit: str = "B"):
    """A tqdm bar on a terminal; None when stderr is not one (pipes and CI stay quiet)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(
        total=total, desc=description, unit=unit, unit_scale=True, leave=False, file=sys.stderr
    )


def fail(message: str) -> None:
    print(f"communique: {message}", file=sys.stderr)


__all__ = [
    "CommandError",
    "open_archive",
    "archive_path",
    "default_archive_path",
    "fail",
    "progress_bar",
    "ArchiveError",
]
