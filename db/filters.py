"""Filter values as the user types them, matched to the values the archive holds: case does not
matter, and a value the archive does not hold is an error naming the ones it does."""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import replace

from .models import SearchQuery

# (SearchQuery field, option name, column, table)
_FILTERS = (
    ("sources", "source", "id", "sources"),
    ("countries", "country", "country", "statements"),
    ("languages", "language", "language", "statements"),
    ("kinds", "kind", "kind", "statements"),
    ("speakers", "speaker", "speaker", "statements"),
)
_SHOWN = 12  # known values named in an error, at most


class UnknownFilterValue(ValueError):
    """A filter value the archive does not hold; the message names the known ones."""


def known_values(conn: sqlite3.Connection, column: str, table: str) -> list[str]:
    rows = conn.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")
    return sorted(r[0] for r in rows)


def _resolve(
    conn: sqlite3.Connection, value: str, option: str, column: str, table: str
) -> list[str]:
    if conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (value,)).fetchone():
        return [value]
    known = known_values(conn, column, table)
    same = [k for k in known if k.casefold() == value.casefold()]
    if same or option == "speaker":  # speakers are an open set: an unknown one finds nothing
        return same or [value]
    if not known:
        raise UnknownFilterValue(f"unknown {option} {value!r}: the archive has no {option} values")
    close = difflib.get_close_matches(value, known, n=_SHOWN, cutoff=0.6)
    shown = close or known[:_SHOWN]
    more = "" if close or len(known) <= _SHOWN else f" … ({len(known):,d} in all)"
    hint = "did you mean" if close else "known"
    raise UnknownFilterValue(f"unknown {option} {value!r}; {hint}: {', '.join(shown)}{more}")


def resolve_filters(conn: sqlite3.Connection, query: SearchQuery) -> SearchQuery:
    """`query` with each filter value replaced by the archive's own spelling(s) of it; a
    speaker stands for every spelling the alias table gives that person."""
    changes = {}
    for name, option, column, table in _FILTERS:
        values = getattr(query, name)
        if not values:
            continue
        resolved: list[str] = []
        for value in values:
            if option == "speaker":
                from .speakers import spellings

                aliases = spellings(conn, value)
                if len(aliases) > 1:  # a person in the alias table: every spelling present
                    found = [s for s in aliases if _exists(conn, s)] or [value]
                else:
                    found = _resolve(conn, value, option, column, table)
            else:
                found = _resolve(conn, value, option, column, table)
            resolved += [v for v in found if v not in resolved]
        if resolved != list(values):
            changes[name] = resolved
    return replace(query, **changes) if changes else query


def _exists(conn: sqlite3.Connection, speaker: str) -> bool:
    sql = "SELECT 1 FROM statements WHERE speaker = ? LIMIT 1"
    return conn.execute(sql, (speaker,)).fetchone() is not None
