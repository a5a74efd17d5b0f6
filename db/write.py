"""Writing statements: decide new / new version / unchanged, never altering what is stored."""

from __future__ import annotations

import sqlite3

from .ids import archive_id_for
from .models import AddResult, StatementInput
from .normalise import parse_published, text_hash, utc_now

TITLE_MAX = 1000  # characters of a statement's display title; the version keeps the full one


def display_title(title: str | None) -> str | None:
    """The title shown in lists and indexed: at most TITLE_MAX characters, "…" marking a cut.

    A page-derived title can be megabytes long; the full value stays in the version row
    (`versions.title`), only the statement's own `title` column is capped.
    """
    if title is None or len(title) <= TITLE_MAX:
        return title
    return title[: TITLE_MAX - 1] + "…"


def add_statement(conn: sqlite3.Connection, new: StatementInput) -> AddResult:
    """Record `new` inside the caller's transaction."""
    key = new.key or new.url
    seen = new.seen_at or utc_now()
    digest = text_hash(new.text)
    _ensure_source(conn, new.source_id)
    row = conn.execute(
        """SELECT id, archive_id, current_version_id, version_count, last_seen
           FROM statements WHERE source_id = ? AND key = ?""",
        (new.source_id, key),
    ).fetchone()
    if row is None:
        archive_id = archive_id_for(new.source_id, key)
        rowid = _insert_statement(conn, new, key, archive_id, seen)
        version_id = _insert_version(conn, rowid, 1, new, digest, seen)
        _sighting(conn, version_id, seen)
        conn.execute(
            "UPDATE statements SET current_version_id = ?, version_count = 1 WHERE id = ?",
            (version_id, rowid),
        )
        _add_tags(conn, rowid, new.tags)
        return AddResult("new", archive_id, 1)

    rowid, archive_id = row["id"], row["archive_id"]
    is_latest = seen >= row["last_seen"]
    same = None
    if new.capture_id is None and new.seen_at:
        # This very sighting already recorded (a file imported again): nothing to place. (Not
        # for captures: the scraper's times have second precision, so two crawls in one second
        # that see A, B, A again are three sightings; its re-extraction is keyed by capture.)
        same = conn.execute(
            """SELECT v.id FROM sightings g JOIN versions v ON v.id = g.version_id
               WHERE v.statement_id = ? AND g.seen_at = ? AND v.text_sha256 = ?""",
            (rowid, seen, digest),
        ).fetchone()
        same = same[0] if same is not None else None
    if same is None and (new.capture_id or (new.origin and not new.seen_at)):
        # The same capture extracted again on resume, or the same record without a seen_at of
        # its own (so seen "now") imported again: the version it made, preferring the one
        # whose span holds `seen`. A record with its own seen_at is placed by that time.
        same = conn.execute(
            """SELECT id FROM versions WHERE statement_id = ? AND text_sha256 = ?
               AND (origin IS ? AND capture_id IS ?)
               ORDER BY (first_seen <= ? AND last_seen >= ?) DESC, seq DESC LIMIT 1""",
            (rowid, digest, new.origin, new.capture_id, seen, seen),
        ).fetchone()
        same = same[0] if same is not None else None
    split = None
    if same is None:
        same, seq, split = _place(conn, rowid, digest, seen)
    if same is not None:
        conn.execute(
            """UPDATE versions SET last_seen = MAX(last_seen, ?), first_seen = MIN(first_seen, ?)
               WHERE id = ?""",
            (seen, seen, same),
        )
        _sighting(conn, same, seen)
        _touch(conn, rowid, new, seen, is_latest)
        _add_tags(conn, rowid, new.tags)
        return AddResult("unchanged", archive_id, row["version_count"])

    count = row["version_count"] + 1
    if seq < count:  # seen before later versions: it takes its place in the history
        _shift(conn, rowid, seq)
    version_id = _insert_version(conn, rowid, seq, new, digest, seen)
    _sighting(conn, version_id, seen)
    if split is not None:
        count += 1
        _split(conn, rowid, split, seq + 1, seen)
    current = conn.execute(
        "SELECT id FROM versions WHERE statement_id = ? AND seq = ?", (rowid, count)
    ).fetchone()[0]
    if current != row["current_version_id"]:
        conn.execute(
            "UPDATE statements SET current_version_id = ?, version_count = ? WHERE id = ?",
            (current, count, rowid),
        )
    else:
        conn.execute("UPDATE statements SET version_count = ? WHERE id = ?", (count, rowid))
    _touch(conn, rowid, new, seen, is_latest)
    _add_tags(conn, rowid, new.tags)
    return AddResult("version", archive_id, count)


def _place(
    conn: sqlite3.Connection, rowid: int, digest: str, seen: str
) -> tuple[int | None, int, int | None]:
    """Where a sighting at `seen` belongs in the history ordered by first-seen time.

    Returns (id of the version it is a sighting of, its seq, None) when the version seen just
    before (or, failing that, just after) has the same text; else (None, the seq the new
    version takes, the id of a version seen both before and after `seen` that must be split
    around it, or None). The same sightings give the same history in any arrival order.
    """
    before = conn.execute(
        """SELECT id, seq, text_sha256, last_seen FROM versions
           WHERE statement_id = ? AND first_seen <= ?
           ORDER BY first_seen DESC, seq DESC LIMIT 1""",
        (rowid, seen),
    ).fetchone()
    if before is not None:
        if before["text_sha256"] == digest:
            return before["id"], before["seq"], None
        if before["last_seen"] > seen:
            return None, before["seq"] + 1, before["id"]
    after = conn.execute(
        """SELECT id, seq, text_sha256 FROM versions WHERE statement_id = ? AND first_seen > ?
           ORDER BY first_seen, seq LIMIT 1""",
        (rowid, seen),
    ).fetchone()
    if after is not None and after["text_sha256"] == digest:
        return after["id"], after["seq"], None
    if after is not None:
        return None, after["seq"], None
    return None, (before["seq"] + 1 if before is not None else 1), None


def _sighting(conn: sqlite3.Connection, version_id: int, seen: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO sightings (version_id, seen_at) VALUES (?, ?)", (version_id, seen)
    )


def _split(conn: sqlite3.Connection, rowid: int, split: int, seq: int, seen: str) -> None:
    """A text was seen at `seen` while version `split` showed another one (seen again later):
    that text resumes after it, at `seq`, as a version of its own holding its later sightings.
    Same text, title, html and provenance; only the sightings move."""
    _shift(conn, rowid, seq)
    cur = conn.execute(
        """INSERT INTO versions (statement_id, seq, title, text, html, text_sha256,
               first_seen, last_seen, declared_modified, capture_id, origin)
           SELECT statement_id, ?, title, text, html, text_sha256, last_seen, last_seen,
               declared_modified, capture_id, origin FROM versions WHERE id = ?""",
        (seq, split),
    )
    copy = int(cur.lastrowid)
    conn.execute(
        "UPDATE sightings SET version_id = ? WHERE version_id = ? AND seen_at > ?",
        (copy, split, seen),
    )
    for version in (split, copy):
        conn.execute(
            """UPDATE versions SET
                   first_seen = COALESCE((SELECT MIN(seen_at) FROM sightings
                                          WHERE version_id = ?1), first_seen),
                   last_seen = COALESCE((SELECT MAX(seen_at) FROM sightings
                                         WHERE version_id = ?1), first_seen)
               WHERE id = ?1""",
            (version,),
        )


def _shift(conn: sqlite3.Connection, rowid: int, seq: int) -> None:
    """Make room at `seq`: later versions move up by one (two steps: (statement, seq) is unique)."""
    conn.execute(
        "UPDATE versions SET seq = -(seq + 1) WHERE statement_id = ? AND seq >= ?", (rowid, seq)
    )
    conn.execute("UPDATE versions SET seq = -seq WHERE statement_id = ? AND seq < 0", (rowid,))
    # A researcher's note is anchored to a version by its number: it moves with its version.
    conn.execute(
        "UPDATE notes SET version_seq = version_seq + 1 WHERE statement_id = ? AND version_seq >= ?",
        (rowid, seq),
    )


def _ensure_source(conn: sqlite3.Connection, source_id: str) -> None:
    conn.execute("INSERT OR IGNORE INTO sources (id, name) VALUES (?, ?)", (source_id, source_id))


def _published(new: StatementInput) -> tuple:
    parsed = parse_published(new.published_iso or new.published)
    if parsed is None:
        return (new.published, None, None, None, None)
    return (new.published, parsed.iso, parsed.utc, parsed.offset_minutes, parsed.timestamp)


def _insert_statement(
    conn: sqlite3.Connection, new: StatementInput, key: str, archive_id: str, seen: str
) -> int:
    country = (
        new.country
        or conn.execute("SELECT country FROM sources WHERE id = ?", (new.source_id,)).fetchone()[0]
    )
    cur = conn.execute(
        """INSERT INTO statements (archive_id, source_id, key, url, title, published_raw,
               published, published_utc, published_offset, published_ts, language, kind,
               speaker, country, first_seen, last_seen)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            archive_id,
            new.source_id,
            key,
            new.url,
            display_title(new.title),
            *_published(new),
            new.language,
            new.kind,
            new.speaker,
            country,
            seen,
            seen,
        ),
    )
    return int(cur.lastrowid)


def _insert_version(
    conn: sqlite3.Connection, rowid: int, seq: int, new: StatementInput, digest: str, seen: str
) -> int:
    cur = conn.execute(
        """INSERT INTO versions (statement_id, seq, title, text, html, text_sha256, first_seen,
               last_seen, declared_modified, capture_id, origin)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            rowid,
            seq,
            new.title,
            new.text,
            new.html,
            digest,
            seen,
            seen,
            new.declared_modified,
            new.capture_id,
            new.origin,
        ),
    )
    return int(cur.lastrowid)


def _touch(
    conn: sqlite3.Connection, rowid: int, new: StatementInput, seen: str, is_latest: bool
) -> None:
    """Seen again: extend last_seen; the newest sighting's metadata (URL, title …) wins."""
    conn.execute(
        "UPDATE statements SET last_seen = MAX(last_seen, ?), first_seen = MIN(first_seen, ?) "
        "WHERE id = ?",
        (seen, seen, rowid),
    )
    if not is_latest:
        return
    conn.execute(
        """UPDATE statements SET url = ?, title = COALESCE(?, title),
               published_raw = COALESCE(?, published_raw), published = COALESCE(?, published),
               published_utc = COALESCE(?, published_utc),
               published_offset = CASE WHEN ? IS NULL THEN published_offset ELSE ? END,
               published_ts = COALESCE(?, published_ts),
               kind = COALESCE(?, kind), speaker = COALESCE(?, speaker),
               language = COALESCE(?, language)
           WHERE id = ?""",
        _touch_params(new, rowid),
    )


def _touch_params(new: StatementInput, rowid: int) -> tuple:
    raw, iso, utc, offset, ts = _published(new)
    return (
        new.url,
        display_title(new.title),
        raw,
        iso,
        utc,
        iso,
        offset,
        ts,
        new.kind,
        new.speaker,
        new.language,
        rowid,
    )


def _add_tags(conn: sqlite3.Connection, rowid: int, tags: list[str]) -> None:
    for name in tags:
        conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        conn.execute(
            """INSERT OR IGNORE INTO statement_tags (statement_id, tag_id)
               SELECT ?, id FROM tags WHERE name = ?""",
            (rowid, name),
        )
