"""The default archive (db/default.py): its place, and its first run seeded from the sample."""

import gzip
import json
from pathlib import Path

from db import Archive
from db import default as defaults

SAMPLE = Path(__file__).resolve().parents[2] / "db" / "sample"


def _statements(paths) -> set[tuple[str, str]]:
    """(source, address) of every line: one statement each (a statement may recur across files).

    A record whose data set kept no URL is keyed by its guid, else its origin."""
    found = set()
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            found.update(
                (r["source"], r.get("url") or r.get("guid") or r["origin"])
                for r in map(json.loads, f)
            )
    return found


def test_the_sample_is_read_as_package_data():
    names = defaults.sample_names()
    assert names == sorted(p.name for p in SAMPLE.glob("*.jsonl.gz"))
    assert "ru-kremlin-2025.jsonl.gz" in names
    with defaults.sample_files() as files:
        assert [f.name for f in files] == names
        assert all(f.is_file() for f in files)


def test_seeding_imports_every_sample_file_once(tmp_path):
    said: list[str] = []
    target = tmp_path / "default"
    assert defaults.needs_seeding(target)
    assert defaults.seed_default_archive(target, announce=said.append) == len(
        defaults.sample_names()
    )
    assert not defaults.needs_seeding(target)
    assert said == [
        f"creating the archive {target} from the bundled sample "
        f"({len(defaults.sample_names())} files)…"
    ]
    with Archive.open(target, readonly=True) as archive:
        stats = archive.stats()
    assert "ru-kremlin" in stats["by_source"]
    assert stats["statements"] == len(_statements(SAMPLE.glob("*.jsonl.gz")))  # none lost


def test_the_archive_named_wins_over_the_environment_then_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv(defaults.ENV_ARCHIVE, str(tmp_path / "env"))
    assert defaults.chosen_archive_path(tmp_path / "named") == (tmp_path / "named", False)
    assert defaults.chosen_archive_path(None) == (tmp_path / "env", False)
    monkeypatch.delenv(defaults.ENV_ARCHIVE)
    path, is_default = defaults.chosen_archive_path(None)
    assert is_default
    assert path == defaults.default_archive_path()
    assert path.name == "archive"
    assert "communique" in str(path)
