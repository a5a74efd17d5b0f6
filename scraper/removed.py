"""Statements a ministry took down: gone from its listing between two that stay, or 404/410.

A listing or feed shows the newest statements first and drops the oldest off its end as new
ones arrive, so a statement missing from the end proves nothing. Only one missing *between*
two statements that are still listed was taken down. The evidence is the capture (in the
WARC) of the listing page that now skips it, or the 404/410 answer its own page gave on
`--recheck`. The archive keeps every version of a removed statement; removal is a mark.

No Qt; the crawl calls `check_listing` after a complete discovery of a source and
`mark_gone` when an archived statement's page answers 404/410.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from db.normalise import utc_now

GONE_STATUSES = (404, 410)


def missing_between(before: Sequence[str], now: Sequence[str]) -> list[str]:
    """Keys of `before` absent from `now` that lie between two keys present in both.

    >>> missing_between(["a", "b", "c", "d"], ["n", "a", "c"])   # b removed, d scrolled off
    ['b']
    """
    present = set(now)
    kept = [i for i, key in enumerate(before) if key in present]
    if len(kept) < 2:
        return []
    first, last = kept[0], kept[-1]
    return [key for key in before[first + 1 : last] if key not in present]


@dataclass(frozen=True)
class Removal:
    detected_at: str
    evidence: dict
    restored_at: str | None = None

    def to_json(self) -> dict:
        return {"detected_at": self.detected_at, "evidence": self.evidence}


def _capture_json(conn: sqlite3.Connection, capture_id: int | None) -> dict:
    if capture_id is None:
        return {}
    row = conn.execute(
        "SELECT url, fetched_at, status, warc_file, warc_offset FROM captures WHERE id = ?",
        (capture_id,),
    ).fetchone()
    if row is None:
        return {}
    return {
        "url": row[0],
        "fetched_at": row[1],
        "status": row[2],
        "warc_file": row[3],
        "warc_offset": row[4],
    }


def check_listing(
    archive,
    source_id: str,
    channel: str,
    entries: Sequence[tuple[str, int | None]],
    detected_at: str | None = None,
) -> list[str]:
    """Compare a complete listing (`[(key, capture_id)]` in order) with the previous one of the
    same source and channel; mark what was taken down; return the removed archive ids."""
    if not entries:  # nothing listed (a feed not modified since): nothing to compare
        return []
    conn = archive.conn
    at = detected_at or utc_now()
    keys = [k for k, _ in entries]
    removed: list[str] = []
    with archive.transaction():
        row = conn.execute(
            "SELECT entries FROM listing_snapshots WHERE source_id = ? AND channel = ?",
            (source_id, channel),
        ).fetchone()
        before = [tuple(e) for e in json.loads(row[0])] if row else []
        capture_of = dict(entries)
        before_keys = [k for k, _ in before]
        for key in missing_between(before_keys, keys):
            # the evidence: the page that now holds the statement listed just before it
            i = before_keys.index(key)
            neighbour = next(k for k in reversed(before_keys[:i]) if k in capture_of)
            capture_id = capture_of[neighbour]
            statement = conn.execute(
                "SELECT id, archive_id FROM statements WHERE source_id = ? AND key = ?",
                (source_id, key),
            ).fetchone()
            if statement is None:
                continue
            evidence = {
                "kind": "listing",
                "channel": channel,
                "listed_between": [neighbour, _next_kept(before_keys, i, capture_of)],
                "capture": _capture_json(conn, capture_id),
            }
            if _mark(conn, statement[0], at, evidence, capture_id):
                removed.append(statement[1])
        # listed again: a statement that comes back is no longer marked as removed
        if keys:
            marks = ", ".join("?" * len(keys))
            conn.execute(
                f"""UPDATE removals SET restored_at = ? WHERE restored_at IS NULL AND statement_id
                    IN (SELECT id FROM statements WHERE source_id = ? AND key IN ({marks}))""",
                [at, source_id, *keys],
            )
        conn.execute(
            """INSERT INTO listing_snapshots (source_id, channel, taken_at, entries)
               VALUES (?, ?, ?, ?) ON CONFLICT(source_id, channel) DO UPDATE
               SET taken_at = excluded.taken_at, entries = excluded.entries""",
            (source_id, channel, at, json.dumps([list(e) for e in entries])),
        )
    return removed


def _next_kept(before_keys: list[str], i: int, capture_of: dict) -> str:
    return next(k for k in before_keys[i + 1 :] if k in capture_of)


def _mark(
    conn: sqlite3.Connection, statement_id: int, at: str, evidence: dict, capture_id: int | None
) -> bool:
    """Record a removal unless one stands already; True when newly marked."""
    current = conn.execute(
        "SELECT restored_at FROM removals WHERE statement_id = ?", (statement_id,)
    ).fetchone()
    if current is not None and current[0] is None:
        return False
    conn.execute(
        """INSERT INTO removals (statement_id, detected_at, evidence, capture_id, restored_at)
           VALUES (?, ?, ?, ?, NULL) ON CONFLICT(statement_id) DO UPDATE SET
           detected_at = excluded.detected_at, evidence = excluded.evidence,
           capture_id = excluded.capture_id, restored_at = NULL""",
        (statement_id, at, json.dumps(evidence, ensure_ascii=False), capture_id),
    )
    return True


def mark_gone(
    archive, source_id: str, url: str, status: int, capture_id: int | None, at: str | None = None
) -> str | None:
    """An archived statement's page answered 404/410: mark it removed; its archive id or None."""
    if status not in GONE_STATUSES:
        return None
    conn = archive.conn
    with archive.transaction():
        row = conn.execute(
            "SELECT id, archive_id FROM statements WHERE source_id = ? AND (url = ? OR key = ?)",
            (source_id, url, url),
        ).fetchone()
        if row is None:
            return None
        evidence = {"kind": "http", "status": status, "capture": _capture_json(conn, capture_id)}
        return row[1] if _mark(conn, row[0], at or utc_now(), evidence, capture_id) else None


def archived_urls(archive, source_id: str) -> list[tuple[str, str]]:
    """(url, key) of every statement of a source, for `--recheck` to ask each page again."""
    return [
        (r[0], r[1])
        for r in archive.conn.execute(
            "SELECT url, key FROM statements WHERE source_id = ? ORDER BY published_ts DESC",
            (source_id,),
        )
    ]


def removal_of(conn: sqlite3.Connection, archive_id: str) -> Removal | None:
    """The standing removal of a statement (None when it is listed or was listed again)."""
    row = conn.execute(
        """SELECT r.detected_at, r.evidence, r.restored_at FROM removals r
           JOIN statements s ON s.id = r.statement_id WHERE s.archive_id = ?""",
        (archive_id,),
    ).fetchone()
    if row is None or row[2] is not None:
        return None
    return Removal(row[0], json.loads(row[1]))


def removed_ids(conn: sqlite3.Connection) -> set[str]:
    """Archive ids of every statement marked removed (and not listed again)."""
    return {
        r[0]
        for r in conn.execute(
            """SELECT s.archive_id FROM removals r JOIN statements s ON s.id = r.statement_id
               WHERE r.restored_at IS NULL"""
        )
    }


def removed_marks(conn: sqlite3.Connection) -> dict[str, str]:
    """{archive id: detected_at} of every statement marked removed (for the viewer's marks)."""
    return dict(
        conn.execute(
            """SELECT s.archive_id, r.detected_at FROM removals r
               JOIN statements s ON s.id = r.statement_id WHERE r.restored_at IS NULL"""
        ).fetchall()
    )
