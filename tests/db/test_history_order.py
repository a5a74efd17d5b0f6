"""Issue 9 item 7: a statement's history is ordered by when each text was first seen, whatever
order the sightings arrive in; the current version is the latest seen."""

import json
import random
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import Archive, SearchQuery, StatementInput, archive_id_for, schema
from db.importer import import_jsonl

from .conftest import FIXTURES

URL = "https://www.state.gov/x/"


def _sighting(text: str, seen: str) -> StatementInput:
    return StatementInput("us-state", URL, text, title=f"Title of {text[:8]}", seen_at=seen)


def _history(arc: Archive) -> list[tuple]:
    st_ = arc.get_statement(archive_id_for("us-state", URL))
    assert st_.version_count == len(st_.versions)
    assert [v.seq for v in st_.versions] == list(range(1, len(st_.versions) + 1))
    return [(v.seq, v.text, v.first_seen, v.last_seen) for v in st_.versions]


def test_final_text_first_then_the_earlier_versions(tmp_path, archive):
    """The issue's case: B imported first, then a record listing A (earlier) and B."""
    final = {"url": URL, "source": "us-state", "text": "B text.", "seen_at": "2022-01-02T00:00:00Z"}
    full = dict(final, versions=[{"text": "A text.", "seen_at": "2022-01-01T00:00:00Z"}])
    (tmp_path / "1.jsonl").write_text(json.dumps(final) + "\n")
    (tmp_path / "2.jsonl").write_text(json.dumps(full) + "\n")
    import_jsonl(archive, tmp_path / "1.jsonl")
    report = import_jsonl(archive, tmp_path / "2.jsonl")
    assert (report.new, report.versions, report.unchanged) == (0, 1, 1)
    assert _history(archive) == [
        (1, "A text.", "2022-01-01T00:00:00Z", "2022-01-01T00:00:00Z"),
        (2, "B text.", "2022-01-02T00:00:00Z", "2022-01-02T00:00:00Z"),
    ]
    st_ = archive.get_statement(archive_id_for("us-state", URL))
    assert st_.current.text == "B text."
    # Search finds the statement once, by its current text.
    result = archive.search(SearchQuery(text="text"))
    assert (result.total, [h.earlier_version for h in result.hits]) == (1, [None])
    assert [h.snippet for h in result.hits] == ["B ⟦text⟧."]


def _lines_per_version(path) -> list[str]:
    """Each version of each record of a real export as its own line (one sighting each)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for version in record.pop("versions", []):
            out.append(json.dumps(dict(record, **version, origin=None)))
    return out


def _histories(arc: Archive) -> dict:
    rows = arc.conn.execute(
        """SELECT s.archive_id, v.seq, v.text_sha256, v.first_seen, v.last_seen,
                  s.current_version_id = v.id
           FROM versions v JOIN statements s ON s.id = v.statement_id
           ORDER BY s.archive_id, v.seq"""
    ).fetchall()
    return [tuple(r) for r in rows]


def test_newest_first_import_gives_the_same_history_as_oldest_first(tmp_path):
    lines = _lines_per_version(FIXTURES / "edited.jsonl")
    assert len(lines) == 5
    orders = {
        "oldest": lines,
        "newest": sorted(lines, key=lambda line: json.loads(line)["seen_at"], reverse=True),
        "shuffled": random.Random(9).sample(lines, len(lines)),
    }
    histories = {}
    for name, ordered in orders.items():
        (tmp_path / f"{name}.jsonl").write_text("\n".join(ordered) + "\n")
        with Archive.open(tmp_path / name, create=True) as arc:
            report = import_jsonl(arc, tmp_path / f"{name}.jsonl")
            assert report.rejected == []
            histories[name] = _histories(arc)
            # Importing again, in another order, changes nothing.
            (tmp_path / "again.jsonl").write_text("\n".join(reversed(ordered)) + "\n")
            import_jsonl(arc, tmp_path / "again.jsonl")
            assert _histories(arc) == histories[name]
    assert histories["newest"] == histories["oldest"] == histories["shuffled"]
    assert [r[1] for r in histories["oldest"]] == [1, 2, 1, 2, 3]
    assert [r[5] for r in histories["oldest"]] == [0, 1, 0, 0, 1]  # current = latest seen


_TEXTS = ["Text A.", "Text B.", "Text C."]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_TEXTS), min_size=1, max_size=7),
    st.randoms(use_true_random=False),
)
def test_any_arrival_order_gives_the_history_of_the_oldest_first(tmp_path_factory, texts, rnd):
    """Sightings at distinct times, oldest first, newest first or shuffled: the same rows,
    times included (a late sighting splits a version exactly where it falls)."""
    sightings = [(text, f"2022-01-{day:02d}T00:00:00Z") for day, text in enumerate(texts, 1)]
    folder = tmp_path_factory.mktemp("order")
    shuffled = sightings[:]
    rnd.shuffle(shuffled)
    results = {}
    for name, order in (
        ("oldest", sightings),
        ("newest", sightings[::-1]),
        ("shuffled", shuffled),
    ):
        with Archive.open(folder / name, create=True) as arc:
            for text, seen in order:
                arc.add_statement(_sighting(text, seen))
            results[name] = _history(arc)
            current = arc.get_statement(archive_id_for("us-state", URL)).current
            assert current.text == texts[-1]
            assert current.last_seen == sightings[-1][1]
    assert results["newest"] == results["oldest"] == results["shuffled"]
    # The oldest-first history is the runs of equal texts, each from its first to last sighting.
    runs = []
    for text, seen in sightings:
        if runs and runs[-1][0] == text:
            runs[-1][2] = seen
        else:
            runs.append([text, seen, seen])
    assert [(seq, *run) for seq, run in enumerate(map(tuple, runs), 1)] == results["oldest"]


def test_migration_orders_existing_histories_by_first_seen(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "archive.sqlite", isolation_level=None)
    step = schema.MIGRATIONS.index(schema._m8_versions_by_first_seen)
    schema.migrate(conn, target=step)  # as the archive was before versions were ordered
    conn.execute("INSERT INTO sources (id, name) VALUES ('us-state', 'State')")
    conn.execute(
        """INSERT INTO statements (archive_id, source_id, key, url, title, first_seen, last_seen)
           VALUES ('us-state:1', 'us-state', 'k', 'u', 'T', '2022-01-01', '2022-01-02')"""
    )
    for seq, text, seen in (
        (1, "B", "2022-01-02"),
        (2, "A", "2022-01-01"),
        (3, "B2", "2022-01-03"),
    ):
        conn.execute(
            """INSERT INTO versions (statement_id, seq, text, text_sha256, first_seen, last_seen)
               VALUES (1, ?, ?, ?, ?, ?)""",
            (seq, text, text, seen, seen),
        )
    conn.execute("UPDATE statements SET current_version_id = 2, version_count = 3")
    conn.close()

    with Archive.open(folder) as arc:
        rows = arc.conn.execute("SELECT seq, text FROM versions ORDER BY seq").fetchall()
        assert [tuple(r) for r in rows] == [(1, "A"), (2, "B"), (3, "B2")]
        assert arc.get_statement("us-state:1").current.text == "B2"
        sightings = arc.conn.execute(
            "SELECT v.text, g.seen_at FROM sightings g JOIN versions v ON v.id = g.version_id "
            "ORDER BY g.seen_at"
        ).fetchall()
        assert [tuple(r) for r in sightings] == [
            ("A", "2022-01-01"), ("B", "2022-01-02"), ("B2", "2022-01-03")
        ]  # fmt: skip
        # Text stays immutable; only the place in the history may change.
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            arc.conn.execute("UPDATE versions SET text = 'x' WHERE seq = 1")


def test_a_known_record_seen_again_later_is_placed_by_its_time(archive):
    """Same text and origin as v1, but seen after v2: the current version is the latest seen."""
    first = StatementInput("us-state", URL, "A text.", origin="o", seen_at="2022-01-01T00:00:00Z")
    archive.add_statement(first)
    archive.add_statement(_sighting("B text.", "2022-01-02T00:00:00Z"))
    again = StatementInput("us-state", URL, "A text.", origin="o", seen_at="2022-01-03T00:00:00Z")
    assert archive.add_statement(again).status == "version"
    assert [(text, first_seen) for _, text, first_seen, _ in _history(archive)] == [
        ("A text.", "2022-01-01T00:00:00Z"),
        ("B text.", "2022-01-02T00:00:00Z"),
        ("A text.", "2022-01-03T00:00:00Z"),
    ]
    assert archive.get_statement(archive_id_for("us-state", URL)).current.text == "A text."


def test_a_note_stays_on_its_version_when_an_older_version_arrives(archive):
    archive.add_statement(_sighting("B text.", "2022-01-02T00:00:00Z"))
    rowid = archive.conn.execute("SELECT id FROM statements").fetchone()[0]
    archive.conn.execute(
        """INSERT INTO notes (statement_id, created_at, updated_at, body, uid, version_seq)
           VALUES (?, '2022-02-01', '2022-02-01', 'on B', 'n1', 1)""",
        (rowid,),
    )
    archive.add_statement(_sighting("A text.", "2022-01-01T00:00:00Z"))
    seq = archive.conn.execute("SELECT version_seq FROM notes WHERE uid = 'n1'").fetchone()[0]
    assert seq == 2
    assert _history(archive)[seq - 1][1] == "B text."
