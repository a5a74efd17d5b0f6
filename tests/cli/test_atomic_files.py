"""Issue 9 item 8: files the app writes appear whole or not at all (write beside, rename)."""

import errno
import gzip
import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db import Archive
from db.files import atomic_output, write_atomic
from db.importer import import_jsonl

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "db"


def _limit_file_size():
    """In the child: writes past 20 KB fail with EFBIG, as on a full disk (SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def _export(folder: Path, target: Path, *, limited: bool) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--archive", str(folder), "export", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size if limited else None,
        timeout=300,
    )


@pytest.fixture
def loaded_folder(tmp_path):
    with Archive.open(tmp_path / "arc", create=True) as arc:
        assert import_jsonl(arc, FIXTURES / "corpus-sample.jsonl.gz").rejected == []
    return tmp_path / "arc"


@pytest.mark.parametrize("name", ["all.jsonl", "all.jsonl.gz"])
def test_an_export_that_fails_part_way_leaves_no_file(loaded_folder, tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    proc = _export(loaded_folder, target, limited=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"communique: {target}: cannot write (File too large)")
    assert "Traceback" not in proc.stderr
    assert list(out.iterdir()) == []  # neither a truncated file nor a temporary one


def test_a_failed_export_keeps_the_previous_file(loaded_folder, tmp_path):
    target = tmp_path / "all.jsonl"
    target.write_text("the previous export\n")
    proc = _export(loaded_folder, target, limited=True)
    assert proc.returncode == 2
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl", "arc"]


def test_a_whole_export_is_renamed_into_place_and_reads_back(loaded_folder, tmp_path):
    target = tmp_path / "all.jsonl.gz"
    proc = _export(loaded_folder, target, limited=False)
    assert proc.returncode == 0, proc.stderr
    with gzip.open(target, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    assert len(records) == 66
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl.gz", "arc"]


def test_atomic_output_removes_its_temporary_file_on_any_error(tmp_path):
    target = tmp_path / "x.html"

    def half_then_disk_full():
        with atomic_output(target) as fh:
            fh.write(b"<html>half")
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        half_then_disk_full()
    assert list(tmp_path.iterdir()) == []
    write_atomic(target, "<html>whole</html>")
    assert target.read_text() == "<html>whole</html>"
    assert list(tmp_path.iterdir()) == [target]
