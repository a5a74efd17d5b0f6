"""Errors a user can cause (bad path, not an archive, newer schema, full disk): one family."""

from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """A problem with an archive file that the user can fix; the message names the path."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class ArchiveNotFound(ArchiveError):
    pass


class NotAnArchive(ArchiveError):
    pass


class NewerArchive(ArchiveError):
    pass


class ArchiveReadOnly(ArchiveError):
    pass


class DiskFull(ArchiveError):
    pass


class ArchiveCorrupt(ArchiveError):
    pass
