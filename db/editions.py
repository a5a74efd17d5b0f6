"""Language editions: statements one institution published in several languages, linked.

An edition key (`kremlin:63950`, `cn-mfa:2020-07-03`) is computed by the caller from the
source's rules (the scraper's `editions` setting); statements sharing a key are editions of one
another. A statement looked at and found to have no key is recorded with the empty key, so
linking "what is not linked yet" does not look at it again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator


def unlinked(conn: sqlite3.Connection, source_ids: Iterable[str]) -> Iterator[tuple]:
    """(rowid, source_id, url, published, kind) of statements of these sources never looked at."""
    ids = list(source_ids)
    if not ids:
        return
    marks = ", ".join("?" for _ in ids)
    yield from conn.execute(
        f"""SELECT s.id, s.source_id, s.url, s.published, s.kind FROM statements s
            WHERE s.source_id IN ({marks})
              AND NOT EXISTS (SELECT 1 FROM editions e WHERE e.statement_id = s.id)""",
        ids,
    ).fetchall()


def set_keys(conn: sqlite3.Connection, keys: Iterable[tuple[int, str]]) -> int:
    """Record (statement rowid, edition key or ''); return how many have a key."""
    rows = list(keys)
    conn.executemany("INSERT OR REPLACE INTO editions (statement_id, edition) VALUES (?, ?)", rows)
    return sum(1 for _, key in rows if key)


def set_key(conn: sqlite3.Connection, source_id: str, key: str, edition: str) -> None:
    """Record the edition key an imported record names (`edition` in the interchange schema)."""
    conn.execute(
        """INSERT OR REPLACE INTO editions (statement_id, edition)
           SELECT id, ? FROM statements WHERE source_id = ? AND key = ?""",
        (edition, source_id, key),
    )


def editions_of(conn: sqlite3.Connection, archive_id: str) -> list[dict]:
    """The other-language editions of a statement: [{"id", "language", "title"}], by language.

    A statement of the same language sharing the key (one page under two addresses) is no edition.
    """
    rows = conn.execute(
        """SELECT o.archive_id, o.language, o.title FROM statements s
           JOIN editions e ON e.statement_id = s.id AND e.edition != ''
           JOIN editions oe ON oe.edition = e.edition AND oe.statement_id != s.id
           JOIN statements o ON o.id = oe.statement_id
           WHERE s.archive_id = ? AND o.language IS NOT s.language
           ORDER BY o.language, o.published, o.archive_id""",
        (archive_id,),
    ).fetchall()
    return [{"id": r[0], "language": r[1], "title": r[2]} for r in rows]
