"""Related statements across governments and languages, on real Kremlin and White House texts."""

import json
from pathlib import Path

import pytest

from cli import main
from compare import related as rel
from db import StatementInput
from db.importer import import_jsonl

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "related" / "statements.jsonl"
READOUT_URL = "http://kremlin.ru/events/president/news/76477"
RUBIO_TITLE = "Statement from Secretary Rubio and NSC Waltz on Call with Zelenskyy"


def _id(archive, url):
    return archive.conn.execute(
        "SELECT archive_id FROM statements WHERE url = ?", (url,)
    ).fetchone()[0]


@pytest.fixture
def indexed(archive):
    import_jsonl(archive, FIXTURE)
    assert rel.index_pending(archive) == 11
    return archive


def test_the_russian_readout_finds_the_english_statement_on_the_same_call(indexed):
    items = rel.related(indexed.conn, _id(indexed, READOUT_URL), limit=10)
    titles = [r.title for r in items]
    assert RUBIO_TITLE in titles[:3]
    rubio = items[titles.index(RUBIO_TITLE)]
    assert {"person:putin", "person:trump", "country:UA", "place:kursk", "place:black-sea"} <= set(
        rubio.shared
    )
    assert rubio.reasons[-1] == "1 day later"
    assert "Putin" in rubio.reasons[0]
    assert "Kursk" in rubio.reasons[0]
    assert all(r.source_id != "ru-kremlin" for r in items)  # other sources only
    assert all(r.other_government for r in items)
    # Unrelated statements of the same days are not listed.
    assert "National Agriculture Day, 2025" not in titles
    assert "Presidential Message on Nowruz, 2025" not in titles


def test_the_window_is_adjustable(indexed):
    readout = _id(indexed, READOUT_URL)
    wide = {r.title for r in rel.related(indexed.conn, readout, days=7)}
    narrow = {r.title for r in rel.related(indexed.conn, readout, days=2)}
    assert any("Black Sea" in t for t in wide)  # a week later
    assert not any("Black Sea" in t for t in narrow)
    assert RUBIO_TITLE in narrow


def test_other_governments_come_before_the_same_government(indexed):
    # The Rubio statement's text again, under a second (hypothetical) US source, and the
    # Kremlin readout's text under a second Russian source: both are related to the readout.
    st = indexed.get_statement(_id(indexed, READOUT_URL))
    rubio = indexed.get_statement(
        indexed.conn.execute(
            "SELECT archive_id FROM statements WHERE title = ?", (RUBIO_TITLE,)
        ).fetchone()[0]
    )
    indexed.add_statement(
        StatementInput(
            source_id="ru-test",
            url="https://example.org/1",
            text=st.current.text,
            title=st.title,
            published="2025-03-18T21:00:00+03:00",
            language="ru",
            country="RU",
        )
    )
    rel.index_pending(indexed)
    items = rel.related(indexed.conn, _id(indexed, READOUT_URL), limit=20)
    sources = [r.source_id for r in items]
    assert "ru-test" in sources  # the same text scores highest of all…
    assert max(items, key=lambda r: r.score).source_id == "ru-test"
    assert sources[-1] == "ru-test"  # …but the same government comes after the others
    assert rubio.archive_id in [r.archive_id for r in items]


def test_indexing_is_once_per_version_and_resumes(indexed):
    assert rel.pending_count(indexed.conn) == 0
    assert rel.index_pending(indexed) == 0
    postings = indexed.conn.execute("SELECT COUNT(*) FROM entity_postings").fetchone()[0]
    assert postings > 11 * 10


def test_cli_related_json(tmp_path, capsys):
    path = str(tmp_path / "arc")
    assert main(["--archive", path, "import", str(FIXTURE)]) == 0
    capsys.readouterr()
    from db import Archive

    with Archive.open(path) as archive:
        readout = _id(archive, READOUT_URL)
        # the import indexed everything already
        assert rel.pending_count(archive.conn) == 0
    assert main(["--archive", path, "related", readout, "--json", "--limit", "5"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) <= 5
    assert set(items[0]) >= {"id", "source", "published", "title", "score", "reasons"}
    assert RUBIO_TITLE in [i["title"] for i in items]
    assert main(["--archive", path, "related", "ru-kremlin:000000000000"]) == 1
    assert "no such statement" in capsys.readouterr().err


def test_a_broken_alias_file_does_not_break_import(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "aliases.json"
    bad.write_text("{", encoding="utf-8")
    monkeypatch.setenv("COMMUNIQUE_ALIASES", str(bad))
    path = str(tmp_path / "arc")
    assert main(["--archive", path, "import", str(FIXTURE)]) == 0
    err = capsys.readouterr().err
    assert "aliases.json:1: not valid JSON" in err
    assert "the entity index was not updated" in err
    assert main(["--archive", path, "related", "ru-kremlin:95c150dfc3f5"]) == 2
    assert "aliases.json:1: not valid JSON" in capsys.readouterr().err
    monkeypatch.delenv("COMMUNIQUE_ALIASES")
    assert main(["--archive", path, "related", "ru-kremlin:95c150dfc3f5", "--json"]) == 0
    assert RUBIO_TITLE in [i["title"] for i in json.loads(capsys.readouterr().out)]


def test_indexing_can_go_in_slices(archive):
    import_jsonl(archive, FIXTURE)
    assert rel.index_pending(archive, limit=1) == 11  # whole batches of 500: all 11 here
    assert rel.pending_count(archive.conn) == 0
