"""The scraper's crawl state: failures to retry, robots.txt refusals, conditional-GET validators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .normalise import utc_now

if TYPE_CHECKING:
    from .archive import Archive


def record_failure(
    arc: Archive,
    source_id: str,
    url: str,
    reason: str,
    capture_id: int | None = None,
    key: str | None = None,
) -> None:
    """Remember a URL that failed, to retry it on the next run (attempts counted)."""
    now = utc_now()
    with arc.transaction():
        arc.conn.execute(
            """INSERT INTO crawl_failures (source_id, url, reason, attempts, first_at, last_at,
                   capture_id, key) VALUES (?, ?, ?, 1, ?, ?, ?, ?)
               ON CONFLICT(source_id, url) DO UPDATE SET reason = excluded.reason,
                   attempts = attempts + 1, last_at = excluded.last_at,
                   capture_id = COALESCE(excluded.capture_id, capture_id),
                   key = COALESCE(excluded.key, key)""",
            (source_id, url, reason, now, now, capture_id, key),
        )


def clear_failure(arc: Archive, source_id: str, url: str) -> None:
    """Forget a failure once the URL has been fetched and extracted."""
    with arc.transaction():
        arc.conn.execute(
            "DELETE FROM crawl_failures WHERE source_id = ? AND url = ?", (source_id, url)
        )


_FAILURE_FIELDS = ("source_id", "url", "reason", "attempts", "last_at", "key", "first_at")


def failures(arc: Archive, source_id: str | None = None) -> list[dict]:
    """Failures to retry, oldest first: [{'source_id', 'url', 'reason', 'attempts', 'last_at',
    'key', 'first_at'}] (`key`: the statement's key when discovery gave one, else None)."""
    sql = f"SELECT {', '.join(_FAILURE_FIELDS)} FROM crawl_failures"
    params: tuple = ()
    if source_id is not None:
        sql += " WHERE source_id = ?"
        params = (source_id,)
    rows = arc.conn.execute(sql + " ORDER BY first_at, url", params).fetchall()
    return [dict(zip(_FAILURE_FIELDS, tuple(r), strict=True)) for r in rows]


def record_disallowed(arc: Archive, source_id: str, url: str) -> None:
    """Remember a URL that robots.txt did not allow."""
    with arc.transaction():
        arc.conn.execute(
            "INSERT OR REPLACE INTO crawl_disallowed (source_id, url, at) VALUES (?, ?, ?)",
            (source_id, url, utc_now()),
        )


def disallowed(arc: Archive, source_id: str | None = None) -> list[str]:
    """URLs robots.txt refused, in URL order."""
    if source_id is None:
        rows = arc.conn.execute("SELECT url FROM crawl_disallowed ORDER BY url")
    else:
        rows = arc.conn.execute(
            "SELECT url FROM crawl_disallowed WHERE source_id = ? ORDER BY url", (source_id,)
        )
    return [r[0] for r in rows]


def get_validators(arc: Archive, url: str) -> dict[str, str]:
    """Conditional-GET headers for a URL ({'If-None-Match': …, 'If-Modified-Since': …})."""
    row = arc.conn.execute(
        "SELECT etag, last_modified FROM crawl_validators WHERE url = ?", (url,)
    ).fetchone()
    out: dict[str, str] = {}
    if row is not None:
        if row[0]:
            out["If-None-Match"] = row[0]
        if row[1]:
            out["If-Modified-Since"] = row[1]
    return out


def set_validators(arc: Archive, url: str, etag: str | None, last_modified: str | None) -> None:
    """Store (or drop, when both are None) a URL's ETag / Last-Modified."""
    with arc.transaction():
        if not etag and not last_modified:
            arc.conn.execute("DELETE FROM crawl_validators WHERE url = ?", (url,))
            return
        arc.conn.execute(
            """INSERT OR REPLACE INTO crawl_validators (url, etag, last_modified, updated_at)
               VALUES (?, ?, ?, ?)""",
            (url, etag, last_modified, utc_now()),
        )


def find_capture_by_content(
    arc: Archive, url: str, fetched_at: str, payload_sha256: str
) -> int | None:
    """The capture row of an exchange already recorded (same URL, time and payload)."""
    row = arc.conn.execute(
        """SELECT id FROM captures WHERE payload_sha256 = ? AND url = ? AND fetched_at = ?
           ORDER BY id LIMIT 1""",
        (payload_sha256, url, fetched_at),
    ).fetchone()
    return row[0] if row else None
