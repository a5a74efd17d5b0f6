"""Search through the tantivy index (db/tindex.py): ranked hits, exact counts up to a cap,
snippets, facets; hits joined to the archive, which has the last word on what exists."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import tantivy

from . import search as fts
from .errors import ArchiveReadOnly
from .filters import UnknownFilterValue, resolve_filters
from .models import SearchHit, SearchQuery, SearchResult
from .normalise import bound_timestamp
from .snippets import Snippeter, substring_snippet
from .speakers import merge_counts
from .tindex import SCHEMA, IndexBusy, SearchIndex, _queue_end, index_path
from .tquery import Plan, parse

_FACET_SIZE = 1000
HOLD_IDLE = 2.0  # seconds without a commit after which the indexing thread gives its writer up
# How long a commit's indexing waits for another process's writer; that process's next pass
# applies this commit's queue entries too, and any later sync does otherwise.
WRITER_WAIT = 5.0
fts_errors = (UnknownFilterValue,)  # errors about the query, never about the index

_indexes: dict[Path, SearchIndex] = {}
_indexes_lock = threading.Lock()


def index_for(folder: Path) -> SearchIndex:
    """One SearchIndex per archive folder and process (tantivy allows one writer per index)."""
    path = index_path(Path(folder).resolve())
    with _indexes_lock:
        if path not in _indexes:
            _indexes[path] = SearchIndex(path)
        return _indexes[path]


def ensure(
    conn: sqlite3.Connection,
    folder: Path,
    *,
    writable: bool,
    on_progress: Callable[[int, int], None] | None = None,
) -> SearchIndex:
    """The archive's index, usable and caught up: built when missing or damaged, queue applied."""
    index = index_for(folder)
    gone = not (index.path / "meta.json").exists()
    problem = index.problem() if index.index is None or gone else None
    if problem is None and (index.applied() or 0) > _queue_end(conn):
        problem = "the search index is newer than the archive (restored from a backup?)"
    if problem is not None:
        _rebuild(index, conn, on_progress, unless_usable=not problem.endswith("backup?)"))
        return index
    try:
        index.sync(conn, wait=60.0 if writable else 0.0)
    except IndexBusy:
        pass  # another process is indexing: it applies the same queue
    return index


# Told (done, total) of every rebuild in this process, whichever thread runs it: the viewer shows
# one progress bar although its list, facets and timeline each search on their own worker.
_rebuild_listeners: list[Callable[[int, int], None]] = []


def add_rebuild_listener(listener: Callable[[int, int], None]) -> None:
    _rebuild_listeners.append(listener)


def remove_rebuild_listener(listener: Callable[[int, int], None]) -> None:
    if listener in _rebuild_listeners:
        _rebuild_listeners.remove(listener)


def _rebuild(index: SearchIndex, conn, on_progress, *, unless_usable: bool = False) -> None:
    """Rebuild, turning a folder the index cannot be written to into one clear error."""

    def progress(done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(done, total)
        for listener in list(_rebuild_listeners):
            try:
                listener(done, total)
            except RuntimeError:  # a listener whose window is gone: the rebuild goes on
                remove_rebuild_listener(listener)

    try:
        index.rebuild(conn, progress, unless_usable=unless_usable)
    except OSError as exc:
        raise ArchiveReadOnly(
            index.path, f"cannot write the search index here ({exc.strerror or exc})"
        ) from None


class BackgroundIndexer:
    """Indexes what a writer commits, on its own thread and SQLite connection, so that the
    writer goes on meanwhile (tantivy's commit releases the GIL). `finish()` waits until the
    index holds everything committed."""

    def __init__(self, db_file: Path, folder: Path) -> None:
        self.db_file, self.folder = db_file, folder
        self._wake = threading.Event()
        self._stop = False
        self._waiting: list[threading.Event] = []  # drain() callers, answered after a pass
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self.db_file, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=0")  # trimming the queue never waits for the writer
        index = index_for(self.folder)
        try:
            while True:
                # The index's writer is kept while commits keep coming (its merges go on in the
                # background) and given up after HOLD_IDLE seconds without one.
                if not self._wake.wait(HOLD_IDLE):
                    self._release(index)
                    self._wake.wait()
                self._wake.clear()
                stop = self._stop
                answered, self._waiting = self._waiting, []
                try:
                    after_commit(conn, self.folder, hold=not stop)
                except (OSError, ValueError, sqlite3.Error) as exc:
                    self.error = exc  # the queue keeps the work: caught up next time
                for waiter in answered:
                    waiter.set()
                if stop:
                    self._release(index)
                    return
        finally:
            conn.close()

    def _release(self, index: SearchIndex) -> None:
        try:
            index.release_writer()
        except (OSError, ValueError) as exc:
            self.error = exc

    def drain(self) -> None:
        """Wait until one pass has indexed everything committed before this call."""
        done = threading.Event()
        self._waiting.append(done)
        self._wake.set()
        while not done.wait(0.5) and self._thread.is_alive():
            pass

    def finish(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join()


def after_commit(conn: sqlite3.Connection, folder: Path, hold: bool = False) -> None:
    """A writer committed: index what it changed (skipped while the index does not exist yet:
    the first search or `reindex` builds it whole). With `hold`, the writer is kept."""
    index = index_for(folder)
    if index.index is None and index.problem() is not None:
        return
    try:
        index.sync(conn, wait=WRITER_WAIT, consume=True, hold=hold)
    except IndexBusy:
        pass  # another process holds the index: its next pass applies this queue too


# ------------------------------------------------------------------ query text
_FORM_WORD = re.compile(r"\w+")


def _form(form: str) -> str:
    """One spelling in the query syntax: a word, a prefix (`иран*`) or a phrase."""
    words = _FORM_WORD.findall(form)
    if not words:
        return ""
    if len(words) == 1:
        return words[0] + ("*" if form.endswith("*") else "")
    return '"' + " ".join(words) + '"'


def text_of(query: SearchQuery) -> str:
    """The text the index is asked: the query's own, or, searched in every language
    (`query.expansions`), one group of spellings per word: `(iran OR иран* OR 伊朗) AND …`."""
    groups = [[f for f in map(_form, g) if f] for g in query.expansions]
    groups = [g for g in groups if g]
    if not groups:
        return query.text
    return " AND ".join("(" + " OR ".join(g) + ")" for g in groups)


# ------------------------------------------------------------------ filters
def _library_clauses(
    conn: sqlite3.Connection, query: SearchQuery, skip: str | None = None
) -> list[tantivy.Query]:
    """The filters the index does not hold (tags, collections, novelty, removals: they change
    without a new version), applied as the set of statements the archive allows."""
    where, params = fts.library_filters(query, skip)
    if not where:
        return []
    rows = conn.execute(f"SELECT s.id FROM statements s WHERE {' AND '.join(where)}", params)
    return [_sids({row[0] for row in rows} or {0})]  # statement ids start at 1: 0 is none


def _filter_clauses(query: SearchQuery, skip: str | None = None) -> list[tantivy.Query]:
    clauses = []
    for name, values in (
        ("source", query.sources),
        ("country", query.countries),
        ("language", query.languages),
        ("kind", query.kinds),
        ("speaker", query.speakers),
    ):
        if values and name != skip:
            clauses.append(tantivy.Query.term_set_query(SCHEMA, name, list(values)))
    if skip != "year" and (query.since or query.until):
        lo = bound_timestamp(query.since, end=False) if query.since else -(2**62)
        hi = bound_timestamp(query.until, end=True) if query.until else 2**62
        clauses.append(tantivy.Query.range_query(SCHEMA, "ts", tantivy.FieldType.Integer, lo, hi))
    return clauses


def _and(*parts: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])


def _cur(flag: int) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, "cur", flag)


def _sids(sids) -> tantivy.Query:
    return tantivy.Query.term_set_query(SCHEMA, "sid", sorted(sids))


def _sid_values(searcher: tantivy.Searcher, hits) -> list[int]:
    return searcher.fast_field_values("sid", [addr for _, addr in hits])


# ------------------------------------------------------------------ search
class _Matches:
    """What one text query matches: statements by their current version, and statements whose
    current version does not match but an earlier one does."""

    def __init__(
        self, searcher: tantivy.Searcher, q: tantivy.Query, cap: int, documents: int | None = None
    ) -> None:
        """`documents`: how many documents (versions) match `q`, when a search counted them."""
        q = tantivy.Query.const_score_query(q, 1.0)  # counting: no scores to compute
        self.searcher, self.q = searcher, q
        # Earlier versions are few (an upper bound: deleted documents count too); when some
        # exist, one pass counts those that match and names their statements.
        old, earlier = 0, set()
        old_documents = searcher.doc_freq("cur", 0)
        if old_documents:
            found = searcher.search(_and(q, _cur(0)), min(old_documents, cap + 1), count=True)
            old, earlier = found.count, set(_sid_values(searcher, found.hits))
        # Counted only when asked for (facets need the statements, not how many)
        self._current = None if documents is None else documents - old
        if earlier:
            both = searcher.search(_and(q, _cur(1), _sids(earlier)), len(earlier)).hits
            earlier -= set(_sid_values(searcher, both))
        self.earlier_only = earlier

    @property
    def total(self) -> int:
        """How many statements match (by their current version or only an earlier one)."""
        if self._current is None:
            found = self.searcher.search(_and(self.q, _cur(1)), 1, count=True)
            self._current = found.count
        return self._current + len(self.earlier_only)

    def statements_query(self) -> tantivy.Query:
        """Each matching statement once, by its current version's document."""
        if not self.earlier_only:
            return _and(self.q, _cur(1))
        return _and(
            _cur(1),
            tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, self.q),
                    (tantivy.Occur.Should, _sids(self.earlier_only)),
                ]
            ),
        )


def _ranked(
    searcher: tantivy.Searcher, q: tantivy.Query, need: int
) -> tuple[list[tuple[int, int, float]], int]:
    """The best `need` statements: (statement id, version id of the best match, score), and
    the number of documents matching `q` (counted in the same pass)."""
    fetch = need * 2 + 20
    documents = None
    while True:
        result = searcher.search(q, fetch, count=documents is None)
        if documents is None:
            documents = result.count
        hits = result.hits
        sids = _sid_values(searcher, hits)
        vids = searcher.fast_field_values("vid", [addr for _, addr in hits])
        best: dict[int, tuple[int, float]] = {}
        for (score, _), sid, vid in zip(hits, sids, vids, strict=True):
            if sid not in best:
                best[sid] = (vid, score)
        if len(best) >= need or len(hits) < fetch:
            ranked = [(sid, vid, score) for sid, (vid, score) in best.items()]
            return ranked[:need], documents
        fetch *= 4


def _repairing(archive, fn):
    """Run `fn()`; an index that turns out damaged while searching is rebuilt, and `fn` run again."""
    try:
        return fn()
    except (ValueError, OSError) as exc:
        if isinstance(exc, fts_errors):
            raise
        index = index_for(archive.folder)
        index.index = None
        _rebuild(index, archive.conn, getattr(archive, "index_progress", None))
        return fn()


def search(archive, query: SearchQuery) -> SearchResult:
    """Ranked hits for `query`, with snippets; an empty text lists by the chosen order."""
    query = resolve_filters(archive.conn, query)
    plan = parse(text_of(query))
    if plan is None:
        return fts.search(archive.conn, _without_text(query))
    if query.order != "rank" and query.order not in fts._ORDERS:
        raise ValueError(f"unknown order {query.order!r}; one of rank, {', '.join(fts._ORDERS)}")
    _filter_clauses(query)  # a bad date is the query's fault: raise it before touching the index
    return _repairing(archive, lambda: _search(archive, query, plan))


def _search(archive, query: SearchQuery, plan: Plan) -> SearchResult:
    index = ensure(
        archive.conn,
        archive.folder,
        writable=not archive.readonly,
        on_progress=getattr(archive, "index_progress", None),
    )
    searcher = index.searcher()
    plan = parse(text_of(query), searcher)  # again, now that the index can give other forms
    cap = fts.COUNT_CAP
    filters = _filter_clauses(query) + _library_clauses(archive.conn, query)
    q = _and(plan.query, *filters)
    offset, limit = max(0, query.offset), max(0, query.limit)
    order = query.order
    documents = None
    if order == "rank":
        ranked, documents = _ranked(searcher, q, offset + limit)
        ranked = ranked[offset:]
    matches = _Matches(searcher, _and(plan.match, *filters), cap, documents)
    if order == "rank":
        # A statement whose current version matches too is shown by its current version.
        ranked = [
            (sid, vid if sid in matches.earlier_only else None, score) for sid, vid, score in ranked
        ]
        rows = _rows(archive.conn, [sid for sid, _, _ in ranked])
        picks = [(rows.get(sid), vid, score) for sid, vid, score in ranked]
    elif order in ("date", "date_asc") and limit:  # the index pages by date itself
        direction = tantivy.Order.Desc if order == "date" else tantivy.Order.Asc
        hits = searcher.search(
            matches.statements_query(),
            limit,
            count=False,
            order_by_field="ts",
            order=direction,
            offset=offset,
        ).hits
        sids = _sid_values(searcher, hits)
        rows = _rows(archive.conn, sids)
        picks = [(rows.get(sid), None, None) for sid in sids]
    else:  # every match, sorted by the archive (an export pages through all of them)
        hits = searcher.search(matches.statements_query(), max(1, matches.total), count=False)
        sids = _sid_values(searcher, hits.hits)
        ordered = _ordered(archive.conn, sids, fts._ORDERS[order], limit, offset)
        picks = [(row, None, None) for row in ordered]
    picks = [p for p in picks if p[0] is not None]  # the archive has the last word
    hits_out = _hits(archive.conn, plan, picks)
    total = min(matches.total, cap)
    return SearchResult(
        total,
        hits_out,
        plan.described,
        total_exact=matches.total <= cap,
        searched_as=plan.searched_as,
    )


def _without_text(query: SearchQuery) -> SearchQuery:
    from dataclasses import replace

    return replace(query, text="", expansions=[])


_HIT_SQL = f"""SELECT s.id AS sid, {fts._HIT_COLUMNS}, s.published_ts AS published_ts
    FROM statements s JOIN sources src ON src.id = s.source_id"""


def _rows(conn: sqlite3.Connection, sids: list[int]) -> dict[int, sqlite3.Row]:
    if not sids:
        return {}
    rows = conn.execute(f"{_HIT_SQL} WHERE s.id IN ({','.join('?' * len(sids))})", sids)
    return {r["sid"]: r for r in rows}


def _ordered(
    conn: sqlite3.Connection, sids: list[int], order_sql: str, limit: int, offset: int
) -> list[sqlite3.Row]:
    if not sids:
        return []
    return conn.execute(
        f"{_HIT_SQL} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY {order_sql} "
        "LIMIT ? OFFSET ?",
        (json.dumps(sids), limit, offset),
    ).fetchall()


def _hits(conn: sqlite3.Connection, plan: Plan, picks) -> list[SearchHit]:
    """SearchHits for (statement row, matched version id or None, score), snippets cut around
    the match in the version that holds it."""
    want = {}  # statement -> the version whose text the snippet is cut from
    for row, vid, _ in picks:
        want[row["sid"]] = vid if vid is not None else row["current_version_id"]
    texts = {}
    if want:
        marks = ",".join("?" * len(want))
        for vid, seq, text in conn.execute(
            f"SELECT id, seq, text FROM versions WHERE id IN ({marks})", list(want.values())
        ):
            texts[vid] = (seq, text or "")
    leads = fts._leads(conn, [r["current_version_id"] for r, _, _ in picks if not r["title"]])
    snippeter = Snippeter(plan.words, plan.prefixes, plan.cjk, plan.forms)
    tags = fts._tags(conn, [r["archive_id"] for r, _, _ in picks])
    out = []
    for row, _, score in picks:
        vid = want[row["sid"]]
        seq, text = texts.get(vid, (None, ""))
        earlier = seq if vid != row["current_version_id"] else None
        out.append(
            SearchHit(
                archive_id=row["archive_id"],
                url=row["url"],
                source_id=row["source_id"],
                source_name=row["source_name"],
                title=row["title"],
                published=row["published"],
                language=row["language"],
                kind=row["kind"],
                speaker=row["speaker"],
                version_count=row["version_count"],
                snippet=_snippet(text, plan, snippeter),
                score=None if score is None else round(float(score), 6),
                lead=leads.get(row["current_version_id"]),
                earlier_version=earlier,
                tags=tags.get(row["archive_id"], ()),
            )
        )
    return out


def _snippet(text: str, plan: Plan, snippeter: Snippeter) -> str:
    if plan.cjk and not plan.words:
        return substring_snippet(text, tuple(plan.cjk))
    return snippeter.cut(text)


# ------------------------------------------------------------------ facets
def facets(archive, query: SearchQuery) -> dict[str, dict[str, int]]:
    """Counts per value of each filter for the current query (ignoring that filter's own
    choice), counted from the index's fast fields: for the empty query too (every current
    version), which grouping in SQL took seconds for at 1M statements."""
    query = resolve_filters(archive.conn, query)
    _filter_clauses(query)
    counts = _repairing(archive, lambda: _facets(archive, query))
    merged = merge_counts(archive.conn, counts["speaker"])  # one person, one value
    top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[: fts._SPEAKER_LIMIT]
    counts["speaker"] = dict(top)
    return counts


def _facets(archive, query: SearchQuery) -> dict[str, dict[str, int]]:
    index = ensure(
        archive.conn,
        archive.folder,
        writable=not archive.readonly,
        on_progress=getattr(archive, "index_progress", None),
    )
    searcher = index.searcher()
    plan = parse(text_of(query), searcher)
    match = _cur(1) if plan is None else plan.match  # no words: every statement
    chosen = fts.chosen_facets(query)
    shared = [name for name in fts._FACETS if not chosen[name]]
    passes = [(None, shared)] + [(name, [name]) for name in fts._FACETS if chosen[name]]
    counts: dict[str, dict[str, int]] = {name: {} for name in fts._FACETS}
    for skip, names in passes:
        if not names:
            continue
        q = _and(match, *_filter_clauses(query, skip), *_library_clauses(archive.conn, query, skip))
        target = _Matches(searcher, q, fts.COUNT_CAP).statements_query()
        aggs = {n: {"terms": {"field": n, "size": _FACET_SIZE}} for n in names}
        if "speaker" in aggs:
            aggs["speaker"] = _SPEAKER_AGG
        result = searcher.aggregate(target, aggs)
        for name in names:
            buckets = result[name]["buckets"]
            if name == "speaker":
                keys = _speaker_names(index, searcher, [int(b["key"]) for b in buckets])
            else:
                keys = [str(b["key"]) for b in buckets]
            for key, bucket in zip(keys, buckets, strict=True):
                counts[name][key] = int(bucket["doc_count"])
    for name, bucket in counts.items():
        if name != "speaker":  # (speakers are merged by person and cut by `facets`)
            counts[name] = dict(sorted(bucket.items()))
    return counts


# Speakers are counted by number (`speaker_key`), every segment's tallies in full: counting the
# text field kept each segment's top 1,000 only, and at 1M statements 28 of the top 100 counts
# were short by one. The best SPEAKER_BUCKETS are merged by person (aliases), then cut to 100.
SPEAKER_BUCKETS = 400
_SPEAKER_AGG = {"terms": {"field": "speaker_key", "size": SPEAKER_BUCKETS, "segment_size": 1 << 24}}


def _speaker_names(index: SearchIndex, searcher: tantivy.Searcher, keys: list[int]) -> list[str]:
    """The speakers counted under `keys` (remembered: a key always names the same speaker)."""
    names = index.speaker_names
    for key in keys:
        if key not in names:
            q = tantivy.Query.term_query(SCHEMA, "speaker_key", key)
            hits = searcher.search(q, 1).hits
            names[key] = searcher.doc(hits[0][1]).get_first("speaker") if hits else str(key)
    return [names[key] for key in keys]


# ------------------------------------------------------------------ hits for SQL views
def fill_engine_hits(conn: sqlite3.Connection, query: SearchQuery) -> bool:
    """Put the current version of every statement whose text matches `query` (its text only:
    the caller applies the filters in SQL) into `temp.engine_hits`, for the views computed in
    SQL (timeline, tag and collection counts). False when the query has no words."""
    plan = parse(text_of(query))
    if plan is None:
        return False
    db_file = next(r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main")
    # Waits for an indexing thread (this process's writer) to finish: the counts must be exact.
    index = ensure(conn, Path(db_file).parent, writable=True)
    searcher = index.searcher()
    plan = parse(text_of(query), searcher)
    matches = _Matches(searcher, plan.match, fts.COUNT_CAP)
    hits = searcher.search(matches.statements_query(), max(1, matches.total), count=False).hits
    vids = searcher.fast_field_values("vid", [addr for _, addr in hits])
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS engine_hits (vid INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.engine_hits")
    conn.executemany("INSERT OR IGNORE INTO temp.engine_hits VALUES (?)", ((v,) for v in vids))
    return True


# ------------------------------------------------------------------ maintenance
def reindex(archive, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the archive's index from scratch; return the number of versions indexed."""
    return index_for(archive.folder).rebuild(archive.conn, on_progress)


def check_index(conn: sqlite3.Connection) -> list[str]:
    """Differences between the search index and the archive `conn` belongs to (empty: none).

    Changes committed but not indexed yet are not a difference: they are indexed first (the
    queue is what a crash leaves behind, and any writer applies it)."""
    db_file = next(r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main")
    index = index_for(Path(db_file).parent)
    if index.problem() is None:
        try:
            index.sync(conn, wait=60.0)
        except IndexBusy:
            pass  # another process is indexing: what it has not applied yet is reported
    return index.check(conn)
