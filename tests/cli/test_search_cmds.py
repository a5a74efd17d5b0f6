"""search explains itself; reindex; datasette preparation; unknown filter values."""

import json
import shutil
import sqlite3
from pathlib import Path

from cli import main

from .test_archive_cmds import arc  # noqa: F401  (the fixture)


def _run(capsys, argv):
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_search_json_says_how_the_query_was_read(arc, capsys):  # noqa: F811
    status, out, _ = _run(capsys, ["--archive", arc, "search", "Ukraine AND NOT", "--json"])
    assert status == 0
    data = json.loads(out)
    assert data["searched_as"] == "searched as words: Ukraine AND NOT"
    status, out, _ = _run(capsys, ["--archive", arc, "search", "Bradenburg", "--json"])
    data = json.loads(out)
    assert data["searched_as"] is None
    assert [r["earlier_version"] for r in data["results"]] == [1]
    status, out, _ = _run(capsys, ["--archive", arc, "search", "Ukraine AND NOT"])
    assert out.splitlines()[0] == "searched as words: Ukraine AND NOT"


def test_unknown_filter_value_is_one_line_naming_the_known(arc, capsys):  # noqa: F811
    status, out, err = _run(capsys, ["--archive", arc, "search", "x", "--source", "us-whitehous"])
    assert status == 2
    assert err.startswith("communique: unknown source 'us-whitehous'; did you mean: us-whitehouse")
    assert len(err.strip().splitlines()) == 1
    status, out, _ = _run(
        capsys, ["--archive", arc, "search", "", "--source", "US-STATE", "--json"]
    )
    assert status == 0
    assert json.loads(out)["total"] == 15


def test_reindex_and_a_deleted_index_rebuilt_by_search(arc, capsys):  # noqa: F811
    status, out, _ = _run(capsys, ["--archive", arc, "reindex"])
    assert status == 0
    assert out.startswith("search index rebuilt: ")
    before = json.loads(_run(capsys, ["--archive", arc, "search", "nuclear", "--json"])[1])
    shutil.rmtree(Path(arc) / "search-index")
    status, out, err = _run(capsys, ["--archive", arc, "search", "nuclear", "--json"])
    assert status == 0
    assert "rebuilding the search index" in err
    assert json.loads(out)["results"] == before["results"]


def test_datasette_preparation(arc, capsys):  # noqa: F811
    status, out, _ = _run(capsys, ["--archive", arc, "datasette"])
    assert status == 0
    meta = json.loads((Path(arc) / "datasette-metadata.json").read_text())
    table = meta["databases"]["archive"]["tables"]["statements_search"]
    assert table["fts_table"] == "statement_fts"
    conn = sqlite3.connect(Path(arc) / "archive.sqlite")
    # The query Datasette runs for ?_search= on a table with fts_table / fts_pk set:
    rows = conn.execute(
        f"SELECT title FROM statements_search WHERE {table['fts_pk']} IN "
        f"(SELECT rowid FROM {table['fts_table']} WHERE {table['fts_table']} MATCH ?)",
        ("Brandenburg",),
    ).fetchall()
    assert rows == [("President Biden Announces 17 Key Nominations",)]
