"""Statements per source over time for a search (and edits over time), exact, in UTC buckets.

The matching set is the search's own: the same query plan, hits and filters as `db.search`, so
the buckets add up to the search total (exactly, also beyond the 10,000 the list counts to).
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass

from .models import SearchQuery
from .search import _filters, _hits_sql, _statement_of, _with_fallback

BUCKETS = {
    "day": "date(s.published_ts, 'unixepoch')",
    "week": "date(s.published_ts, 'unixepoch', '-6 days', 'weekday 1')",  # the Monday
    "month": "strftime('%Y-%m-01', s.published_ts, 'unixepoch')",
    "year": "strftime('%Y-01-01', s.published_ts, 'unixepoch')",
}
_EDIT_BUCKETS = {
    "day": "date(v.first_seen)",
    "week": "date(v.first_seen, '-6 days', 'weekday 1')",
    "month": "strftime('%Y-%m-01', v.first_seen)",
    "year": "strftime('%Y-01-01', v.first_seen)",
}


@dataclass(frozen=True)
class Bucket:
    start: str | None  # first day of the bucket (ISO date, UTC); None: undated statements
    source: str
    count: int


@dataclass(frozen=True)
class Timeline:
    by: str
    total: int
    buckets: list[Bucket]  # statements per (bucket, source), by start then source
    edits: list[Bucket]  # new versions (edits) per (bucket of the day first seen, source)

    def to_json(self) -> dict:
        return {
            "by": self.by,
            "total": self.total,
            "buckets": [
                {"start": b.start, "source": b.source, "count": b.count} for b in self.buckets
            ],
            "edits": [{"start": b.start, "source": b.source, "count": b.count} for b in self.edits],
        }


def timeline(conn: sqlite3.Connection, query: SearchQuery, by: str = "month") -> Timeline:
    """Counts of the statements matching `query` per `by` bucket and source."""
    if by not in BUCKETS:
        raise ValueError(f"unknown bucket {by!r}; one of {', '.join(BUCKETS)}")

    def run(plan) -> Timeline:
        where, params = _filters(query)
        base = "statements s"
        hit_params: list = []
        if plan.table is not None:
            hits, hit_params = _hits_sql(plan)
            base = f"({hits}) h {_statement_of('h.vid')}"
        where_sql = f"WHERE {' AND '.join(where)}" if where else ""
        rows = conn.execute(
            f"SELECT {BUCKETS[by]} AS start, s.source_id, COUNT(*) FROM {base} {where_sql} "
            "GROUP BY start, s.source_id ORDER BY start IS NULL, start, s.source_id",
            hit_params + params,
        ).fetchall()
        edits = conn.execute(
            f"SELECT {_EDIT_BUCKETS[by]} AS start, s.source_id, COUNT(*) FROM {base} "
            f"JOIN versions v ON v.statement_id = s.id AND v.seq > 1 {where_sql} "
            "GROUP BY start, s.source_id ORDER BY start, s.source_id",
            hit_params + params,
        ).fetchall()
        buckets = [Bucket(r[0], r[1], r[2]) for r in rows]
        return Timeline(
            by, sum(b.count for b in buckets), buckets, [Bucket(r[0], r[1], r[2]) for r in edits]
        )

    return _with_fallback(conn, query, run)


def write_csv(result: Timeline, stream) -> None:
    """One row per (bucket, source): start, source, statements, edits."""
    edits = {(b.start, b.source): b.count for b in result.edits}
    counts = {(b.start, b.source): b.count for b in result.buckets}
    keys = sorted(set(counts) | set(edits), key=lambda k: (k[0] is None, k[0] or "", k[1]))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["start", "source", "count", "edits"])
    for key in keys:
        writer.writerow([key[0] or "", key[1], counts.get(key, 0), edits.get(key, 0)])
