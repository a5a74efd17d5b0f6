"""Full-text search: ranked, phrase-aware, forgiving of broken syntax, with filters and facets."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .models import SearchHit, SearchQuery, SearchResult
from .normalise import bound_timestamp

HIGHLIGHT_START = "\u27e6"  # ⟦ — marks the start of a match in a snippet
HIGHLIGHT_END = "\u27e7"  # ⟧
_ELLIPSIS = "…"
_SNIPPET_TOKENS = 24
_NEAR_DISTANCE = 12
_WEIGHTS = "4.0, 1.0"  # bm25 weights: title, text

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SYNTAX = re.compile(r'["*()^:+]|\b(?:AND|OR|NOT|NEAR)\b')
_WORD = re.compile(r"\w+", re.UNICODE)

_ORDERS = {
    "date": "s.published_ts DESC, s.id DESC",
    "date_asc": "s.published_ts ASC, s.id ASC",
    "title": "s.title COLLATE NOCASE ASC, s.id",
    "title_desc": "s.title COLLATE NOCASE DESC, s.id",
    "source": "s.source_id ASC, s.published_ts DESC",
    "source_desc": "s.source_id DESC, s.published_ts DESC",
    "kind": "s.kind ASC, s.published_ts DESC",
    "kind_desc": "s.kind DESC, s.published_ts DESC",
    "language": "s.language ASC, s.published_ts DESC",
    "language_desc": "s.language DESC, s.published_ts DESC",
    "versions": "s.version_count DESC, s.published_ts DESC",
    "versions_asc": "s.version_count ASC, s.published_ts DESC",
}

_HIT_COLUMNS = """s.archive_id, s.url, s.source_id, src.name AS source_name, s.title,
    s.published, s.language, s.kind, s.speaker, s.version_count, s.current_version_id"""


@dataclass(frozen=True)
class _Plan:
    """How a query's text is run: which index, which expression, and how ranks are tiered."""

    table: str | None  # None: no text, list everything
    match: str | None = None  # FTS5 expression
    phrase: str | None = None  # plain words as one phrase (tier 0)
    near: str | None = None  # plain words close together (tier 1)
    like_terms: tuple[str, ...] = ()  # CJK terms too short for trigrams: substring scan


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _plain_plan(words: list[str]) -> _Plan:
    if not words:
        return _Plan(None)
    match = " ".join(_quote(w) for w in words)
    if len(words) == 1:
        return _Plan("statement_fts", match)
    phrase = _quote(" ".join(words))
    near = f"NEAR({match}, {_NEAR_DISTANCE})"
    return _Plan("statement_fts", match, phrase, near)


def plan_query(text: str) -> _Plan:
    """Decide how to run `text`: raw FTS syntax when it uses operators, else plain words."""
    text = (text or "").strip()
    if not text:
        return _Plan(None)
    if _CJK.search(text):
        terms = [t for t in re.split(r"\s+", text.replace('"', " ")) if t]
        if all(len(t) >= 3 for t in terms):
            return _Plan("statement_fts_cjk", " ".join(_quote(t) for t in terms))
        return _Plan("statement_fts_cjk", like_terms=tuple(terms))
    if _SYNTAX.search(text):
        return _Plan("statement_fts", text)
    return _plain_plan(_WORD.findall(text))


def _filters(query: SearchQuery, skip: str | None = None) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    for name, column, values in (
        ("source", "s.source_id", query.sources),
        ("country", "s.country", query.countries),
        ("language", "s.language", query.languages),
        ("kind", "s.kind", query.kinds),
        ("speaker", "s.speaker", query.speakers),
    ):
        if values and name != skip:
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if skip != "year":
        if query.since:
            where.append("s.published_ts >= ?")
            params.append(bound_timestamp(query.since, end=False))
        if query.until:
            where.append("s.published_ts <= ?")
            params.append(bound_timestamp(query.until, end=True))
    return where, params


def _from_clause(plan: _Plan) -> tuple[str, list]:
    """The FROM clause (hits joined to statements) and its parameters, plus a tier column."""
    base = "statements s JOIN sources src ON src.id = s.source_id"
    if plan.table is None:
        return base, []
    joined = "h JOIN statements s ON s.current_version_id = h.vid JOIN sources src ON src.id = s.source_id"
    if plan.like_terms:
        likes = " AND ".join(
            f"({plan.table}.title LIKE ? OR {plan.table}.text LIKE ?)" for _ in plan.like_terms
        )
        params = [p for t in plan.like_terms for p in (f"%{t}%", f"%{t}%")]
        hits = f"SELECT rowid AS vid, 0.0 AS score FROM {plan.table} WHERE {likes}"
        return f"({hits}) {joined}", params
    hits = (f"SELECT rowid AS vid, bm25({plan.table}, {_WEIGHTS}) AS score FROM {plan.table} "
            f"WHERE {plan.table} MATCH ?")
    return f"({hits}) {joined}", [plan.match]


def _tier(plan: _Plan) -> tuple[str, list]:
    if plan.phrase is None:
        return "0", []
    return (
        f"""CASE WHEN h.vid IN (SELECT rowid FROM {plan.table} WHERE {plan.table} MATCH ?) THEN 0
                 WHEN h.vid IN (SELECT rowid FROM {plan.table} WHERE {plan.table} MATCH ?) THEN 1
                 ELSE 2 END""",
        [plan.phrase, plan.near],
    )


def _run(conn: sqlite3.Connection, query: SearchQuery, plan: _Plan) -> SearchResult:
    from_sql, from_params = _from_clause(plan)
    where, where_params = _filters(query)
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(
        f"SELECT COUNT(*) FROM {from_sql} {where_sql}", from_params + where_params
    ).fetchone()[0]

    order = query.order
    if plan.table is None or plan.like_terms:
        order = "date" if order == "rank" else order
    tier_sql, tier_params = _tier(plan) if order == "rank" else ("0", [])
    score_sql = "h.score" if plan.table is not None else "NULL"
    order_sql = "tier, h.score, s.published_ts DESC" if order == "rank" else _ORDERS.get(order)
    if order_sql is None:
        raise ValueError(f"unknown order {order!r}; one of rank, {', '.join(_ORDERS)}")
    rows = conn.execute(
        f"""SELECT {_HIT_COLUMNS}, {score_sql} AS score, {tier_sql} AS tier
            FROM {from_sql} {where_sql} ORDER BY {order_sql} LIMIT ? OFFSET ?""",
        tier_params + from_params + where_params + [max(0, query.limit), max(0, query.offset)],
    ).fetchall()
    snippets = _snippets(conn, plan, [r["current_version_id"] for r in rows])
    hits = [
        SearchHit(
            archive_id=r["archive_id"], url=r["url"], source_id=r["source_id"],
            source_name=r["source_name"], title=r["title"], published=r["published"],
            language=r["language"], kind=r["kind"], speaker=r["speaker"],
            version_count=r["version_count"], snippet=snippets.get(r["current_version_id"]),
            score=None if r["score"] is None else round(-r["score"], 6),
        )
        for r in rows
    ]
    return SearchResult(total, hits, plan.match if plan.table else None)


def _snippets(conn: sqlite3.Connection, plan: _Plan, version_ids: list[int]) -> dict[int, str]:
    if plan.table is None or not version_ids:
        return {}
    if plan.like_terms:
        marks = ", ".join("?" * len(version_ids))
        rows = conn.execute(f"SELECT id, text FROM versions WHERE id IN ({marks})", version_ids)
        return {vid: _substring_snippet(text, plan.like_terms) for vid, text in rows}
    marks = ", ".join("?" * len(version_ids))
    rows = conn.execute(
        f"""SELECT rowid, snippet({plan.table}, 1, ?, ?, ?, ?) FROM {plan.table}
            WHERE {plan.table} MATCH ? AND rowid IN ({marks})""",
        [HIGHLIGHT_START, HIGHLIGHT_END, _ELLIPSIS, _SNIPPET_TOKENS, plan.match, *version_ids],
    )
    return dict(rows.fetchall())


def _substring_snippet(text: str, terms: tuple[str, ...], width: int = 40) -> str:
    at = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
    start, end = max(0, at - width), min(len(text), at + width)
    piece = text[start:end]
    for term in terms:
        piece = piece.replace(term, f"{HIGHLIGHT_START}{term}{HIGHLIGHT_END}")
    return (_ELLIPSIS if start else "") + piece + (_ELLIPSIS if end < len(text) else "")


def _with_fallback(conn: sqlite3.Connection, query: SearchQuery, fn):
    """Run `fn(plan)`; text that is not valid FTS5 syntax is searched again as plain words."""
    plan = plan_query(query.text)
    try:
        return fn(plan)
    except sqlite3.OperationalError:
        # Only raw user syntax can fail to parse; anything else fails again below and surfaces.
        if plan.table != "statement_fts" or plan.phrase is not None:
            raise
    return fn(_plain_plan(_WORD.findall(query.text)))


def search(conn: sqlite3.Connection, query: SearchQuery) -> SearchResult:
    """Ranked hits for `query` (phrase and proximity matches first), with snippets."""
    return _with_fallback(conn, query, lambda plan: _run(conn, query, plan))


_FACETS = {
    "source": "s.source_id",
    "country": "s.country",
    "language": "s.language",
    "kind": "s.kind",
    "speaker": "s.speaker",
    "year": "strftime('%Y', s.published_ts, 'unixepoch')",
}
_FACET_LIMIT = {"speaker": 100}


def facets(conn: sqlite3.Connection, query: SearchQuery) -> dict[str, dict[str, int]]:
    """Counts per value of each filter for the current query (ignoring that filter's own choice)."""

    def run(plan: _Plan) -> dict[str, dict[str, int]]:
        from_sql, from_params = _from_clause(plan)
        result: dict[str, dict[str, int]] = {}
        for name, column in _FACETS.items():
            where, params = _filters(query, skip=name)
            where.append(f"{column} IS NOT NULL")
            limit = _FACET_LIMIT.get(name, -1)
            order = "n DESC, value" if name in _FACET_LIMIT else "value"
            rows = conn.execute(
                f"""SELECT {column} AS value, COUNT(*) AS n FROM {from_sql}
                    WHERE {' AND '.join(where)} GROUP BY value ORDER BY {order} LIMIT ?""",
                from_params + params + [limit],
            )
            result[name] = {str(v): n for v, n in rows}
        return result

    return _with_fallback(conn, query, run)
