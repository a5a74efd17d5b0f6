"""The command line: JSON shapes, exit codes, one-line errors without tracebacks."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "db"


@pytest.fixture
def arc(tmp_path, capsys):
    path = tmp_path / "arc"
    assert (
        main(
            [
                "--archive",
                str(path),
                "import",
                str(FIXTURES / "corpus-sample.jsonl.gz"),
                str(FIXTURES / "edited.jsonl"),
                str(FIXTURES / "languages.jsonl"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    return str(path)


def _json(capsys, argv):
    status = main(argv)
    out = capsys.readouterr().out
    assert status == 0
    return json.loads(out)


def test_search_json_shape(arc, capsys):
    data = _json(capsys, ["--archive", arc, "search", "Brandenburg", "--json"])
    assert data["total"] == 1
    assert data["total_exact"] is True
    (hit,) = data["results"]
    assert set(hit) == {
        "id",
        "url",
        "source",
        "title",
        "published",
        "language",
        "kind",
        "snippet",
        "score",
        "tags",
    }
    assert hit["title"] == "President Biden Announces 17 Key Nominations"
    assert hit["source"] == "us-whitehouse"
    assert hit["id"].startswith("us-whitehouse:")
    assert "⟦Brandenburg⟧" in hit["snippet"]
    assert set(data["facets"]) == {
        *("source", "country", "language", "kind", "speaker", "year"),
        *("tag", "collection"),
    }
    assert data["facets"]["source"] == {"us-whitehouse": 1}


def test_search_filters_on_the_command_line(arc, capsys):
    data = _json(
        capsys, ["search", "", "--archive", arc, "--source", "ru-kremlin", "--limit", "3", "--json"]
    )
    assert data["total"] == 10
    assert len(data["results"]) == 3
    assert all(r["source"] == "ru-kremlin" for r in data["results"])
    data = _json(capsys, ["--archive", arc, "search", "", "--country", "fr", "--json"])
    assert data["total"] == 2
    data = _json(
        capsys,
        [
            "--archive",
            arc,
            "search",
            "",
            "--since",
            "2022-10-01",
            "--until",
            "2022-10-31",
            "--kind",
            "statement",
            "--json",
        ],
    )
    assert data["total"] > 0
    assert all(
        r["kind"] == "statement" and r["published"].startswith("2022-10") for r in data["results"]
    )


def test_show_json_has_every_version(arc, capsys):
    found = _json(capsys, ["--archive", arc, "search", "Brandenburg", "--json"])
    data = _json(capsys, ["--archive", arc, "show", found["results"][0]["id"], "--json"])
    assert [v["seq"] for v in data["versions"]] == [1, 2, 3]
    assert data["text"] == data["versions"][-1]["text"]
    assert "Bradenburg" in data["versions"][0]["text"]
    assert data["url"].startswith("https://www.whitehouse.gov/briefing-room/")
    assert data["published"] == data["published_raw"]
    assert data["published"].endswith("+00:00")
    assert len(data["versions"][0]["sha256"]) == 64


def test_published_keeps_the_source_offset(arc, capsys):
    data = _json(capsys, ["--archive", arc, "search", "پهپاد", "--json"])
    assert data["results"][0]["published"] == "2022-11-02T10:15:00+03:30"


def test_stats_json(arc, capsys):
    data = _json(capsys, ["--archive", arc, "stats", "--json"])
    assert data["statements"] == 71
    assert data["versions"] == 74
    assert data["by_source"]["ru-kremlin"] == 10
    assert data["by_language"] == {"en": 58, "fa": 1, "fr": 1, "ru": 10, "zh": 1}


def test_import_with_bad_lines_exits_1_and_keeps_good(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    good = (FIXTURES / "languages.jsonl").read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([good[0], "{oops", good[1]]) + "\n", encoding="utf-8")
    status = main(["--archive", str(tmp_path / "a"), "import", str(bad)])
    captured = capsys.readouterr()
    assert status == 1
    assert (
        captured.err.strip() == f"communique: {bad}:2: not valid JSON "
        "(JSON is malformed: object keys must be strings (byte 1))"
    )
    assert "2 new" in captured.out
    assert main(["--archive", str(tmp_path / "a"), "import", str(bad)]) == 1
    assert "0 new, 0 new versions, 2 unchanged" in capsys.readouterr().out


def test_show_unknown_id(arc, capsys):
    assert main(["--archive", arc, "show", "us-state:000000000000"]) == 1
    assert (
        capsys.readouterr().err == "communique: us-state:000000000000: no such statement "
        "in the archive\n"
    )


def _run(*argv, **env):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize("kind", ["missing", "not-sqlite", "other-sqlite", "newer"])
def test_bad_archives_give_one_line_and_leave_the_file(tmp_path, kind):
    path = tmp_path / "archive.sqlite"
    if kind == "not-sqlite":
        path.write_text("plain text")
    elif kind == "other-sqlite":
        sqlite3.connect(path).execute("CREATE TABLE x (y)").connection.commit()
    elif kind == "newer":
        main(["--archive", str(path), "import", str(FIXTURES / "languages.jsonl")])
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    before = path.read_bytes() if path.exists() else None
    result = _run("--archive", str(path), "stats")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"communique: {path}: ")
    assert (path.read_bytes() if path.exists() else None) == before


def test_import_missing_file(tmp_path):
    result = _run("--archive", str(tmp_path / "a"), "import", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2
    assert result.stderr == f"communique: {tmp_path / 'nope.jsonl'}: no such file\n"


def test_default_archive_is_seeded_from_the_sample(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("COMMUNIQUE_ARCHIVE", raising=False)
    data = _json(capsys, ["stats", "--json"])
    assert data["statements"] > 2500
    assert data["versions"] > data["statements"]
    assert set(data["by_source"]) == {
        "us-whitehouse",
        "us-state",
        "un-general-debate",
        "ru-kremlin",
        "ru-mfa",
        "cn-mfa-en",
        "cn-mfa-zh",
        "ru-kremlin-en",
        "ru-mfa-en",
        "ua-president-en",
    }
    assert set(data["by_language"]) == {"en", "ru", "zh"}
    assert (tmp_path / "xdg" / "communique" / "archive" / "archive.sqlite").exists()


def test_environment_variable_names_the_archive(arc, monkeypatch, capsys):
    monkeypatch.setenv("COMMUNIQUE_ARCHIVE", arc)
    assert _json(capsys, ["stats", "--json"])["statements"] == 71


def test_export_then_import_rebuilds_the_same_archive(arc, tmp_path, capsys):
    out = tmp_path / "all.jsonl.gz"
    assert main(["--archive", arc, "export", str(out)]) == 0
    assert capsys.readouterr().err == f"{out}: 71 statements exported\n"
    copy = str(tmp_path / "copy")
    assert main(["--archive", copy, "import", str(out)]) == 0
    capsys.readouterr()
    assert _json(capsys, ["--archive", copy, "stats", "--json"]) == _json(
        capsys, ["--archive", arc, "stats", "--json"]
    )
    found = _json(capsys, ["--archive", arc, "search", "Brandenburg", "--json"])
    sid = found["results"][0]["id"]
    original = _json(capsys, ["--archive", arc, "show", sid, "--json"])
    copied = _json(capsys, ["--archive", copy, "show", sid, "--json"])  # same citable id
    assert [v["text"] for v in copied["versions"]] == [v["text"] for v in original["versions"]]
    assert [v["first_seen"] for v in copied["versions"]] == [
        v["first_seen"] for v in original["versions"]
    ]


def test_export_with_filters_to_stdout(arc, capsys):
    assert main(["--archive", arc, "export", "-", "--source", "ru-kremlin"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    assert {json.loads(line)["source"] for line in lines} == {"ru-kremlin"}


def test_export_keeps_the_source_s_own_date_string(tmp_path, capsys):
    from db import Archive, StatementInput

    folder = tmp_path / "a"
    with Archive.open(folder, create=True) as archive:
        archive.add_statement(
            StatementInput(
                "cn-mfa-en",
                "https://www.fmprc.gov.cn/x",
                "Text.",
                published="May 16, 2018",
                published_iso="2018-05-16",
            )
        )
    out = tmp_path / "e.jsonl"
    assert main(["--archive", str(folder), "export", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert (record["published"], record["published_raw"]) == ("2018-05-16", "May 16, 2018")
    assert main(["--archive", str(tmp_path / "b"), "import", str(out)]) == 0
    capsys.readouterr()
    shown = _json(capsys, ["--archive", str(tmp_path / "b"), "search", "", "--json"])
    assert shown["results"][0]["published"] == "2018-05-16"


def test_every_line_of_the_bundled_sample_imports(tmp_path, capsys):
    samples = sorted(str(p) for p in (ROOT / "db" / "sample").glob("*.jsonl.gz"))
    assert len(samples) == 10
    assert main(["--archive", str(tmp_path / "s"), "import", *samples]) == 0
    assert capsys.readouterr().err == ""
