"""Related statements across governments and languages, from the entity index.

Indexing: `index_pending(archive)` extracts the entities of every version not indexed yet
(`compare.entities.extract`) and writes one posting per (entity, version) keyed by entity then
date. It runs after `import`, after a scrape, and before `related` answers, so each version is
extracted once. A version's entities never change; only a new alias table (a new lexicon
version) calls for `reindex`.

Query: `related(conn, archive_id)` reads the statement's own entities, weights them by rarity
(idf), and sums, for every statement of the date window, the weights of the entities it shares
(one range scan of the index per entity, aggregated in SQLite). Statements of the same source
are left out; other governments (another country, or none: the UN, NATO) come first, then the
same government's other sources; each result says why it is related.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from compare.entities import Lexicon, extract, label, lexicon

DEFAULT_DAYS = 7
DEFAULT_LIMIT = 20
BATCH = 500  # versions per transaction while indexing
_CANDIDATES = 1_000  # best raw scores read back before filtering and ordering
_NAMED_FACTOR = 2.0  # a shared person, body or place weighs this many content words
_RELATIVE_FLOOR = 0.2  # results below this share of the best score are noise
_MIN_SCORE = 2.0  # an absolute floor: one rare shared word is not a relation
_MAX_REASONS = 6
_QUERY_WORDS = 12  # of the statement's content words, the strongest this many are looked up
_HOME_FACTOR = 0.25  # a White House statement naming Trump and the US says little: its own


@dataclass(frozen=True)
class Related:
    archive_id: str
    source_id: str
    source_name: str
    country: str | None
    published: str | None
    title: str | None
    language: str | None
    score: float
    days: float | None  # published later (+) or earlier (-) than the statement, in days
    shared: tuple[str, ...]  # entity keys, strongest first
    reasons: tuple[str, ...]
    other_government: bool

    def to_json(self) -> dict:
        return {
            "id": self.archive_id,
            "source": self.source_id,
            "source_name": self.source_name,
            "country": self.country,
            "published": self.published,
            "title": self.title,
            "language": self.language,
            "score": round(self.score, 3),
            "days": None if self.days is None else round(self.days, 2),
            "other_government": self.other_government,
            "shared": list(self.shared),
            "reasons": list(self.reasons),
        }


class NotFound(LookupError):
    pass


# ------------------------------------------------------------------ indexing
def _state(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM entity_index_state WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _set_state(conn: sqlite3.Connection, name: str, value) -> None:
    conn.execute(
        "INSERT INTO entity_index_state (name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, str(value)),
    )


def pending_count(conn: sqlite3.Connection) -> int:
    """Versions not yet in the entity index (cheap: versions are numbered in order)."""
    last = int(_state(conn, "last_version_id") or 0)
    return conn.execute("SELECT COUNT(*) FROM versions WHERE id > ?", (last,)).fetchone()[0]


def lexicon_changed(conn: sqlite3.Connection, lex: Lexicon | None = None) -> bool:
    """True when the index was built with another alias table (run `reindex`)."""
    built = _state(conn, "lexicon")
    return built is not None and built != (lex or lexicon()).version


def index_pending(
    archive,
    progress: Callable[[int, int], None] | None = None,
    lex: Lexicon | None = None,
    limit: int | None = None,
) -> int:
    """Extract and index every version added since the last run; return how many.

    Each batch is one transaction, so an interruption keeps what was indexed and the next run
    goes on from there. A read-only archive is left as it is (returns 0)."""
    if archive.readonly:
        return 0
    conn = archive.conn
    lex = lex or lexicon()
    total = pending_count(conn)
    done = 0
    entity_ids: dict[str, int] = {}
    while limit is None or done < limit:
        with archive.transaction():
            last = int(_state(conn, "last_version_id") or 0)
            rows = conn.execute(
                """SELECT v.id, COALESCE(v.title, s.title) AS title, v.text, s.language,
                          COALESCE(s.published_ts, CAST(strftime('%s', s.first_seen) AS INTEGER))
                          AS ts
                   FROM versions v JOIN statements s ON s.id = v.statement_id
                   WHERE v.id > ? ORDER BY v.id LIMIT ?""",
                (last, BATCH),
            ).fetchall()
            if not rows:
                if _state(conn, "lexicon") is None:
                    _set_state(conn, "lexicon", lex.version)
                return done
            for vid, title, text, language, ts in rows:
                found = extract(title, text, language, lex)
                postings = []
                for key, weight in found.weights.items():
                    eid = entity_ids.get(key) or _entity_id(conn, key, found.labels.get(key))
                    entity_ids[key] = eid
                    postings.append((eid, ts or 0, vid, round(weight, 4)))
                conn.executemany(
                    "INSERT OR IGNORE INTO entity_postings (entity_id, ts, version_id, weight) "
                    "VALUES (?, ?, ?, ?)",
                    postings,
                )
                conn.executemany(
                    "UPDATE entities SET df = df + 1 WHERE id = ?", [(p[0],) for p in postings]
                )
            _set_state(conn, "last_version_id", rows[-1][0])
            indexed = int(_state(conn, "versions") or 0) + len(rows)
            _set_state(conn, "versions", indexed)
            if _state(conn, "lexicon") is None:
                _set_state(conn, "lexicon", lex.version)
        done += len(rows)
        if progress:
            progress(done, total)
    return done


class _EntityWriter:
    """A plain connection that writes the entity tables only: no search-index hooks, so a
    viewer thread can index entities while another thread serves (and indexes) search."""

    readonly = False

    def __init__(self, db_file) -> None:
        self.conn = sqlite3.connect(db_file, isolation_level=None)
        self.conn.execute("PRAGMA busy_timeout=10000")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()


def index_pending_at(db_file, limit: int | None = None) -> int:
    """`index_pending` on the archive database file, through a plain connection (see
    _EntityWriter); 0 when the file cannot be written or has no entity index yet."""
    try:
        writer = _EntityWriter(db_file)
    except sqlite3.Error:
        return 0
    try:
        if not writer.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'entity_index_state'"
        ).fetchone():
            return 0
        return index_pending(writer, limit=limit)
    except sqlite3.OperationalError:  # read-only media or permissions: answer from what is there
        return 0
    finally:
        writer.close()


def _entity_id(conn: sqlite3.Connection, key: str, surface: str | None) -> int:
    row = conn.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0]
    return int(
        conn.execute("INSERT INTO entities (key, label) VALUES (?, ?)", (key, surface)).lastrowid
    )


def reindex(archive, progress: Callable[[int, int], None] | None = None) -> int:
    """Drop the entity index and build it again (after the alias table changed)."""
    with archive.transaction():
        archive.conn.execute("DELETE FROM entity_postings")
        archive.conn.execute("DELETE FROM entities")
        archive.conn.execute("DELETE FROM entity_index_state")
    return index_pending(archive, progress)


# ------------------------------------------------------------------ querying
def _own_entities(conn: sqlite3.Connection, row: sqlite3.Row, lex: Lexicon) -> dict[str, float]:
    """The statement's entities from the index, or extracted now when not indexed yet."""
    found = conn.execute(
        """SELECT e.key, p.weight FROM entity_postings p JOIN entities e ON e.id = p.entity_id
           WHERE p.version_id = ?""",
        (row["current_version_id"],),
    ).fetchall()
    if found:
        return {k: w for k, w in found}
    text = conn.execute(
        "SELECT COALESCE(title, ?), text FROM versions WHERE id = ?",
        (row["title"], row["current_version_id"]),
    ).fetchone()
    return extract(text[0], text[1], row["language"], lex).weights if text else {}


def _days_phrase(days: float | None) -> str | None:
    if days is None:
        return None
    n = round(abs(days))
    if n == 0:
        return "same day"
    unit = "day" if n == 1 else "days"
    return f"{n} {unit} {'later' if days > 0 else 'earlier'}"


def related(
    conn: sqlite3.Connection,
    archive_id: str,
    days: int = DEFAULT_DAYS,
    limit: int = DEFAULT_LIMIT,
    lex: Lexicon | None = None,
) -> list[Related]:
    """Statements of other sources within ±`days` that speak of the same things, ranked."""
    lex = lex or lexicon()
    me = conn.execute(
        """SELECT s.id, s.source_id, s.country, s.title, s.language, s.current_version_id,
                  COALESCE(s.published_ts, CAST(strftime('%s', s.first_seen) AS INTEGER)) AS ts
           FROM statements s WHERE s.archive_id = ?""",
        (archive_id,),
    ).fetchone()
    if me is None:
        raise NotFound(archive_id)
    own = _own_entities(conn, me, lex)
    if not own:
        return []
    keys = list(own)
    marks = ", ".join("?" * len(keys))
    known = {
        key: (eid, df, lbl)
        for eid, key, df, lbl in conn.execute(
            f"SELECT id, key, df, label FROM entities WHERE key IN ({marks})", keys
        )
    }
    n_docs = max(1, int(_state(conn, "versions") or 1))
    weights: dict[int, float] = {}
    for key, (eid, df, _lbl) in known.items():
        factor = 1.0 if key.startswith("word:") else _NAMED_FACTOR
        weights[eid] = own[key] * factor * math.log(1 + n_docs / max(1, df))
    # Every name counts; of the content words, the strongest carry the ranking and the rest
    # would only cost index reads.
    word_ids = {eid for key, (eid, _df, _lbl) in known.items() if key.startswith("word:")}
    words = sorted((e for e in weights if e in word_ids), key=lambda e: -weights[e])
    for eid in words[_QUERY_WORDS:]:
        del weights[eid]
    if not weights:
        return []
    span = max(0, int(days)) * 86_400
    values = ", ".join("(?, ?)" for _ in weights)
    rows = conn.execute(
        f"""WITH q(eid, w) AS (VALUES {values})
            SELECT p.version_id, SUM(q.w * p.weight) AS score,
                   group_concat(p.entity_id || ':' || p.weight) AS ents
            FROM q CROSS JOIN entity_postings p ON p.entity_id = q.eid AND p.ts BETWEEN ? AND ?
            WHERE p.version_id != ?
            GROUP BY p.version_id ORDER BY score DESC LIMIT {_CANDIDATES}""",
        [x for pair in weights.items() for x in pair]
        + [me["ts"] - span, me["ts"] + span, me["current_version_id"]],
    ).fetchall()
    if not rows:
        return []
    by_vid = {r[0]: (r[1], r[2]) for r in rows}
    vmarks = ", ".join("?" * len(by_vid))
    stmts = conn.execute(
        f"""SELECT s.archive_id, s.source_id, src.name AS source_name, s.country, s.published,
                   s.title, s.language, s.current_version_id AS vid,
                   COALESCE(s.published_ts, CAST(strftime('%s', s.first_seen) AS INTEGER)) AS ts
            FROM statements s INDEXED BY statements_current_filters
            JOIN sources src ON src.id = s.source_id
            WHERE s.current_version_id IN ({vmarks}) AND s.source_id != ?""",
        [*by_vid, me["source_id"]],
    ).fetchall()
    labels = {eid: (key, lbl) for key, (eid, _df, lbl) in known.items()}
    homes = {eid: lex.home(key) for key, (eid, _df, _lbl) in known.items()}
    scored = []
    for s in stmts:
        _raw, ents = by_vid[s["vid"]]
        delta = None if s["ts"] is None or me["ts"] is None else (s["ts"] - me["ts"]) / 86_400
        closeness = 1.0 if delta is None or not days else 1.0 - 0.3 * min(1, abs(delta) / days)
        parts: dict[int, float] = {}
        for item in ents.split(","):
            eid_text, _, weight = item.partition(":")
            eid = int(eid_text)
            home = homes.get(eid) is not None and homes.get(eid) == s["country"]
            parts[eid] = weights[eid] * float(weight) * (_HOME_FACTOR if home else 1.0)
        score = sum(parts.values()) * closeness
        shared = sorted(parts, key=lambda e: -parts[e])
        other = not me["country"] or not s["country"] or s["country"] != me["country"]
        scored.append((score, s, delta, shared, other))
    if not scored:
        return []
    best = {
        group: max((x[0] for x in scored if x[4] == group), default=0.0) for group in (True, False)
    }
    kept = [
        x
        for x in scored  # each group against its own best: a copy at home hides nothing abroad
        if x[0] >= max(_MIN_SCORE, _RELATIVE_FLOOR * best[x[4]]) and len(x[3]) >= 2
    ]
    kept.sort(key=lambda x: (not x[4], -x[0], x[1]["archive_id"]))
    out = []
    for score, s, delta, shared, other in kept[: max(0, limit)]:
        keys_shared = tuple(labels[e][0] for e in shared if e in labels)
        named = [k for k in keys_shared if not k.startswith("word:")]
        words = [k for k in keys_shared if k.startswith("word:")]
        shown = (named + words)[:_MAX_REASONS]
        surfaces = {labels[e][0]: labels[e][1] for e in shared if e in labels}
        reasons = [
            "shares "
            + ", ".join(label(k, lex, surfaces) for k in shown)
            + (f" (+{len(keys_shared) - len(shown)} more)" if len(keys_shared) > len(shown) else "")
        ]
        when = _days_phrase(delta)
        if when:
            reasons.append(when)
        out.append(
            Related(
                archive_id=s["archive_id"],
                source_id=s["source_id"],
                source_name=s["source_name"],
                country=s["country"],
                published=s["published"],
                title=s["title"],
                language=s["language"],
                score=score,
                days=delta,
                shared=keys_shared,
                reasons=tuple(reasons),
                other_government=other,
            )
        )
    return out
