"""The search index: a tantivy index derived from the archive, kept in `search-index/` inside
the archive folder. SQLite stays the source of truth; this index can always be rebuilt from it.

Every version of every statement is one document (so text an edit removed is still found).
Metadata the filters and facets need (source, language, kind, country, speaker, year, date) is
copied into the document. The archive's `search_queue` table (filled by triggers, migration 7)
lists statements changed since; the index remembers the last queue entry it applied, in a
metadata document committed atomically with the documents themselves. So a crash (kill -9) at
any point leaves an index that is merely behind, and the next sync catches up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import tantivy

INDEX_DIR = "search-index"
FORMAT = 4  # bump when the schema or the analysis changes: older indexes are rebuilt
_MARKER = "communique-index.json"
_BATCH = 2_000  # statements read from SQLite per round while indexing
_WRITER_HEAP = 64_000_000
RELOAD_EVERY = 0.5  # seconds

# Other forms of a word are found at query time (db/tquery.py): the index holds each word once,
# and a query word is expanded to the indexed words that share its stem under a Snowball
# stemmer of its script. Indexing a stemmed copy of every text cost 4x the indexing time.
STEMMERS = {
    "latin": ("english", "french"),
    "cyrillic": ("russian",),
    "arabic": ("arabic",),
}
FACET_FIELDS = ("source", "country", "language", "kind", "speaker", "year")

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_FOLDED = re.compile(
    r"[\u0600-\u06ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
# Persian letter variants to one form; Arabic diacritics (harakat, superscript alef) and tatweel
# removed: what a Persian or Arabic reader considers the same word is one term.
_ARABIC_FOLD = {0x064A: "\u06cc", 0x0649: "\u06cc", 0x0643: "\u06a9", 0x0640: None, 0x0670: None}
_ARABIC_FOLD.update({c: None for c in range(0x064B, 0x0660)})


def fold_script(text: str) -> str:
    """What the index sees of a text: CJK characters spaced out (each is a term; a run of them is
    searched as a phrase), Persian/Arabic letter variants and diacritics folded."""
    if not _FOLDED.search(text):  # one scan for most texts
        return text
    if _ARABIC.search(text):
        text = text.translate(_ARABIC_FOLD)
    if _CJK_CHAR.search(text):
        text = _CJK_CHAR.sub(lambda m: f" {m.group()} ", text)
    return text


def _analyzer(*stemmers: str) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    for name in stemmers:
        builder = builder.filter(tantivy.Filter.stemmer(name))
    return builder.build()


ANALYZERS: dict[str, tantivy.TextAnalyzer] = {"words": _analyzer()}
ANALYZERS.update({name: _analyzer(name) for names in STEMMERS.values() for name in names})


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_unsigned_field("vid", fast=True, stored=True)
    b.add_unsigned_field("sid", indexed=True, fast=True)
    b.add_unsigned_field("cur", indexed=True, fast=True)  # 1: the statement's current version
    b.add_unsigned_field("meta", indexed=True, fast=True)  # 1: the index's own metadata document
    b.add_unsigned_field("applied", fast=True, stored=True)  # on the metadata document
    b.add_integer_field("ts", indexed=True, fast=True)
    for name in FACET_FIELDS:
        stored = name == "speaker"  # read back for a speaker_key the facets count
        b.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic", stored=stored)
    b.add_unsigned_field("speaker_key", indexed=True, fast=True)
    b.add_text_field("title", tokenizer_name="words")
    b.add_text_field("text", tokenizer_name="words")
    return b.build()


SCHEMA = _schema()

_DOC_SQL = """SELECT v.id, v.statement_id, v.title, v.text, s.current_version_id, s.title,
    s.source_id, s.country, s.language, s.kind, s.speaker, s.published_ts
    FROM versions v JOIN statements s ON s.id = v.statement_id"""


def speaker_key(name: str) -> int:
    """A speaker as a number, for counting: thousands of distinct speakers are counted exactly
    by number at a third of the cost of counting them by text (whose per-segment tallies are
    turned into strings). 52 bits of a hash: exact in a float, and two of 100,000 names share
    one about once in a million archives."""
    digest = hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 12


def _document(row) -> tantivy.Document:
    vid, sid, vtitle, text, current, stitle, source, country, language, kind, speaker, ts = row
    is_current = vid == current
    title = (stitle if is_current else vtitle) or ""
    doc = tantivy.Document()
    doc.add_unsigned("vid", vid)
    doc.add_unsigned("sid", sid)
    doc.add_unsigned("cur", 1 if is_current else 0)
    doc.add_unsigned("meta", 0)
    if ts is not None:
        doc.add_integer("ts", ts)
        doc.add_text("year", time.strftime("%Y", time.gmtime(ts)))
    for name, value in (
        ("source", source),
        ("country", country),
        ("language", language),
        ("kind", kind),
        ("speaker", speaker),
    ):
        if value:
            doc.add_text(name, value)
    if speaker:
        doc.add_unsigned("speaker_key", speaker_key(speaker))
    title, text = fold_script(title), fold_script(text or "")
    if title:
        doc.add_text("title", title)
        # The `text` field is the whole statement, title first: a word is matched in one
        # field, not in a union of two (a union reads every document of a common word where a
        # single list skips: searches were twice as slow). The title field only ranks. Values
        # are one position apart, so an exact phrase never runs from the title into the text.
        doc.add_text("text", title)
    doc.add_text("text", text)
    return doc


def _meta_document(applied: int) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("meta", 1)
    doc.add_unsigned("applied", applied)
    return doc


class IndexBusy(Exception):
    """Another process (or thread) is writing the index right now."""


class SearchIndex:
    """The tantivy index of one archive folder. Thread-safe for searching."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.index: tantivy.Index | None = None
        self._lock = threading.Lock()
        self._reloaded = 0.0
        # A writer kept between syncs (a long import's indexing thread): tantivy merges segments
        # on background threads while its writer lives, and a writer dropped right after each
        # commit cancels those merges (a 200k import left 80 segments and searches 3x slower).
        self._held: tantivy.IndexWriter | None = None
        self.speaker_names: dict[int, str] = {}  # speaker_key -> speaker, as read (db/engine.py)

    # ------------------------------------------------------------ opening
    def _register(self, index: tantivy.Index) -> tantivy.Index:
        for name, analyzer in ANALYZERS.items():
            index.register_tokenizer(name, analyzer)
        return index

    def problem(self) -> str | None:
        """Why the index cannot be used as it is (None: it can)."""
        marker = self.path / _MARKER
        if not self.path.exists():
            return "no search index yet"
        try:
            info = json.loads(marker.read_text())
        except (OSError, ValueError):
            return "the search index is incomplete"
        if info.get("format") != FORMAT:
            return "the search index was made by another version of Communiqué"
        try:
            self.index = self._register(tantivy.Index.open(str(self.path)))
            self.index.searcher()
        except (ValueError, OSError) as exc:
            self.index = None
            return f"the search index is damaged ({exc})"
        return None

    def searcher(self, fresh: bool = False) -> tantivy.Searcher:
        """A searcher over the latest commit: this process's commits reload at once, other
        processes' within RELOAD_EVERY seconds (a reload costs a few ms)."""
        assert self.index is not None
        now = time.monotonic()
        if fresh or now - self._reloaded >= RELOAD_EVERY:
            self.index.reload()
            self._reloaded = now
        return self.index.searcher()

    def applied(self, searcher: tantivy.Searcher | None = None) -> int | None:
        """The last `search_queue` entry this index holds the effect of (None: unknown)."""
        searcher = searcher or self.searcher()
        q = tantivy.Query.term_query(SCHEMA, "meta", 1)
        hits = searcher.search(q, 1).hits
        if not hits:
            return None
        return searcher.fast_field_values("applied", [hits[0][1]])[0]

    # ------------------------------------------------------------ writing
    def _writer(self, wait: float) -> tantivy.IndexWriter:
        assert self.index is not None
        deadline = time.monotonic() + wait
        while True:
            try:
                return self.index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as exc:  # LockBusy: another writer holds the index
                if time.monotonic() >= deadline:
                    raise IndexBusy(str(exc)) from None
                time.sleep(0.05)

    def release_writer(self) -> None:
        """Let the merges the held writer started finish, then give the index up to others."""
        with self._lock:
            self._release_held()

    def _release_held(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            held.wait_merging_threads()

    def sync(
        self,
        conn: sqlite3.Connection,
        *,
        wait: float = 0.0,
        consume: bool = False,
        hold: bool = False,
    ) -> int:
        """Apply the queue entries the index has not seen; return how many statements were
        re-indexed. Raises IndexBusy when another thread or process is indexing and does not
        finish within `wait` seconds. With `consume`, applied entries leave the queue; with
        `hold`, the writer is kept for the next sync (until `release_writer()`)."""
        if not self._lock.acquire(timeout=wait) if wait else not self._lock.acquire(False):
            raise IndexBusy("the search index is being updated by another thread")
        try:
            done = 0
            pending_sql = "SELECT 1 FROM search_queue WHERE seq > ? LIMIT 1"
            applied = upto = self.applied(self.searcher()) or 0  # may be RELOAD_EVERY old …
            pending = conn.execute(pending_sql, (applied,)).fetchone()
            if pending is not None:  # … so look again at the latest commit
                applied = upto = self.applied(self.searcher(fresh=True)) or 0
                pending = conn.execute(pending_sql, (applied,)).fetchone()
            if pending is not None:
                writer = self._held or self._writer(wait)
                self._held = None
                try:
                    applied = self.applied(self.searcher(fresh=True)) or 0  # caught up meanwhile?
                    done, upto = _apply_queue(conn, writer, applied)
                    writer.commit()
                    self.index.reload()
                    self._reloaded = time.monotonic()
                except BaseException:
                    writer.rollback()
                    raise
                else:
                    if hold:
                        self._held = writer
                finally:
                    del writer
        finally:
            self._lock.release()
        if consume:
            _trim_queue(conn, upto)
        return done

    def rebuild(
        self,
        conn: sqlite3.Connection,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        unless_usable: bool = False,
    ) -> int:
        """Build the index afresh from the archive (in a sibling folder, swapped in when done).
        With `unless_usable`, nothing is done when another thread has just rebuilt it."""
        with self._lock:
            if unless_usable and self.problem() is None:
                return 0
            self._release_held()  # it writes the index being replaced
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = Path(tempfile.mkdtemp(prefix=".search-index-", dir=self.path.parent))
            try:
                index = self._register(tantivy.Index(SCHEMA, str(fresh)))
                writer = index.writer(heap_size=_WRITER_HEAP * 2)
                conn.execute("BEGIN")  # one snapshot: the documents and the queue position agree
                try:
                    upto = _queue_end(conn)
                    total = conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
                    done = 0
                    if on_progress is not None:
                        on_progress(0, total)
                    for row in conn.execute(_DOC_SQL + " ORDER BY v.id"):
                        writer.add_document(_document(row))
                        done += 1
                        if on_progress is not None and done % 5_000 == 0:
                            on_progress(done, total)
                finally:
                    conn.execute("COMMIT")
                writer.add_document(_meta_document(upto))
                writer.commit()
                writer.wait_merging_threads()
                del writer
                (fresh / _MARKER).write_text(json.dumps({"format": FORMAT}))
                if on_progress is not None:
                    on_progress(total, total)
                self.index = None
                old = self.path.with_name(f".{self.path.name}-old-{os.getpid()}")
                if self.path.exists():
                    self.path.rename(old)
                fresh.rename(self.path)
                shutil.rmtree(old, ignore_errors=True)
            except BaseException:
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            self.index = self._register(tantivy.Index.open(str(self.path)))
            return done

    # ------------------------------------------------------------ checking
    def check(self, conn: sqlite3.Connection) -> list[str]:
        """Differences between the index and the archive, one line each (empty: they agree)."""
        problem = self.problem()
        if problem:
            return [f"{self.path}: {problem}; `reindex` rebuilds it"]
        searcher = self.searcher()
        applied = self.applied(searcher)
        behind = conn.execute(
            "SELECT COUNT(DISTINCT statement_id) FROM search_queue WHERE seq > ?", (applied or 0,)
        ).fetchone()[0]
        if behind:
            return [
                f"{self.path}: {behind} changed statement(s) not indexed yet (caught up on the "
                "next open for writing)"
            ]
        docs = searcher.search(tantivy.Query.term_query(SCHEMA, "meta", 0), 1, count=True).count
        versions = conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        found = []
        if docs != versions:
            found.append(
                f"{self.path}: the index holds {docs:,d} versions, the archive {versions:,d}; "
                "`reindex` rebuilds it"
            )
        current = searcher.search(tantivy.Query.term_query(SCHEMA, "cur", 1), 1, count=True).count
        statements = conn.execute(
            "SELECT COUNT(*) FROM statements WHERE current_version_id IS NOT NULL"
        ).fetchone()[0]
        if current != statements:
            found.append(
                f"{self.path}: the index holds {current:,d} current versions, the archive "
                f"{statements:,d} statements; `reindex` rebuilds it"
            )
        return found


def _queue_end(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'").fetchone()
    return row[0] if row else 0


def _apply_queue(conn: sqlite3.Connection, writer, applied: int) -> tuple[int, int]:
    """Re-index every statement queued after `applied`, reading one snapshot of the archive."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        upto = conn.execute("SELECT MAX(seq) FROM search_queue").fetchone()[0] or applied
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT statement_id FROM search_queue WHERE seq > ? AND seq <= ?",
                (applied, upto),
            )
        ]
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            for sid in chunk:
                _delete(writer, "sid", sid)
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"{_DOC_SQL} WHERE v.statement_id IN ({marks})", chunk):
                writer.add_document(_document(row))
    finally:
        if own:
            conn.execute("COMMIT")
    _delete(writer, "meta", 1)
    writer.add_document(_meta_document(upto))
    return len(ids), upto


def _delete(writer: tantivy.IndexWriter, field_name: str, value: int) -> None:
    # delete_documents_by_term does not match unsigned fields (tantivy-py 0.27): a query does.
    writer.delete_documents_by_query(tantivy.Query.term_query(SCHEMA, field_name, value))


def _trim_queue(conn: sqlite3.Connection, upto: int) -> None:
    """Forget queue entries the index holds (best effort: a reader cannot, a busy archive may
    not now; they are trimmed next time)."""
    if conn.in_transaction:
        return
    with contextlib.suppress(sqlite3.Error):
        conn.execute("DELETE FROM search_queue WHERE seq <= ?", (upto,))


def index_path(folder: Path) -> Path:
    return folder / INDEX_DIR
