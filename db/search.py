"""Full-text search: ranked, phrase-aware, forgiving of broken syntax, with filters and facets."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .models import SearchHit, SearchQuery, SearchResult
from .normalise import bound_timestamp
from .scripts import CJK_SEARCH_RE
from .snippets import ELLIPSIS, HIGHLIGHT_END, HIGHLIGHT_START, substring_snippet, word_snippet

_SNIPPET_TOKENS = 24
_NEAR_DISTANCE = 12
_WEIGHTS = "4.0, 1.0"  # bm25 weights: title, text

_CJK = CJK_SEARCH_RE
_SYNTAX = re.compile(r'["*()^:+]|\b(?:AND|OR|NOT|NEAR)\b')
_WORD = re.compile(r"\w+", re.UNICODE)

_ORDERS = {
    "date": "s.published_ts DESC, s.id DESC",
    "date_asc": "s.published_ts ASC, s.id ASC",
    "title": "s.title IS NULL, s.title COLLATE NOCASE ASC, s.id",  # untitled posts last
    "title_desc": "s.title IS NULL, s.title COLLATE NOCASE DESC, s.id",
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
    words: tuple[str, ...] = ()  # plain words (snippets are cut around them in Python)
    union_sql: str | None = None  # more hits (the Chinese spellings of an expanded query)
    union_params: tuple[str, ...] = ()


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _plain_plan(words: list[str]) -> _Plan:
    if not words:
        return _Plan(None)
    match = " ".join(_quote(w) for w in words)
    if len(words) == 1:
        return _Plan("statement_fts", match, words=tuple(words))
    phrase = _quote(" ".join(words))
    near = f"NEAR({match}, {_NEAR_DISTANCE})"
    return _Plan("statement_fts", match, phrase, near, words=tuple(words))


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


def _fts_form(form: str) -> str:
    words = _WORD.findall(form)
    if form.endswith("*") and len(words) == 1:
        return _quote(words[0]) + "*"
    return _quote(" ".join(words))


def expanded_plan(query: SearchQuery) -> _Plan | None:
    """The plan of a query widened to every language (`query.expansions`), else None.

    Words written with spaces go to the word index as `(iran OR иран* OR ایران …) AND …`;
    statements in Chinese, Japanese or Korean are found through their own spellings by
    substring in the CJK index. Hits are listed by date (ranks of two indexes do not mix)."""
    groups = [[f for f in g if f] for g in query.expansions if g]
    if not groups:
        return None
    spaced = [[f for f in g if not _CJK.search(f) and _WORD.search(f)] for g in groups]
    match = " AND ".join("(" + " OR ".join(_fts_form(f) for f in g) + ")" for g in spaced if g)
    if any(not g for g in spaced):
        match = None  # a word with no spelling written with spaces: the CJK index alone
    params: list[str] = []
    cjk = [[f for f in g if _CJK.search(f)] or [f.rstrip("*") for f in g] for g in groups]
    t = "statement_fts_cjk"
    conditions = []
    for g in cjk:
        conditions.append(
            "(" + " OR ".join(f"{t}.title LIKE ? OR {t}.text LIKE ?" for _ in g) + ")"
        )
        params += [p for f in g for p in (f"%{f}%", f"%{f}%")]
    union_sql = f"SELECT rowid AS vid FROM {t} WHERE {' AND '.join(conditions)}"
    words = tuple(f.rstrip("*") for g in spaced for f in g)
    return _Plan(
        "statement_fts", match, words=words, union_sql=union_sql, union_params=tuple(params)
    )


def library_filters(query: SearchQuery, skip: str | None = None) -> tuple[list[str], list]:
    """The filters the search index does not hold, as SQL on `statements s`: a researcher's
    tags (all of them) and collections (any), novelty (saved searches), removals. They change
    without a new version, so every engine applies them from the archive."""
    where: list[str] = []
    params: list = []
    # A researcher's library (db/library.py): tags (all of them), collections (any), novelty.
    for tag in query.tags if skip != "tag" else ():
        where.append(
            "s.id IN (SELECT st.statement_id FROM statement_tags st JOIN tags t "
            "ON t.id = st.tag_id WHERE t.name = ?)"
        )
        params.append(tag)
    if query.collections and skip != "collection":
        where.append(
            "s.id IN (SELECT ci.statement_id FROM collection_items ci JOIN collections c "
            f"ON c.id = ci.collection_id WHERE c.name IN ({', '.join('?' * len(query.collections))}))"
        )
        params.extend(query.collections)
    if query.seen_since:
        where.append("s.first_seen > ?")
        params.append(query.seen_since)
    if query.removed_only:
        where.append("s.id IN (SELECT statement_id FROM removals WHERE restored_at IS NULL)")
    return where, params


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
    more, more_params = library_filters(query, skip)
    where += more
    params += more_params
    if skip != "year":
        if query.since:
            where.append("s.published_ts >= ?")
            params.append(bound_timestamp(query.since, end=False))
        if query.until:
            where.append("s.published_ts <= ?")
            params.append(bound_timestamp(query.until, end=True))
    return where, params


COUNT_CAP = 10_000  # counting stops here: "10,000+" is as useful as the exact figure
_WINDOW = 2_000  # a broad all-words tier is ranked among its newest matches only


def _hits_sql(plan: _Plan) -> tuple[str, list]:
    """A subquery of matching current versions: (vid) rows for the plan's text."""
    if plan.like_terms:
        likes = " AND ".join(
            f"({plan.table}.title LIKE ? OR {plan.table}.text LIKE ?)" for _ in plan.like_terms
        )
        params = [p for t in plan.like_terms for p in (f"%{t}%", f"%{t}%")]
        return f"SELECT rowid AS vid FROM {plan.table} WHERE {likes}", params
    if plan.union_sql and plan.match is None:
        return plan.union_sql, list(plan.union_params)
    if plan.union_sql:
        return (
            f"SELECT rowid AS vid FROM {plan.table} WHERE {plan.table} MATCH ? "
            f"UNION {plan.union_sql}",
            [plan.match, *plan.union_params],
        )
    return f"SELECT rowid AS vid FROM {plan.table} WHERE {plan.table} MATCH ?", [plan.match]


def _count(conn: sqlite3.Connection, plan: _Plan, where: list[str], params: list) -> int:
    """Matching statements, counted up to COUNT_CAP + 1 (no ranking, no joins not needed)."""
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    if plan.table is None:
        inner = f"SELECT 1 FROM statements s {where_sql}"
        hit_params: list = []
    else:
        hits, hit_params = _hits_sql(plan)
        if where:
            inner = f"SELECT 1 FROM ({hits}) h {_statement_of('h.vid')} {where_sql}"
        else:  # every indexed row is a statement's current version
            inner = hits
    sql = f"SELECT COUNT(*) FROM ({inner} LIMIT {COUNT_CAP + 1})"
    return conn.execute(sql, hit_params + params).fetchone()[0]


def _statement_of(version_id: str) -> str:
    """Join a hit to its statement. The full-text match stays the outer loop and each hit finds
    its statement, filters included, in one covering index: left to itself, SQLite probed a
    filter's index once per hit instead (minutes at 1M statements)."""
    return (
        "CROSS JOIN statements s INDEXED BY statements_current_filters "
        f"ON s.current_version_id = {version_id}"
    )


_SOURCE = "JOIN sources src ON src.id = s.source_id"


def _ranked(
    conn: sqlite3.Connection,
    plan: _Plan,
    expr: str,
    where: list[str],
    params: list,
    need: int,
    window: bool,
) -> list[sqlite3.Row]:
    """The best `need` hits of one FTS expression by bm25 (the newest _WINDOW when `window`)."""
    t = plan.table
    where_sql = " AND ".join([f"{t} MATCH ?", *where])
    select = (
        f"SELECT {_HIT_COLUMNS}, s.published_ts AS published_ts, "
        f"bm25({t}, {_WEIGHTS}) AS score FROM {t} {_statement_of(t + '.rowid')} {_SOURCE}"
    )
    if window:
        sql = (
            f"SELECT * FROM ({select} WHERE {where_sql} ORDER BY {t}.rowid DESC "
            f"LIMIT {_WINDOW}) ORDER BY score, published_ts DESC LIMIT ?"
        )
    else:
        sql = f"{select} WHERE {where_sql} ORDER BY score, s.published_ts DESC LIMIT ?"
    return conn.execute(sql, [expr, *params, need]).fetchall()


def _tiers(plan: _Plan) -> list[str]:
    """Phrase, then words close together, then all words: each tier excludes the ones before."""
    if plan.phrase is None:
        return [plan.match]
    return [plan.phrase, f"({plan.near}) NOT {plan.phrase}", f"({plan.match}) NOT ({plan.near})"]


def _run(conn: sqlite3.Connection, query: SearchQuery, plan: _Plan) -> SearchResult:
    where, params = _filters(query)
    total = _count(conn, plan, where, params)
    offset, limit = max(0, query.offset), max(0, query.limit)
    order = query.order
    if plan.table is None or plan.like_terms or plan.union_sql:
        order = "date" if order == "rank" else order
    if order == "rank":
        need = offset + limit
        rows: list = []
        for n, expr in enumerate(_tiers(plan)):
            broad = n == 2 and total > COUNT_CAP
            rows += _ranked(conn, plan, expr, where, params, need - len(rows), broad)
            if len(rows) >= need:
                break
        rows = rows[offset:]
    else:
        order_sql = _ORDERS.get(order)
        if order_sql is None:
            raise ValueError(f"unknown order {order!r}; one of rank, {', '.join(_ORDERS)}")
        base = f"statements s {_SOURCE}"
        hit_params: list = []
        if plan.table is not None:
            hits, hit_params = _hits_sql(plan)
            base = f"({hits}) h {_statement_of('h.vid')} {_SOURCE}"
        where_sql = f"WHERE {' AND '.join(where)}" if where else ""
        rows = conn.execute(
            f"SELECT {_HIT_COLUMNS}, NULL AS score FROM {base} {where_sql} "
            f"ORDER BY {order_sql} LIMIT ? OFFSET ?",
            hit_params + params + [limit, offset],
        ).fetchall()
    snippets = _snippets(conn, plan, [r["current_version_id"] for r in rows])
    leads = _leads(conn, [r["current_version_id"] for r in rows if not r["title"]])
    tags = _tags(conn, [r["archive_id"] for r in rows])
    hits = [
        SearchHit(
            archive_id=r["archive_id"],
            url=r["url"],
            source_id=r["source_id"],
            source_name=r["source_name"],
            title=r["title"],
            published=r["published"],
            language=r["language"],
            kind=r["kind"],
            speaker=r["speaker"],
            version_count=r["version_count"],
            snippet=snippets.get(r["current_version_id"]),
            score=None if r["score"] is None else round(-r["score"], 6),
            lead=leads.get(r["current_version_id"]),
            tags=tags.get(r["archive_id"], ()),
        )
        for r in rows
    ]
    return SearchResult(
        min(total, COUNT_CAP),
        hits,
        plan.match if plan.table else None,
        total_exact=total <= COUNT_CAP,
    )


def _tags(conn: sqlite3.Connection, archive_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The tags of one page of hits, in one query."""
    if not archive_ids:
        return {}
    marks = ", ".join("?" * len(archive_ids))
    rows = conn.execute(
        f"""SELECT s.archive_id, t.name FROM statements s
            JOIN statement_tags st ON st.statement_id = s.id JOIN tags t ON t.id = st.tag_id
            WHERE s.archive_id IN ({marks}) ORDER BY t.name""",
        archive_ids,
    )
    out: dict[str, tuple[str, ...]] = {}
    for archive_id, name in rows:
        out[archive_id] = (*out.get(archive_id, ()), name)
    return out


def _leads(conn: sqlite3.Connection, version_ids: list[int], width: int = 120) -> dict[int, str]:
    """The first line of each text, shortened: what names an untitled post in a list."""
    if not version_ids:
        return {}
    marks = ", ".join("?" * len(version_ids))
    rows = conn.execute(
        f"SELECT id, substr(text, 1, {width * 2}) FROM versions WHERE id IN ({marks})", version_ids
    )
    leads = {}
    for vid, start in rows:
        line = " ".join((start or "").strip().split("\n", 1)[0].split())
        leads[vid] = line if len(line) <= width else line[: width - 1].rstrip() + ELLIPSIS
    return leads


def _snippets(conn: sqlite3.Connection, plan: _Plan, version_ids: list[int]) -> dict[int, str]:
    if plan.table is None or plan.match is None or not version_ids:
        return {}
    marks = ", ".join("?" * len(version_ids))
    if plan.like_terms or plan.words:
        rows = conn.execute(f"SELECT id, text FROM versions WHERE id IN ({marks})", version_ids)
        if plan.like_terms:
            return {vid: substring_snippet(text, plan.like_terms) for vid, text in rows}
        return {vid: word_snippet(text, list(plan.words)) for vid, text in rows}
    rows = conn.execute(  # raw FTS syntax (prefixes, operators): let FTS5 find the matches
        f"""SELECT rowid, snippet({plan.table}, 1, ?, ?, ?, ?) FROM {plan.table}
            WHERE {plan.table} MATCH ? AND rowid IN ({marks})""",
        [HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, _SNIPPET_TOKENS, plan.match, *version_ids],
    )
    return dict(rows.fetchall())


# What a text query matches, as the search engine found it (db/engine.py): the current version of
# each matching statement, in this connection's temporary schema.
ENGINE_HITS = _Plan("statement_fts", None, union_sql="SELECT vid FROM temp.engine_hits")


def _with_fallback(conn: sqlite3.Connection, query: SearchQuery, fn, engine: bool = True):
    """Run `fn(plan)`. A text query's matches come from the search engine (db/engine.py), so
    the views computed here in SQL (timeline, library facets) count what the search finds.
    With `engine=False` (the benchmark's FTS5 side, over tables `main.py datasette` filled),
    text that is not valid FTS5 syntax is searched again as plain words."""
    if engine and ((query.text or "").strip() or query.expansions):
        from .engine import fill_engine_hits

        if fill_engine_hits(conn, query):
            return fn(ENGINE_HITS)
    plan = expanded_plan(query) or plan_query(query.text)
    try:
        return fn(plan)
    except sqlite3.OperationalError:
        # Only raw user syntax can fail to parse; anything else fails again below and surfaces.
        if plan.table != "statement_fts" or plan.phrase is not None or plan.union_sql:
            raise
    return fn(_plain_plan(_WORD.findall(query.text)))


def search(conn: sqlite3.Connection, query: SearchQuery, engine: bool = True) -> SearchResult:
    """Hits for `query` in SQL, with snippets: a text query's matches from the search engine
    (or, with `engine=False`, ranked by FTS5: phrase and proximity matches first)."""
    return _with_fallback(conn, query, lambda plan: _run(conn, query, plan), engine)


_FACETS = {
    "source": "s.source_id",
    "country": "s.country",
    "language": "s.language",
    "kind": "s.kind",
    "speaker": "s.speaker",
    "year": "strftime('%Y', s.published_ts, 'unixepoch')",
}
_SPEAKER_LIMIT = 100


def chosen_facets(query: SearchQuery) -> dict[str, object]:
    """Per facet, what the query filters it to (empty or None: not filtered). A filtered facet
    is counted on its own, ignoring its own choice, so the alternatives stay visible."""
    return {
        "source": query.sources,
        "country": query.countries,
        "language": query.languages,
        "kind": query.kinds,
        "speaker": query.speakers,
        "year": query.since or query.until,
    }


def facets(
    conn: sqlite3.Connection, query: SearchQuery, engine: bool = True
) -> dict[str, dict[str, int]]:
    """Counts per value of each filter for the current query (ignoring that filter's own choice).

    Facets whose own filter is not set share one pass over the matches; each facet with a
    filter of its own needs a pass without it.
    """

    def run(plan: _Plan) -> dict[str, dict[str, int]]:
        hits, hit_params = _hits_sql(plan) if plan.table else ("", [])
        source = f"({hits}) h {_statement_of('h.vid')}" if hits else "statements s"
        chosen = chosen_facets(query)
        shared = [name for name in _FACETS if not chosen[name]]
        passes = [shared] + [[name] for name in _FACETS if chosen[name]]
        counts: dict[str, dict[str, int]] = {name: {} for name in _FACETS}
        for names in passes:
            if not names:
                continue
            where, params = _filters(query, skip=names[0] if len(names) == 1 else None)
            where_sql = f"WHERE {' AND '.join(where)}" if where else ""
            columns = ", ".join(f"{_FACETS[n]} AS {n}" for n in names)
            rows = conn.execute(
                f"SELECT {columns}, COUNT(*) AS n FROM {source} {where_sql} "
                f"GROUP BY {', '.join(names)}",
                hit_params + params,
            )
            for row in rows:
                for i, name in enumerate(names):
                    if row[i] is not None:
                        bucket = counts[name]
                        bucket[str(row[i])] = bucket.get(str(row[i]), 0) + row[-1]
        for name, bucket in counts.items():
            if name == "speaker":
                top = sorted(bucket.items(), key=lambda kv: (-kv[1], kv[0]))[:_SPEAKER_LIMIT]
                counts[name] = dict(top)
            else:
                counts[name] = dict(sorted(bucket.items()))
        return counts

    return _with_fallback(conn, query, run, engine)


def check_index(conn: sqlite3.Connection) -> list[str]:
    """Problems of the search index against the archive (empty when healthy), one per line.
    (The FTS5 tables are filled on demand for Datasette, not kept in step: not checked.)"""
    from .engine import check_index as check_engine_index  # the tantivy index (db/tindex.py)

    return check_engine_index(conn)


_TAG_LIMIT = 200  # the most frequent tags (sources bring thousands of their own categories)
_LIBRARY_FACETS = {
    "tag": (
        "tag",
        "SELECT t.name, COUNT(*) AS n FROM statement_tags st JOIN tags t ON t.id = st.tag_id "
        "WHERE st.statement_id IN ({matches}) GROUP BY t.name "
        f"ORDER BY n DESC, t.name LIMIT {_TAG_LIMIT}",
    ),
    "collection": (
        "collection",
        "SELECT c.name, COUNT(*) FROM collection_items ci JOIN collections c "
        "ON c.id = ci.collection_id WHERE ci.statement_id IN ({matches}) "
        "GROUP BY c.name ORDER BY c.name",
    ),
}


_ALL_COUNTS = {
    "tag": "SELECT t.name, c.n FROM (SELECT tag_id, COUNT(*) AS n FROM statement_tags "
    f"GROUP BY tag_id ORDER BY n DESC LIMIT {_TAG_LIMIT}) c JOIN tags t ON t.id = c.tag_id",
    "collection": "SELECT c.name, COUNT(*) FROM collection_items ci JOIN collections c "
    "ON c.id = ci.collection_id GROUP BY c.id",
}


def library_facets(conn: sqlite3.Connection, query: SearchQuery) -> dict[str, dict[str, int]]:
    """Counts per tag and per collection among the statements matching `query` (each ignoring
    its own filter, like `facets`)."""

    def run(plan: _Plan) -> dict[str, dict[str, int]]:
        hits, hit_params = _hits_sql(plan) if plan.table else ("", [])
        source = f"({hits}) h {_statement_of('h.vid')}" if hits else "statements s"
        out: dict[str, dict[str, int]] = {}
        for name, (skip, sql) in _LIBRARY_FACETS.items():
            where, params = _filters(query, skip=skip)
            if not hits and not where:  # everything matches: count from the index alone
                rows = conn.execute(_ALL_COUNTS[name])
                out[name] = dict(sorted((row[0], row[1]) for row in rows))
                continue
            where_sql = f"WHERE {' AND '.join(where)}" if where else ""
            matches = f"SELECT s.id FROM {source} {where_sql}"
            rows = conn.execute(sql.format(matches=matches), hit_params + params)
            out[name] = dict(sorted((row[0], row[1]) for row in rows))
        return out

    return _with_fallback(conn, query, run)
