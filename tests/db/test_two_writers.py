"""Issue 9 item 6: a second writer waits its turn (saying so) instead of failing with
"database is locked"; long imports checkpoint the WAL."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from db import Archive, StatementInput, importer
from db import archive as archive_module
from db.archive import ArchiveBusy

ROOT = Path(__file__).resolve().parents[2]
SAFETY = 120  # seconds: only to end a hung test, never a measurement


def _statement(n: int) -> StatementInput:
    return StatementInput("us-state", f"https://www.state.gov/{n}/", f"Text {n}.", title=f"T{n}")


def test_a_second_writer_waits_for_the_first_and_both_are_kept(tmp_path):
    first = Archive.open(tmp_path / "arc", create=True)
    messages, waiting, done, errors = [], threading.Event(), threading.Event(), []

    def second_writer():
        try:
            with Archive.open(tmp_path / "arc") as second:
                second.on_wait = lambda message: (messages.append(message), waiting.set())
                second.add_statement(_statement(2))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            done.set()

    with first.transaction():
        first.add_statement(_statement(1))
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert waiting.wait(SAFETY), "the second writer never said it was waiting"
        assert not done.is_set()  # still waiting while the first holds the archive
    thread.join(SAFETY)
    assert errors == []
    assert messages == [
        f"{first.db_file}: waiting for another writer (an import, scrape or update) to finish…"
    ]
    assert first.stats()["statements"] == 2
    first.close()


def test_a_waiting_writer_can_be_told_to_stop(tmp_path):
    first = Archive.open(tmp_path / "arc", create=True)
    with first.transaction():
        with Archive.open(tmp_path / "arc") as second:
            second.stop_waiting = lambda: True
            with pytest.raises(ArchiveBusy, match="another writer is still using it"):
                second.add_statement(_statement(2))
    first.close()


def test_cli_import_waits_for_a_writer_in_another_process(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"url": f"https://www.state.gov/{n}/", "source": "us-state", "text": "x"})
            for n in range(3)
        )
        + "\n"
    )
    holder = Archive.open(tmp_path / "arc", create=True)
    with holder.transaction():
        holder.add_statement(_statement(99))
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--archive", str(tmp_path / "arc"), "import",
             str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        first_line = proc.stderr.readline()  # blocks until the importer says it is waiting
        assert first_line == (
            f"communique: {holder.db_file}: waiting for another writer (an import, scrape or "
            "update) to finish…\n"
        )
    out, err = proc.communicate(timeout=SAFETY)
    assert proc.returncode == 0, err
    assert "3 new, 0 new versions, 0 unchanged, 0 rejected" in out
    assert "locked" not in err
    assert holder.stats()["statements"] == 4
    holder.close()


def test_a_long_import_checkpoints_the_wal(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 10)
    monkeypatch.setattr(archive_module, "CHECKPOINT_EVERY", 2)
    path = tmp_path / "many.jsonl"
    text = "A long enough paragraph to fill pages of the write-ahead log. " * 40
    path.write_text(
        "\n".join(
            json.dumps({"url": f"https://www.state.gov/{n}/", "source": "us-state", "text": text})
            for n in range(300)
        )
        + "\n"
    )
    calls = []
    with Archive.open(tmp_path / "arc", create=True) as arc:
        original = arc.checkpoint
        arc.checkpoint = lambda: (calls.append(1), original())[1]
        report = importer.import_jsonl(arc, path)
        assert report.new == 300
        assert len(calls) == 300 // 10 // 2 + 1  # every 2 batches, and once at the end
        wal = arc.db_file.with_name(arc.db_file.name + "-wal")
        assert wal.stat().st_size == 0  # truncated: nobody was reading
        assert arc.conn.execute("PRAGMA journal_size_limit").fetchone()[0] == (
            archive_module.WAL_LIMIT_BYTES
        )


def test_a_scrape_started_during_an_import_waits_and_archives_everything(tmp_path):
    """The issue's case: `scrape` while another process writes (and a reader is open)."""
    warc = ROOT / "tests" / "fixtures" / "scraper" / "fmprc-subset.warc.gz"
    holder = Archive.open(tmp_path / "arc", create=True)
    reader = Archive.open(tmp_path / "arc", readonly=True)
    reader.conn.execute("BEGIN")
    reader.conn.execute("SELECT COUNT(*) FROM statements").fetchone()  # a read snapshot held
    with holder.transaction():
        holder.add_statement(_statement(1))
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--archive", str(tmp_path / "arc"), "scrape",
             "--replay", str(warc), "cn-mfa-en", "--json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        said = []
        while not said or "waiting for another writer" not in said[-1]:
            line = proc.stderr.readline()
            assert line, f"the scrape ended without waiting: {said}"
            said.append(line)
    out, err = proc.communicate(timeout=SAFETY)
    reader.conn.execute("COMMIT")
    reader.close()
    assert proc.returncode == 0, "".join(said) + err
    assert "locked" not in "".join(said) + err
    (summary,) = json.loads(out)
    assert summary["new"] == 35
    assert holder.stats()["by_source"] == {"cn-mfa-en": 35, "us-state": 1}
    holder.close()
