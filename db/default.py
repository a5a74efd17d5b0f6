"""The default archive: where it lives and how its first run is seeded from the bundled sample.

Shared by the command line and the viewer (neither imports the other). The sample ships as
package data of `db` (`db/sample/*.jsonl.gz`) and is read through importlib.resources, so an
installed wheel seeds the archive as a source checkout does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from importlib import resources
from pathlib import Path

from .archive import Archive, resolve_paths

APP_NAME = "communique"
ENV_ARCHIVE = "COMMUNIQUE_ARCHIVE"
SAMPLE_PACKAGE = "db"
SAMPLE_FOLDER = "sample"


def default_archive_path() -> Path:
    """The user data directory's archive (e.g. ~/.local/share/communique/archive)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "archive"


def chosen_archive_path(named: str | os.PathLike | None) -> tuple[Path, bool]:
    """(path, is_default): the one named, else $COMMUNIQUE_ARCHIVE, else the default archive."""
    chosen = named or os.environ.get(ENV_ARCHIVE)
    if chosen:
        return Path(chosen).expanduser(), False
    return default_archive_path(), True


def needs_seeding(path: Path) -> bool:
    """True when the archive at `path` has not been created yet."""
    return not resolve_paths(path)[1].exists()


def sample_names() -> list[str]:
    """The bundled sample's file names, sorted (the package data shipped with `db`)."""
    folder = resources.files(SAMPLE_PACKAGE).joinpath(SAMPLE_FOLDER)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".jsonl.gz"))


@contextmanager
def sample_files() -> Iterator[list[Path]]:
    """Real paths of the bundled sample files for the duration of the block (from a zip
    install they are extracted to a temporary place)."""
    folder = resources.files(SAMPLE_PACKAGE).joinpath(SAMPLE_FOLDER)
    with ExitStack() as stack:
        yield [stack.enter_context(resources.as_file(folder / name)) for name in sample_names()]


def seed_default_archive(path: Path, announce: Callable[[str], None] | None = None) -> int:
    """Create the archive at `path` from the bundled sample; the number of files imported."""
    from .importer import import_jsonl

    with sample_files() as samples:
        if announce is not None:
            announce(f"creating the archive {path} from the bundled sample ({len(samples)} files)…")
        with Archive.open(path, create=True) as archive:
            for sample in samples:
                import_jsonl(archive, sample)
        return len(samples)
