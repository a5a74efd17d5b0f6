"""A researcher's library: tags, collections, anchored notes, saved searches; undo data; and
everything travelling through export and import into a fresh archive with the same ids."""

from __future__ import annotations

import json

import pytest

from cli import main
from db import Archive, SearchQuery, library
from db.export import export_records
from db.importer import import_jsonl
from tests.conftest import FIXTURES

EDITED = FIXTURES / "db" / "edited.jsonl"
CORPUS = FIXTURES / "db" / "corpus-sample.jsonl.gz"


@pytest.fixture
def arc(archive):
    import_jsonl(archive, EDITED)
    import_jsonl(archive, CORPUS)
    return archive


def _edited(arc) -> tuple[str, object]:
    """The first edited statement of the fixture (two versions or more) and its record."""
    record = json.loads(EDITED.read_text(encoding="utf-8").splitlines()[0])
    sid = arc.find_statement(record["source"], record["guid"])
    return sid, arc.get_statement(sid)


def test_tags_filter_and_facet(arc):
    sid, _ = _edited(arc)
    other = arc.search(SearchQuery(limit=2, order="date")).hits[-1].archive_id
    assert library.add_tags(arc, sid, ["to read", "macron"]) == ["to read", "macron"]
    assert library.add_tags(arc, sid, ["macron"]) == []  # already set
    library.add_tags(arc, other, ["to read"])
    assert arc.get_statement(sid).tags[-2:] == ("macron", "to read")
    both = arc.search(SearchQuery(tags=["to read", "macron"]))
    assert [h.archive_id for h in both.hits] == [sid]
    assert arc.search(SearchQuery(tags=["to read"])).total == 2
    facets = library.library_facets(arc.conn, SearchQuery(tags=["macron"]))
    assert facets["tag"]["to read"] == 2  # the tag filter does not hide other tags' counts
    assert facets["tag"]["macron"] == 1
    assert library.remove_tags(arc, sid, ["macron", "never set"]) == ["macron"]
    assert arc.search(SearchQuery(tags=["macron"])).total == 0


def test_collections_hold_statements_in_several_lists(arc):
    sid, _ = _edited(arc)
    ids = [h.archive_id for h in arc.search(SearchQuery(limit=3, order="date")).hits]
    assert library.add_to_collection(arc, "Chapter 2", ids) == ids
    assert library.add_to_collection(arc, "Chapter 2", ids[:1]) == []
    library.add_to_collection(arc, "Macron visit", [sid, ids[0]])
    assert library.collections_of(arc, ids[0]) == ["Chapter 2", "Macron visit"]
    assert {c["name"]: c["count"] for c in library.list_collections(arc)} == {
        "Chapter 2": 3,
        "Macron visit": 2,
    }
    found = arc.search(SearchQuery(collections=["Macron visit"]))
    assert sorted(h.archive_id for h in found.hits) == sorted({sid, ids[0]})
    removed = library.remove_from_collection(arc, "Chapter 2", [ids[1]])
    assert [r[0] for r in removed] == [ids[1]]
    assert library.collection_members(arc, "Chapter 2") == [ids[0], ids[2]]
    with pytest.raises(library.LibraryError, match="no such statement"):
        library.add_to_collection(arc, "Chapter 2", ["us-state:000000000000"])
    assert library.collection_members(arc, "Chapter 2") == [ids[0], ids[2]]  # nothing half-done


def test_a_note_on_a_passage_follows_it_into_later_versions(arc):
    sid, st = _edited(arc)
    first, last = st.versions[0], st.versions[-1]
    passage = next(
        p for p in first.text.split("\n") if len(p) > 40 and p in last.text and p in first.text
    )
    note = library.add_note(arc, f"{sid}@{first.seq}", "The key sentence", quote=passage)
    assert note.version == first.seq
    assert first.text[note.start : note.end] == passage
    assert library.anchor(note, first.text, first.seq) == (note.start, note.end)
    start, end = library.anchor(note, last.text, last.seq)
    assert last.text[start:end] == passage  # still shown in the later version
    assert library.anchor(note, "A text without it.", 99) is None
    with pytest.raises(library.LibraryError, match="not in this version"):
        library.add_note(arc, sid, "x", quote="words that are nowhere in the statement")
    plain = library.add_note(arc, sid, "Whole statement: check the date")
    assert plain.quote is None
    assert [n.id for n in library.notes_of(arc, sid)] == [note.id, plain.id]
    assert [n.id for n in library.search_notes(arc, "KEY sentence")] == [note.id]
    removed = library.delete_note(arc, note.id)
    assert removed == note
    assert [n.id for n in library.notes_of(arc, sid)] == [plain.id]
    assert library.restore_note(arc, removed) is True  # undo: the same note comes back
    assert sorted(library.notes_of(arc, sid), key=lambda n: n.id) == sorted(
        [note, plain], key=lambda n: n.id
    )


def test_saved_search_counts_new_matches_since_last_opened(arc):
    saved = library.save_search(arc, "Macron", SearchQuery(text="Macron"))
    assert saved.new == 0
    before = arc.search(SearchQuery(text="Macron")).total
    arc.conn.execute("UPDATE saved_searches SET last_opened_at = '2000-01-01T00:00:00Z'")
    assert library.get_saved(arc, "Macron").new == before  # everything is new since 2000
    opened = library.open_saved(arc, "Macron")
    assert opened.new == before  # the count the researcher sees when opening it
    assert library.get_saved(arc, "Macron").new == 0  # …and then it is reset


def test_everything_travels_through_export_and_import(arc, tmp_path):
    sid, st = _edited(arc)
    library.add_tags(arc, sid, ["to read"])
    library.add_to_collection(arc, "Chapter 2", [sid])
    passage = st.versions[0].text.split("\n")[0]
    note = library.add_note(arc, f"{sid}@1", "Opening line", quote=passage)
    out = tmp_path / "all.jsonl"
    records = list(export_records(arc))
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    record = next(r for r in records if r["id"] == sid)
    assert record["published_utc"] == st.published_utc
    assert [v["origin"] for v in record["versions"]] == [v.origin for v in st.versions[:-1]]
    assert record["origin"] == st.current.origin

    with Archive.open(tmp_path / "fresh", create=True) as fresh:
        report = import_jsonl(fresh, out)
        assert report.rejected == []
        copy = fresh.get_statement(sid)
        assert copy is not None  # the same archive id
        assert [v.origin for v in copy.versions] == [v.origin for v in st.versions]
        assert [v.first_seen for v in copy.versions] == [v.first_seen for v in st.versions]
        assert "to read" in copy.tags
        assert library.collection_members(fresh, "Chapter 2") == [sid]
        assert library.notes_of(fresh, sid) == [note]
        again = import_jsonl(fresh, out)  # importing twice adds nothing
        assert again.new == again.versions == 0
        assert len(library.notes_of(fresh, sid)) == 1


def test_import_rejects_a_record_whose_id_does_not_match(tmp_path, archive, capsys):
    good = json.loads(EDITED.read_text(encoding="utf-8").splitlines()[0])
    bad = dict(good, id="us-whitehouse:000000000000")
    notes = dict(good, notes=[{"body": "no id"}])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(bad) + "\n" + json.dumps(notes) + "\n", encoding="utf-8")
    report = import_jsonl(archive, path)
    assert len(report.rejected) == 2
    assert report.rejected[0].startswith(f"{path}:1: 'id' 'us-whitehouse:000000000000' is not")
    assert report.rejected[1] == f"{path}:2: Object missing required field `id` - at `$.notes[0]`"
    assert archive.stats()["statements"] == 0


def test_cli_tag_collection_note_round(tmp_path, capsys):
    folder = str(tmp_path / "arc")
    assert main(["--archive", folder, "import", str(EDITED)]) == 0
    with Archive.open(folder, readonly=True) as a:
        sid, _ = _edited(a)
    run = [("tag", "add", sid, "to read"), ("collection", "add", "Ch 2", sid)]
    run += [("note", "add", sid, "Remember this")]
    for argv in run:
        assert main(["--archive", folder, *argv]) == 0
    capsys.readouterr()
    assert main(["--archive", folder, "collection", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["name"], row["count"]) == ("Ch 2", 1)
    assert main(["--archive", folder, "search", "", "--collection", "Ch 2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in data["results"]] == [sid]
    assert data["facets"]["tag"]["to read"] == 1
    assert main(["--archive", folder, "show", sid, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [n["body"] for n in shown["notes"]] == ["Remember this"]
    assert main(["--archive", folder, "tag", "add", "us-state:000000000000", "x"]) == 1
    assert capsys.readouterr().err == (
        "communique: us-state:000000000000: no such statement in the archive\n"
    )


def test_a_passage_is_found_across_paragraphs_spacing_and_quote_marks():
    text = "He said: “We will not.”\n\nA: Your question has two parts. The first is clear."
    # As a reader selection arrives: one newline between paragraphs, straight quotes, a ZWSP.
    quote = 'said: "We will not."\nA:\u200b Your  question'
    start, end = library._find(text, quote)
    assert text[start:end] == "said: “We will not.”\n\nA: Your question"
    assert library._find(text, "two parts. The first") == (46, 66)
    assert library._find(text, "three parts") is None
