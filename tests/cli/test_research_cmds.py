"""The research commands' outputs and JSON shapes: saved, collection, note, tag."""

from __future__ import annotations

import json

import pytest

from cli import main
from db import Archive, SearchQuery
from tests.cli.conftest import EDITED
from tests.conftest import FIXTURES

LANGUAGES = FIXTURES / "db" / "languages.jsonl"


@pytest.fixture
def arc(tmp_path, capsys):
    folder = str(tmp_path / "arc")
    assert main(["--archive", folder, "import", str(EDITED), str(LANGUAGES)]) == 0
    capsys.readouterr()
    return folder


def _out(capsys, *argv) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _ids(folder) -> list[str]:
    with Archive.open(folder, readonly=True) as archive:
        return [h.archive_id for h in archive.search(SearchQuery(limit=3, order="date")).hits]


def test_saved_search_add_list_run(arc, capsys):
    a = ["--archive", arc]
    assert _out(capsys, *a, "saved", "add", "macron", "Macron", "--source", "us-whitehouse") == (
        "saved search 'macron'\n"
    )
    (saved,) = json.loads(_out(capsys, *a, "saved", "list", "--json"))
    assert saved["name"] == "macron"
    assert saved["query"] == "Macron"
    assert saved["filters"] == {"source": ["us-whitehouse"]}
    assert saved["new"] == 0
    with Archive.open(arc) as archive:  # as if last opened long ago
        archive.conn.execute("UPDATE saved_searches SET last_opened_at = '2000-01-01T00:00:00Z'")
    run = json.loads(_out(capsys, *a, "saved", "run", "macron", "--json"))
    assert run["total"] >= 1
    assert run["new"] == run["total"]
    assert all(r["new"] for r in run["results"])
    assert json.loads(_out(capsys, *a, "saved", "list", "--json"))[0]["new"] == 0
    assert main([*a, "saved", "run", "nothing"]) == 1
    assert capsys.readouterr().err == "communique: no saved search named 'nothing'\n"
    assert main([*a, "saved", "add", "bad", "x", "--since", "June"]) == 2
    assert capsys.readouterr().err.startswith("communique: ")


def test_collection_show_remove_delete(arc, capsys):
    a = ["--archive", arc]
    ids = _ids(arc)
    assert _out(capsys, *a, "collection", "add", "Ch 2", *ids) == "Ch 2: 3 added, 0 already in it\n"
    assert json.loads(_out(capsys, *a, "collection", "show", "Ch 2", "--json")) == ids
    assert _out(capsys, *a, "collection", "remove", "Ch 2", ids[1]) == "Ch 2: 1 removed\n"
    assert _out(capsys, *a, "collection", "show", "Ch 2") == f"{ids[0]}\n{ids[2]}\n"
    out = _out(capsys, *a, "collection", "delete", "Ch 2")
    assert out == "Ch 2: deleted (2 statements were in it; they stay archived)\n"
    assert json.loads(_out(capsys, *a, "collection", "list", "--json")) == []
    assert main([*a, "collection", "show", "Ch 2"]) == 1
    assert capsys.readouterr().err == "communique: no collection named 'Ch 2'\n"


def test_note_and_tag_round(arc, capsys):
    a = ["--archive", arc]
    sid = _ids(arc)[0]
    note = json.loads(_out(capsys, *a, "note", "add", sid, "Look again", "--json"))
    assert note["archive_id"] == sid
    assert note["body"] == "Look again"
    listed = json.loads(_out(capsys, *a, "note", "list", sid, "--search", "AGAIN", "--json"))
    assert [n["id"] for n in listed] == [note["id"]]
    assert json.loads(_out(capsys, *a, "note", "list", "--search", "nowhere", "--json")) == []
    assert (
        _out(capsys, *a, "note", "delete", note["id"]) == f"note {note['id']} deleted from {sid}\n"
    )
    assert main([*a, "note", "add", sid, "x", "--quote", "words found nowhere at all"]) == 1
    assert "the passage is not in this version's text" in capsys.readouterr().err

    assert _out(capsys, *a, "tag", "add", sid, "a", "b").startswith(f"{sid}: 2 tag(s) added")
    assert {"a", "b"} <= set(json.loads(_out(capsys, *a, "tag", "list", sid, "--json")))
    assert _out(capsys, *a, "tag", "remove", sid, "a").startswith(f"{sid}: 1 tag(s) removed")
    counts = json.loads(_out(capsys, *a, "tag", "list", "--json"))
    assert counts["b"] == 1
    assert "a" not in counts


def test_rename_a_tag_and_a_collection(arc, capsys):
    a = ["--archive", arc]
    first, second, _third = _ids(arc)
    _out(capsys, *a, "tag", "add", first, "draft")
    _out(capsys, *a, "tag", "add", second, "draft", "final")
    assert _out(capsys, *a, "tag", "rename", "draft", "final") == (
        "tag 'draft' is now 'final' (2 statements)\n"
    )
    counts = json.loads(_out(capsys, *a, "tag", "list", "--json"))
    assert counts["final"] == 2  # merged: the statement that had both counts once
    assert "draft" not in counts
    _out(capsys, *a, "collection", "add", "Ch 2", first)
    _out(capsys, *a, "collection", "add", "Ch 3", second)
    assert main([*a, "collection", "rename", "Ch 2", "Ch 3"]) == 1
    assert capsys.readouterr().err == "communique: there is already a collection named 'Ch 3'\n"
    assert _out(capsys, *a, "collection", "rename", "Ch 2", "Chapter 2") == (
        "collection 'Ch 2' is now 'Chapter 2'\n"
    )
    assert json.loads(_out(capsys, *a, "collection", "show", "Chapter 2", "--json")) == [first]
