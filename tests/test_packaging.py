"""`pip wheel .` gives an installable app: the `communique` command, the bundled sample (package
data, read with importlib.resources) that seeds the default archive on first run, and the
desktop files. Built offline (no build isolation, no index) from a copy of the sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted(p.name for p in (ROOT / "db" / "sample").glob("*.jsonl.gz"))
DESKTOP = ["communique.desktop", "communique.svg", "communique.metainfo.xml"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "main.py"):
        shutil.copy2(ROOT / name, src / name)
    for package in ("db", "scraper", "compare", "viewer", "cli"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "--wheel-dir", str(work / "dist")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [built] = (work / "dist").glob("communique-*.whl")
    return built


def test_the_wheel_carries_the_command_the_sample_and_the_desktop_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points).decode()
    assert "[console_scripts]\ncommunique = cli:entry" in scripts
    assert {f"db/sample/{name}" for name in SAMPLE} <= names
    assert len(SAMPLE) >= 7
    assert {f"viewer/data/{name}" for name in DESKTOP} <= names
    assert "scraper/sources.toml" in names
    # every data file the packages read at run time is in the wheel (a new one needs a
    # [tool.setuptools.package-data] line in pyproject.toml)
    data = {
        path.relative_to(ROOT).as_posix()
        for package in ("db", "scraper", "compare", "viewer", "cli")
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert "compare/data/aliases.json" in data
    assert data - names == set()
    assert not any(n.startswith("tests/") for n in names)


def test_the_installed_command_seeds_the_default_archive_from_the_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    env = {
        **os.environ,
        "PYTHONPATH": str(site),  # the installed copy, not this checkout
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COMMUNIQUE_ARCHIVE": "",
    }
    env.pop("COMMUNIQUE_ARCHIVE")
    command = [sys.executable, str(site / "bin" / "communique")]
    run = subprocess.run(
        [*command, "stats", "--json"], capture_output=True, text=True, timeout=300, env=env,
        cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    default = tmp_path / "data" / "communique" / "archive"
    assert run.stderr == (
        f"communique: creating the archive {default} from the bundled sample "
        f"({len(SAMPLE)} files)…\n"
    )
    stats = json.loads(run.stdout)
    assert stats["statements"] > 2000
    assert "ru-kremlin" in stats["by_source"]
    where = subprocess.run(
        [sys.executable, "-c", "import db; print(db.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(site))  # the wheel's code ran, not the checkout's
    desktop = subprocess.run(
        [*command, "install-desktop", "--data-home", str(tmp_path / "xdg")],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert desktop.returncode == 0, desktop.stderr
    entry = (tmp_path / "xdg" / "applications" / "communique.desktop").read_text()
    assert "Icon=communique\n" in entry
    assert (tmp_path / "xdg" / "icons/hicolor/scalable/apps/communique.svg").exists()
    assert (tmp_path / "xdg" / "metainfo/communique.metainfo.xml").exists()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_the_metainfo_is_valid_appstream():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(ROOT / "viewer/data/communique.metainfo.xml")],
        capture_output=True, text=True,
    )  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert errors == []
