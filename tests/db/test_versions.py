"""Versions: noise is not a change, a changed text is a new version, nothing stored is altered."""

import sqlite3

import pytest

from db import StatementInput
from db.datasette import prepare


def _statement(text, **kw):
    return StatementInput(
        source_id="us-state", url="https://www.state.gov/x/", text=text, title="Statement", **kw
    )


def test_noise_only_changes_add_nothing_but_a_sighting(archive):
    first = archive.add_statement(
        _statement("The “United States” condemns it.", seen_at="2022-11-01T10:00:00Z")
    )
    again = archive.add_statement(
        _statement('The "United  States"\u00a0condemns it.\n', seen_at="2022-11-02T10:00:00Z")
    )
    assert first.status == "new"
    assert again.status == "unchanged"
    st = archive.get_statement(first.archive_id)
    assert st.version_count == 1
    assert st.versions[0].text == "The “United States” condemns it."  # exact, not normalised
    assert st.versions[0].first_seen == "2022-11-01T10:00:00Z"
    assert st.versions[0].last_seen == "2022-11-02T10:00:00Z"
    assert st.last_seen == "2022-11-02T10:00:00Z"


def test_changed_text_adds_a_version_and_keeps_all(archive):
    texts = ["Version A of the text.", "Version B of the text.", "Version A of the text."]
    results = [
        archive.add_statement(_statement(t, seen_at=f"2022-11-0{i}T00:00:00Z"))
        for i, t in enumerate(texts, 1)
    ]
    assert [r.status for r in results] == ["new", "version", "version"]  # a revert is an edit
    st = archive.get_statement(results[0].archive_id)
    assert [v.text for v in st.versions] == texts
    assert [v.seq for v in st.versions] == [1, 2, 3]
    assert st.current.text == "Version A of the text."
    assert st.versions[0].sha256 == st.versions[2].sha256 != st.versions[1].sha256


def test_versions_are_immutable(archive):
    result = archive.add_statement(_statement("Original words."))
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        archive.conn.execute("UPDATE versions SET text = 'rewritten'")
    assert archive.get_statement(result.archive_id).current.text == "Original words."


def test_same_guid_new_link_is_the_same_statement(archive):
    a = archive.add_statement(
        StatementInput(
            "us-state", "https://www.state.gov/old-slug/", "Text.", key="https://www.state.gov/?p=1"
        )
    )
    b = archive.add_statement(
        StatementInput(
            "us-state",
            "https://www.state.gov/new-slug/",
            "Text.",
            key="https://www.state.gov/?p=1",
            seen_at="2999-01-01T00:00:00Z",
        )
    )
    assert a.archive_id == b.archive_id
    assert b.status == "unchanged"
    assert archive.get_statement(a.archive_id).url == "https://www.state.gov/new-slug/"


def test_two_guids_sharing_a_link_stay_apart(archive):
    url = "https://www.state.gov/luxembourg-national-day/"
    a = archive.add_statement(StatementInput("us-state", url, "2021 text.", key="?p=1"))
    b = archive.add_statement(StatementInput("us-state", url, "2022 text.", key="?p=2"))
    assert a.archive_id != b.archive_id
    assert b.status == "new"


def test_failed_write_leaves_nothing_partial(archive):
    archive.add_statement(_statement("Kept."))

    def crash_mid_transaction():
        with archive.transaction():
            archive.add_statement(StatementInput("us-state", "https://www.state.gov/y/", "Lost."))
            raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        crash_mid_transaction()
    assert archive.stats()["statements"] == 1
    assert archive.conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 1


def test_real_edits_import_as_versions(loaded):
    hits = loaded.search(__import__("db").SearchQuery("Brandenburg nominations"))
    st = loaded.get_statement(hits.hits[0].archive_id)
    assert st.title == "President Biden Announces 17 Key Nominations"
    assert st.version_count == 3
    assert "Bradenburg" in st.versions[0].text
    assert "Brandenburg" in st.current.text
    assert "Bradenburg" not in st.current.text


def test_datasette_tables_hold_exactly_the_current_versions(loaded):
    prepare(loaded.conn, loaded.db_file)
    for table in ("statement_fts", "statement_fts_cjk"):
        loaded.conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    count = loaded.conn.execute("SELECT COUNT(*) FROM statement_fts").fetchone()[0]
    assert count == loaded.stats()["statements"] < loaded.stats()["versions"]
