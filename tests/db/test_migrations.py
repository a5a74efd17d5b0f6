"""An archive made by an earlier schema version opens, upgrades, and keeps everything."""

import sqlite3

import pytest

from db import Archive, DiskFull, SearchQuery, StatementInput, schema, text_hash


def test_upgrade_from_version_1(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "archive.sqlite", isolation_level=None)
    schema.migrate(conn, target=1)  # as the first release left it: no tags, no CJK index
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()

    # Write into the version-1 archive as version-1 code did (plain SQL on its tables).
    conn = sqlite3.connect(folder / "archive.sqlite", isolation_level=None)
    conn.execute("INSERT INTO sources (id, name) VALUES ('cn-mfa-zh', '外交部')")
    conn.execute(
        """INSERT INTO statements (archive_id, source_id, key, url, title, language,
           first_seen, last_seen) VALUES ('cn-mfa-zh:000000000001', 'cn-mfa-zh', 'k', 'u',
           '外交部发言人赵立坚主持例行记者会', 'zh', '2020', '2020')"""
    )
    conn.execute(
        """INSERT INTO versions (statement_id, seq, text, text_sha256, first_seen, last_seen)
           VALUES (1, 1, '中国政府决定向缅甸派遣抗疫医疗专家组。', 'x', '2020', '2020')"""
    )
    conn.execute("UPDATE statements SET current_version_id = 1, version_count = 1")
    conn.close()

    with Archive.open(folder) as arc:
        assert arc.conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST
        assert arc.stats()["statements"] == 1
        hits = arc.search(SearchQuery("派遣抗疫医疗")).hits  # the CJK index was back-filled
        assert [h.archive_id for h in hits] == ["cn-mfa-zh:000000000001"]
        added = arc.add_statement(
            StatementInput("cn-mfa-zh", "u", "新的文本。", key="k", tags=["记者会"])
        )
        assert added.status == "version"
        assert added.seq == 2
        assert arc.get_statement("cn-mfa-zh:000000000001").tags == ("记者会",)


def test_failed_migration_leaves_the_earlier_version(tmp_path, monkeypatch):
    folder = tmp_path / "a"
    folder.mkdir()
    conn = sqlite3.connect(folder / "archive.sqlite", isolation_level=None)
    schema.migrate(conn, target=2)
    conn.close()

    def broken(conn):  # a real SQLITE_FULL: the database may not grow by one more page
        conn.execute("CREATE TABLE half_done (x)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        conn.execute("INSERT INTO half_done VALUES (zeroblob(100000))")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:2], broken])
    monkeypatch.setattr(schema, "LATEST", 3)
    with pytest.raises(DiskFull):
        Archive.open(folder)
    conn = sqlite3.connect(folder / "archive.sqlite")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names


def test_noise_rule_migration_rehashes_old_digests_and_keeps_texts(tmp_path):
    import hashlib

    folder = tmp_path / "before-one-rule"
    folder.mkdir()
    conn = sqlite3.connect(folder / "archive.sqlite", isolation_level=None)
    rule = schema.MIGRATIONS.index(schema._m7_one_noise_rule)
    schema.migrate(conn, target=rule)
    texts = ["They said \u00b4yes\u00b4.", "Mini\u200dster  said\u00a0no ."]
    conn.execute("INSERT INTO sources (id, name) VALUES ('us-state', 'State')")
    conn.execute(
        """INSERT INTO statements (archive_id, source_id, key, url, first_seen, last_seen)
           VALUES ('us-state:000000000001', 'us-state', 'k', 'u', '2020', '2020')"""
    )
    for seq, text in enumerate(texts, 1):
        old_digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()  # former rule
        conn.execute(
            """INSERT INTO versions (statement_id, seq, text, text_sha256, first_seen, last_seen)
               VALUES (1, ?, ?, ?, '2020', '2020')""",
            (seq, text, old_digest),
        )
    conn.execute("UPDATE statements SET current_version_id = 2, version_count = 2")
    conn.close()

    with Archive.open(folder) as arc:
        rows = arc.conn.execute("SELECT text, text_sha256 FROM versions ORDER BY seq").fetchall()
        assert [r[0] for r in rows] == texts  # the archived texts are untouched
        assert [r[1] for r in rows] == [text_hash(t) for t in texts]
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            arc.conn.execute("UPDATE versions SET text_sha256 = 'x'")
        # The same text seen again under the one rule is no new version.
        again = arc.add_statement(StatementInput("us-state", "u", "Minister said no.", key="k"))
        assert again.status == "unchanged"
