"""Files written whole or not at all: write beside the target, then rename over it.

A failure part-way (full disk, a file-size limit, an exception in the producer, Ctrl-C) leaves
the previous file, if any, untouched under its name, and no partial file anywhere.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def temporary_sibling(path: Path) -> Path:
    """A fresh hidden name in the target's folder (so the final rename stays on one disk)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[BinaryIO]:
    """A binary file to write; it appears under `path` only once the `with` block succeeds."""
    with atomic_path(path, allow_empty=True) as temp, open(temp, "xb") as fh:
        yield fh
        fh.flush()


@contextlib.contextmanager
def atomic_path(path: Path | str, *, allow_empty: bool = False) -> Iterator[Path]:
    """A temporary path for a writer that wants a file name (e.g. a PDF writer); renamed to
    `path` when the block succeeds (and, unless `allow_empty`, wrote something), removed
    otherwise."""
    path = Path(path)
    temp = temporary_sibling(path)
    try:
        yield temp
        if not temp.exists() or (not allow_empty and temp.stat().st_size == 0):
            raise OSError(f"{path}: nothing was written")
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_folder(path.parent)


def write_atomic(path: Path | str, data: bytes | str) -> Path:
    """Write `data` (str as UTF-8) to `path` whole or not at all."""
    with atomic_output(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["atomic_output", "atomic_path", "write_atomic", "temporary_sibling"]
