"""Schema migrations: an ordered list of functions, each run in its own transaction.

The archive's version is `PRAGMA user_version` = the number of migrations applied. Only append
to MIGRATIONS; never edit a migration that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .scripts import CJK_LANGUAGES

APPLICATION_ID = 0x436F6D71  # "Comq": marks an SQLite file as a Communiqué archive

_CJK_SQL = "(" + ", ".join(f"'{code}'" for code in CJK_LANGUAGES) + ")"


def _m1_base(conn: sqlite3.Connection) -> None:
    """Sources, statements, immutable versions, captures, and the word index over current versions."""
    conn.executescript(
        """
        CREATE TABLE sources (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            institution TEXT,
            country     TEXT,
            languages   TEXT NOT NULL DEFAULT '[]',
            homepage    TEXT
        );
        CREATE TABLE captures (
            id             INTEGER PRIMARY KEY,
            url            TEXT NOT NULL,
            fetched_at     TEXT NOT NULL,
            status         INTEGER,
            warc_file      TEXT,
            warc_offset    INTEGER,
            warc_length    INTEGER,
            payload_sha256 TEXT,
            error          TEXT
        );
        CREATE INDEX captures_url ON captures(url);
        CREATE INDEX captures_warc ON captures(warc_file, warc_offset);
        CREATE TABLE statements (
            id                 INTEGER PRIMARY KEY,
            archive_id         TEXT NOT NULL UNIQUE,
            source_id          TEXT NOT NULL REFERENCES sources(id),
            key                TEXT NOT NULL,
            url                TEXT NOT NULL,
            title              TEXT,
            published_raw      TEXT,
            published          TEXT,
            published_utc      TEXT,
            published_offset   INTEGER,
            published_ts       INTEGER,
            language           TEXT,
            kind               TEXT,
            speaker            TEXT,
            country            TEXT,
            first_seen         TEXT NOT NULL,
            last_seen          TEXT NOT NULL,
            current_version_id INTEGER REFERENCES versions(id),
            version_count      INTEGER NOT NULL DEFAULT 0,
            UNIQUE (source_id, key)
        );
        CREATE INDEX statements_published ON statements(published_ts);
        CREATE INDEX statements_source ON statements(source_id, published_ts);
        CREATE INDEX statements_language ON statements(language, published_ts);
        CREATE INDEX statements_kind ON statements(kind, published_ts);
        CREATE INDEX statements_country ON statements(country, published_ts);
        CREATE INDEX statements_speaker ON statements(speaker);
        CREATE INDEX statements_url ON statements(url);
        CREATE INDEX statements_current ON statements(current_version_id);
        CREATE TABLE versions (
            id                INTEGER PRIMARY KEY,
            statement_id      INTEGER NOT NULL REFERENCES statements(id),
            seq               INTEGER NOT NULL,
            title             TEXT,
            text              TEXT NOT NULL,
            html              TEXT,
            text_sha256       TEXT NOT NULL,
            first_seen        TEXT NOT NULL,
            last_seen         TEXT NOT NULL,
            declared_modified TEXT,
            capture_id        INTEGER REFERENCES captures(id),
            origin            TEXT,
            UNIQUE (statement_id, seq)
        );
        CREATE INDEX versions_hash ON versions(statement_id, text_sha256);
        CREATE INDEX versions_capture ON versions(capture_id);

        -- What was archived is never rewritten.
        CREATE TRIGGER versions_immutable BEFORE UPDATE OF text, html, text_sha256, statement_id, seq
        ON versions BEGIN
            SELECT RAISE(ABORT, 'archived versions are immutable');
        END;

        -- The indexed document of a statement: its current title and current version's text.
        CREATE VIEW search_documents AS
            SELECT v.id AS id, s.title AS title, v.text AS text
            FROM versions v JOIN statements s ON s.id = v.statement_id;

        CREATE VIRTUAL TABLE statement_fts USING fts5(
            title, text, content='search_documents', content_rowid='id',
            tokenize="unicode61 remove_diacritics 2"
        );
        CREATE TRIGGER statements_fts_au AFTER UPDATE OF title, current_version_id ON statements
        BEGIN
            INSERT INTO statement_fts(statement_fts, rowid, title, text)
                SELECT 'delete', v.id, old.title, v.text FROM versions v
                WHERE v.id = old.current_version_id;
            INSERT INTO statement_fts(rowid, title, text)
                SELECT v.id, new.title, v.text FROM versions v
                WHERE v.id = new.current_version_id;
        END;
        CREATE TRIGGER statements_fts_ad AFTER DELETE ON statements BEGIN
            INSERT INTO statement_fts(statement_fts, rowid, title, text)
                SELECT 'delete', v.id, old.title, v.text FROM versions v
                WHERE v.id = old.current_version_id;
        END;
        """
    )


def _m2_tags_notes(conn: sqlite3.Connection) -> None:
    """Tags (source categories, keywords, a researcher's own) and notes on statements."""
    conn.executescript(
        """
        CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE statement_tags (
            statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
            tag_id       INTEGER NOT NULL REFERENCES tags(id),
            PRIMARY KEY (statement_id, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX statement_tags_tag ON statement_tags(tag_id);
        CREATE TABLE notes (
            id           INTEGER PRIMARY KEY,
            statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            body         TEXT NOT NULL
        );
        CREATE INDEX notes_statement ON notes(statement_id);
        """
    )


def _m3_cjk_index(conn: sqlite3.Connection) -> None:
    """A trigram index for Chinese/Japanese/Korean, written without spaces between words."""
    conn.executescript(
        f"""
        CREATE VIRTUAL TABLE statement_fts_cjk USING fts5(
            title, text, content='search_documents', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER statements_cjk_au
        AFTER UPDATE OF title, current_version_id, language ON statements
        BEGIN
            INSERT INTO statement_fts_cjk(statement_fts_cjk, rowid, title, text)
                SELECT 'delete', v.id, old.title, v.text FROM versions v
                WHERE v.id = old.current_version_id AND old.language IN {_CJK_SQL};
            INSERT INTO statement_fts_cjk(rowid, title, text)
                SELECT v.id, new.title, v.text FROM versions v
                WHERE v.id = new.current_version_id AND new.language IN {_CJK_SQL};
        END;
        CREATE TRIGGER statements_cjk_ad AFTER DELETE ON statements BEGIN
            INSERT INTO statement_fts_cjk(statement_fts_cjk, rowid, title, text)
                SELECT 'delete', v.id, old.title, v.text FROM versions v
                WHERE v.id = old.current_version_id AND old.language IN {_CJK_SQL};
        END;
        INSERT INTO statement_fts_cjk(rowid, title, text)
            SELECT v.id, s.title, v.text FROM statements s JOIN versions v
            ON v.id = s.current_version_id WHERE s.language IN {_CJK_SQL};
        """
    )


def _m4_crawl_state(conn: sqlite3.Connection) -> None:
    """The scraper's memory between runs: failures to retry, robots.txt refusals, validators."""
    conn.executescript(
        """
        CREATE TABLE crawl_failures (
            source_id  TEXT NOT NULL,
            url        TEXT NOT NULL,
            reason     TEXT NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 1,
            first_at   TEXT NOT NULL,
            last_at    TEXT NOT NULL,
            capture_id INTEGER REFERENCES captures(id),
            PRIMARY KEY (source_id, url)
        );
        CREATE TABLE crawl_disallowed (
            source_id TEXT NOT NULL,
            url       TEXT NOT NULL,
            at        TEXT NOT NULL,
            PRIMARY KEY (source_id, url)
        );
        CREATE TABLE crawl_validators (
            url           TEXT PRIMARY KEY,
            etag          TEXT,
            last_modified TEXT,
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX captures_sha ON captures(payload_sha256);
        """
    )


def _m5_index_current_only(conn: sqlite3.Connection) -> None:
    """The indexed documents are the current versions only, so an FTS 'rebuild' or
    'integrity-check' sees exactly what the triggers index."""
    conn.executescript(
        """
        DROP VIEW search_documents;
        CREATE VIEW search_documents AS
            SELECT v.id AS id, s.title AS title, v.text AS text
            FROM statements s JOIN versions v ON v.id = s.current_version_id;
        """
    )


def _m6_covering_filter_index(conn: sqlite3.Connection) -> None:
    """Search hits find their statement and test every filter from one index, never the table
    row: at 1M statements a filtered count went from minutes to under 0.1 s."""
    conn.executescript(
        """
        CREATE INDEX statements_current_filters ON statements(
            current_version_id, source_id, published_ts, language, kind, country, speaker);
        DROP INDEX statements_current;
        """
    )


# Versions are immutable: what a version *is* never changes. Only its place in the history
# (`seq`, ordered by first-seen time) may move, and only a rule change recomputes the digest.
VERSIONS_IMMUTABLE_TRIGGER = """
    CREATE TRIGGER versions_immutable
    BEFORE UPDATE OF text, html, title, text_sha256, statement_id ON versions BEGIN
        SELECT RAISE(ABORT, 'archived versions are immutable');
    END;
"""


def rehash_versions(conn: sqlite3.Connection) -> None:
    """Recompute every version's text_sha256 under the current noise rule (db.normalise).

    Run by a migration each time the rule changes, so that "same text?" keeps meaning the same
    for old and new versions. Only the digest changes: text and html stay as archived (the
    immutability trigger is lifted for this one column inside the migration's transaction)."""
    from .normalise import text_hash

    conn.execute("DROP TRIGGER versions_immutable")
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, text, text_sha256 FROM versions WHERE id > ? ORDER BY id LIMIT 2000",
            (last,),
        ).fetchall()
        if not rows:
            break
        for rowid, text, old in rows:
            digest = text_hash(text)
            if digest != old:
                conn.execute("UPDATE versions SET text_sha256 = ? WHERE id = ?", (digest, rowid))
        last = rows[-1][0]
    conn.executescript(VERSIONS_IMMUTABLE_TRIGGER)


def _m8_versions_by_first_seen(conn: sqlite3.Connection) -> None:
    """A version's `seq` is its place in the history ordered by first-seen time, so a version
    that arrives late (an older export imported after a newer one) takes its place and the
    versions after it move up. What a version *is* (text, html, title, hash, statement) stays
    immutable; histories built in arrival order are renumbered once here."""
    conn.execute("DROP TRIGGER versions_immutable")
    conn.executescript(
        VERSIONS_IMMUTABLE_TRIGGER
        + """
        CREATE TEMP TABLE renumber AS
            SELECT id, statement_id, n FROM (
                SELECT id, statement_id, seq, ROW_NUMBER() OVER (
                    PARTITION BY statement_id ORDER BY first_seen, seq) AS n
                FROM versions)
            WHERE n <> seq;
        UPDATE versions SET seq = -(SELECT n FROM renumber r WHERE r.id = versions.id)
            WHERE id IN (SELECT id FROM renumber);
        UPDATE versions SET seq = -seq WHERE seq < 0;
        UPDATE statements SET current_version_id = (
                SELECT v.id FROM versions v WHERE v.statement_id = statements.id
                ORDER BY v.seq DESC LIMIT 1)
            WHERE id IN (SELECT statement_id FROM renumber);
        DROP TABLE renumber;
        """
    )


def _m7_one_noise_rule(conn: sqlite3.Connection) -> None:
    """Archive and Compare share one noise rule (db.normalise): whitespace between tokens,
    invisible marks, every quote style and NFC are noise. Old digests used the archive's former
    rule (which missed acute/fullwidth quotes and ZWJ), so they are recomputed."""
    rehash_versions(conn)


def _m9_cjk_index_own_documents(conn: sqlite3.Connection) -> None:
    """The CJK index reads its own view (current versions of CJK statements only), so its
    content and its index hold the same rows and FTS5's integrity-check means something (over
    `search_documents` it said "malformed" on every healthy archive). Its triggers are kept."""
    conn.executescript(
        f"""
        CREATE VIEW search_documents_cjk AS
            SELECT v.id AS id, s.title AS title, v.text AS text
            FROM statements s JOIN versions v ON v.id = s.current_version_id
            WHERE s.language IN {_CJK_SQL};
        DROP TABLE statement_fts_cjk;
        CREATE VIRTUAL TABLE statement_fts_cjk USING fts5(
            title, text, content='search_documents_cjk', content_rowid='id', tokenize='trigram'
        );
        INSERT INTO statement_fts_cjk(statement_fts_cjk) VALUES ('rebuild');
        """
    )


def _m10_failure_keys(conn: sqlite3.Connection) -> None:
    """A failure remembers the statement's key (a feed's guid), so it can be retried on its own
    once the feed no longer lists it, without creating a second statement keyed by URL."""
    conn.executescript("ALTER TABLE crawl_failures ADD COLUMN key TEXT;")


def _m11_language_editions(conn: sqlite3.Connection) -> None:
    """Language editions: statements sharing an edition key are the same statement in other
    languages (kremlin.ru / en.kremlin.ru share ids). '' marks a statement found to have none."""
    conn.executescript(
        """
        CREATE TABLE editions (
            statement_id INTEGER PRIMARY KEY REFERENCES statements(id) ON DELETE CASCADE,
            edition      TEXT NOT NULL
        );
        CREATE INDEX editions_key ON editions(edition) WHERE edition != '';
        """
    )


def _m12_research_library(conn: sqlite3.Connection) -> None:
    """A researcher's library: collections (reading lists), notes anchored to a passage of a
    version, saved searches; notes get a stable id so that export/import keeps them whole."""
    conn.executescript(
        """
        CREATE TABLE collections (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE collection_items (
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
            added_at      TEXT NOT NULL,
            PRIMARY KEY (collection_id, statement_id)
        );
        CREATE INDEX collection_items_statement ON collection_items(statement_id);
        ALTER TABLE notes ADD COLUMN uid TEXT;
        ALTER TABLE notes ADD COLUMN version_seq INTEGER;
        ALTER TABLE notes ADD COLUMN quote TEXT;
        ALTER TABLE notes ADD COLUMN anchor_start INTEGER;
        ALTER TABLE notes ADD COLUMN anchor_end INTEGER;
        UPDATE notes SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
        CREATE UNIQUE INDEX notes_uid ON notes(uid);
        CREATE TABLE saved_searches (
            id             INTEGER PRIMARY KEY,
            name           TEXT NOT NULL UNIQUE,
            query          TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            last_opened_at TEXT NOT NULL
        );
        """
    )


def _m13_entity_index(conn: sqlite3.Connection) -> None:
    """What each version speaks of (people, bodies, places, content words), extracted once per
    version by compare.related and indexed by entity then date, so related statements within a
    date window are a few range scans."""
    conn.executescript(
        """
        CREATE TABLE entities (
            id    INTEGER PRIMARY KEY,
            key   TEXT NOT NULL UNIQUE,   -- person:putin, country:UA, word:en:ceasefire
            label TEXT,
            df    INTEGER NOT NULL DEFAULT 0  -- versions naming it (for idf)
        );
        CREATE TABLE entity_postings (
            entity_id  INTEGER NOT NULL REFERENCES entities(id),
            ts         INTEGER NOT NULL,  -- the statement's published_ts (else first seen)
            version_id INTEGER NOT NULL REFERENCES versions(id),
            weight     REAL NOT NULL,
            PRIMARY KEY (entity_id, ts, version_id)
        ) WITHOUT ROWID;
        CREATE INDEX entity_postings_version ON entity_postings(version_id, entity_id);
        CREATE TABLE entity_index_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


def _m14_removals(conn: sqlite3.Connection) -> None:
    """Statements a source took down: the last listing/feed order seen per source and channel
    (to notice a statement missing between two that stay), and the removals found, each with
    its evidence (the listing capture that no longer holds it, or the 404/410 answer)."""
    conn.executescript(
        """
        CREATE TABLE listing_snapshots (
            source_id  TEXT NOT NULL,
            channel    TEXT NOT NULL,      -- 'feed' or 'pages' (listing, API, sitemap)
            taken_at   TEXT NOT NULL,
            entries    TEXT NOT NULL,      -- JSON [[key, capture_id], ...] in listing order
            PRIMARY KEY (source_id, channel)
        );
        CREATE TABLE removals (
            statement_id INTEGER PRIMARY KEY REFERENCES statements(id) ON DELETE CASCADE,
            detected_at  TEXT NOT NULL,
            evidence     TEXT NOT NULL,    -- JSON: {"kind": "listing"|"http", ...}
            capture_id   INTEGER REFERENCES captures(id),
            restored_at  TEXT              -- seen listed again later
        );
        """
    )


def _m15_search_queue(conn: sqlite3.Connection) -> None:
    """Search runs on a derived tantivy index (db/tindex.py) fed by a queue of changed
    statements. The FTS5 tables stay (Datasette, the library filters, query expansion).
    IF NOT EXISTS: archives made by the search branch before the merge already hold these."""
    watched = (
        "title",
        "current_version_id",
        "source_id",
        "country",
        "language",
        "kind",
        "speaker",
        "published_ts",
    )
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in watched)
    conn.executescript(
        f"""
        CREATE TABLE IF NOT EXISTS search_queue (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            statement_id INTEGER NOT NULL
        );
        CREATE TRIGGER IF NOT EXISTS search_queue_version AFTER INSERT ON versions BEGIN
            INSERT INTO search_queue (statement_id) VALUES (new.statement_id);
        END;
        CREATE TRIGGER IF NOT EXISTS search_queue_statement AFTER UPDATE OF {", ".join(watched)} ON statements
        WHEN {changed} BEGIN
            INSERT INTO search_queue (statement_id) VALUES (new.id);
        END;
        CREATE TRIGGER IF NOT EXISTS search_queue_delete AFTER DELETE ON statements BEGIN
            INSERT INTO search_queue (statement_id) VALUES (old.id);
        END;
        -- What Datasette shows and searches (db/datasette.py): one row per statement.
        CREATE VIEW IF NOT EXISTS statements_search AS
            SELECT v.id AS id, s.archive_id, s.source_id, s.published, s.language, s.kind,
                   s.speaker, s.url, s.title, v.text
            FROM statements s JOIN versions v ON v.id = s.current_version_id;
        """
    )


def _m16_sightings(conn: sqlite3.Connection) -> None:
    """Every time a version's text was seen, so that a sighting arriving late (an older file
    imported after a newer one) splits a version exactly where it falls. Back-filled with each
    version's first and last sighting."""
    conn.executescript(
        """
        CREATE TABLE sightings (
            version_id INTEGER NOT NULL REFERENCES versions(id),
            seen_at    TEXT NOT NULL,
            PRIMARY KEY (version_id, seen_at)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO sightings (version_id, seen_at)
            SELECT id, first_seen FROM versions UNION ALL SELECT id, last_seen FROM versions;
        """
    )


def _m17_fts5_on_demand(conn: sqlite3.Connection) -> None:
    """FTS5 is no longer kept in step at every write: the tantivy index (db/tindex.py) answers
    every text query, and keeping FTS5 current cost a third of an import's CPU. Its tables
    stay, emptied, for Datasette; `main.py datasette` fills them from the archive on demand."""
    conn.executescript(
        """
        DROP TRIGGER statements_fts_au;
        DROP TRIGGER statements_fts_ad;
        DROP TRIGGER statements_cjk_au;
        DROP TRIGGER statements_cjk_ad;
        INSERT INTO statement_fts(statement_fts) VALUES ('delete-all');
        INSERT INTO statement_fts_cjk(statement_fts_cjk) VALUES ('delete-all');
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m1_base,
    _m2_tags_notes,
    _m3_cjk_index,
    _m4_crawl_state,
    _m5_index_current_only,
    _m6_covering_filter_index,
    _m7_one_noise_rule,
    _m8_versions_by_first_seen,
    _m9_cjk_index_own_documents,
    _m10_failure_keys,
    _m11_language_editions,
    _m12_research_library,
    _m13_entity_index,
    _m14_removals,
    _m15_search_queue,
    _m16_sightings,
    _m17_fts5_on_demand,
]

LATEST = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Apply pending migrations up to `target`, each atomically; return the resulting version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < target:
        step = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(_InTransaction(conn))  # type: ignore[arg-type]
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        version += 1
    return version


class _InTransaction:
    """Runs a migration's script statement by statement inside the open transaction.

    `sqlite3.Connection.executescript` commits first, which would split a migration in two;
    this splits the script with `sqlite3.complete_statement` and executes each piece instead.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def executescript(self, script: str) -> None:
        buffer = ""
        for line in script.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                if buffer.strip():
                    self._conn.execute(buffer)
                buffer = ""
        if buffer.strip():
            self._conn.execute(buffer)

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)
