"""Canonical speakers: one person's spellings ("President Biden", "President Joseph R. Biden,
Jr."; 耿爽 / Geng Shuang) are one facet value and one filter value. The alias table is data:
`db/speakers.json` (versioned, shipped) plus an optional `speakers.json` of the same shape in
the archive folder, which users extend. The archive's own speaker values are never rewritten:
the table is applied when counting and filtering."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

SHIPPED = Path(__file__).with_name("speakers.json")
USER_FILE = "speakers.json"

_cache: dict[tuple, tuple[int, dict[str, str], dict[str, list[str]]]] = {}


class BadAliasTable(ValueError):
    """A speakers.json that cannot be used; the message names the file and the reason."""


def _read(path: Path) -> tuple[int, dict[str, list[str]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        people = data["people"]
        version = int(data.get("version", 0))
        if not isinstance(people, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) for s in v)
            for k, v in people.items()
        ):
            raise ValueError("'people' must map each name to a list of spellings")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadAliasTable(f"{path}: not a speaker alias table ({exc})") from None
    return version, people


def table(folder: Path | None) -> tuple[int, dict[str, str], dict[str, list[str]]]:
    """(version, casefolded spelling -> canonical name, canonical name -> spellings)."""
    files = [SHIPPED]
    if folder is not None and (folder / USER_FILE).is_file():
        files.append(folder / USER_FILE)
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    if key not in _cache:
        version, canon, spell = 0, {}, {}
        for f in files:
            v, people = _read(f)
            version = max(version, v)
            for name, spellings in people.items():
                for s in [name, *spellings]:
                    canon[s.casefold()] = name
                spell.setdefault(name, [])
                spell[name] += [s for s in [name, *spellings] if s not in spell[name]]
        _cache[key] = (version, canon, spell)
    return _cache[key]


def folder_of(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).parent
    return None


def canonical(conn: sqlite3.Connection, value: str) -> str:
    return table(folder_of(conn))[1].get(value.casefold(), value)


def spellings(conn: sqlite3.Connection, value: str) -> list[str]:
    """`value` and every spelling the alias table gives the same canonical name."""
    _, canon, spell = table(folder_of(conn))
    name = canon.get(value.casefold())
    if name is None:
        return [value]
    return [value, *(s for s in spell[name] if s != value)]


def merge_counts(conn: sqlite3.Connection, counts: dict[str, int]) -> dict[str, int]:
    """Speaker facet counts with each person's spellings added up under the canonical name."""
    _, canon, _ = table(folder_of(conn))
    merged: dict[str, int] = {}
    for value, n in counts.items():
        name = canon.get(value.casefold(), value)
        merged[name] = merged.get(name, 0) + n
    return merged
