"""What every command shares: finding and opening the archive, one-line errors, progress."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from db import Archive, ArchiveError
from db.archive import resolve_paths

APP_NAME = "communique"
ENV_ARCHIVE = "COMMUNIQUE_ARCHIVE"
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


class CommandError(Exception):
    """A failure to report as one line (`communique: <message>`) with a non-zero exit."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def default_archive_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "archive"


def archive_path(args) -> tuple[Path, bool]:
    """(path, is_default): --archive, else $COMMUNIQUE_ARCHIVE, else the user data directory."""
    chosen = getattr(args, "archive", None) or os.environ.get(ENV_ARCHIVE)
    if chosen:
        return Path(chosen).expanduser(), False
    return default_archive_path(), True


def open_archive(args, *, create: bool = False, readonly: bool = False) -> Archive:
    """Open the archive the user named; the default one is created from the bundled sample."""
    path, is_default = archive_path(args)
    if is_default and not resolve_paths(path)[1].exists():
        seed_default_archive(path)
    return Archive.open(path, create=create, readonly=readonly)


def seed_default_archive(path: Path) -> None:
    """Create the default archive from the bundled sample of real statements."""
    from db.importer import import_jsonl

    samples = sorted(SAMPLE_DIR.glob("*.jsonl.gz"))
    print(
        f"communique: creating the archive {path} from the bundled sample ({len(samples)} files)…",
        file=sys.stderr,
    )
    with Archive.open(path, create=True) as archive:
        for sample in samples:
            import_jsonl(archive, sample)
        from scraper.editions import link_with_sources

        link_with_sources(archive)  # kremlin.ru and en.kremlin.ru editions of one statement


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
