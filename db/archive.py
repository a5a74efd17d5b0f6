"""The archive: one folder holding `archive.sqlite` (WAL) and `captures/*.warc.gz`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import engine, errors, schema
from .models import (
    AddResult,
    CaptureRecord,
    SearchQuery,
    SearchResult,
    Source,
    Statement,
    StatementInput,
    Version,
)
from .write import add_statement

DB_NAME = "archive.sqlite"
BUSY_TIMEOUT_MS = 10_000  # a statement waits this long for a lock before failing
FIRST_WAIT_MS = 1_000  # a writer waits this long before saying it is waiting
WAIT_STEP_MS = 500  # then it keeps trying in steps this long
CHECKPOINT_EVERY = 20  # commit_and_continue() calls between WAL checkpoints
WAL_LIMIT_BYTES = 64 * 1024 * 1024  # the WAL file is truncated to this after a checkpoint
_SQLITE_MAGIC = b"SQLite format 3\x00"


class ArchiveBusy(errors.ArchiveError):
    """Gave up waiting for another writer (only when asked to, via `Archive.stop_waiting`)."""


def resolve_paths(path: Path | str) -> tuple[Path, Path]:
    """(folder, database file) for a path naming either the archive folder or its .sqlite file."""
    p = Path(path).expanduser()
    if p.is_file() or p.suffix.lower() in {".sqlite", ".sqlite3", ".db"}:
        return p.parent, p
    return p, p / DB_NAME


def translate(exc: sqlite3.Error, path: Path | str) -> BaseException:
    """An sqlite error a user can cause, as an ArchiveError naming the path (sorted by SQLite's
    result code, see db.errors.classify); any other is a bug and comes back unchanged."""
    return errors.classify(exc, path) or exc


class Archive:
    """An open archive. One writer at a time; every thread opens its own `Archive`."""

    def __init__(self, conn: sqlite3.Connection, folder: Path, db_file: Path, readonly: bool):
        self.conn = conn
        self.folder = folder
        self.db_file = db_file
        self.readonly = readonly
        self._depth = 0
        # Another writer holds the archive: say so once (e.g. print it) and wait for our turn.
        self.on_wait: Callable[[str], None] | None = None
        # Asked while waiting; True gives up with ArchiveBusy (e.g. the user pressed Cancel).
        self.stop_waiting: Callable[[], bool] | None = None
        self._commits = 0
        # Called as (done, total) while the search index is rebuilt (missing or damaged index).
        self.index_progress = None
        self._indexer: engine.BackgroundIndexer | None = None

    @property
    def location(self) -> Path:
        """The path naming this archive: its folder, or the database file itself when that is
        not the folder's archive.sqlite (a copy saved as `copy/mine.sqlite`)."""
        return self.folder if self.db_file.name == DB_NAME else self.db_file

    @property
    def captures_dir(self) -> Path:
        return self.folder / "captures"

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: Path | str, *, create: bool = False, readonly: bool = False) -> Archive:
        """Open (or with `create`, make) an archive; raise ArchiveError with a clear reason."""
        folder, db_file = resolve_paths(path)
        if db_file.exists():
            _check_header(db_file)
        elif not create or readonly:
            raise errors.ArchiveNotFound(db_file, "no archive here")
        else:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise errors.ArchiveReadOnly(
                    folder, f"cannot create the archive folder ({exc.strerror})"
                ) from None
        try:
            conn = _connect(db_file, readonly)
        except sqlite3.Error as exc:
            raise translate(exc, db_file) from None
        try:
            _check_identity(conn, db_file)
            if not readonly:
                conn.execute("PRAGMA journal_mode=WAL")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < schema.LATEST:
                    schema.migrate(conn)
            elif conn.execute("PRAGMA user_version").fetchone()[0] < schema.LATEST:
                raise errors.ArchiveError(
                    db_file, "made by an older Communiqué; open it once for writing to upgrade it"
                )
        except sqlite3.Error as exc:
            conn.close()
            raise translate(exc, db_file) from None
        except errors.ArchiveError:
            conn.close()
            raise
        archive = cls(conn, folder, db_file, readonly)
        if not readonly:
            archive._start_index()
        return archive

    def _start_index(self) -> None:
        """A new archive gets its (empty) search index now, so that every write is indexed as it
        is committed; an existing one catches up on the changes a crash left unindexed."""
        index = engine.index_for(self.folder)
        if index.problem() is None:
            self._index_committed()
        elif self.conn.execute("SELECT 1 FROM versions LIMIT 1").fetchone() is None:
            index.rebuild(self.conn)

    def close(self) -> None:
        if self._indexer is not None:
            self._indexer.finish()  # the index holds everything committed before close returns
            self._indexer = None
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
            self._depth = 0
            self._index_committed()
        except sqlite3.Error as exc:
            self._rollback()
            raise translate(exc, self.db_file) from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def commit_and_continue(self) -> None:
        """Inside `transaction()`: make everything so far durable and go on in a new transaction."""
        if self._depth != 1:
            raise RuntimeError("commit_and_continue() belongs to the outermost transaction")
        self.conn.execute("COMMIT")
        self._index_committed()
        self._commits += 1
        if self._commits % CHECKPOINT_EVERY == 0:
            self.checkpoint()
        self._begin()

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting (never failing) while another writer holds the archive.

        SQLite lets one writer in at a time; a second `import` or `scrape` used to fail with
        "database is locked" after the busy timeout. Now it says it is waiting, once, and
        keeps trying in short steps (so Ctrl-C and `stop_waiting` are honoured).
        """
        told = False
        self.conn.execute(f"PRAGMA busy_timeout={FIRST_WAIT_MS}")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        raise translate(exc, self.db_file) from None
                if self.stop_waiting is not None and self.stop_waiting():
                    raise ArchiveBusy(self.db_file, "another writer is still using it")
                if not told:
                    told = True
                    if self.on_wait is not None:
                        self.on_wait(
                            f"{self.db_file}: waiting for another writer (an import, scrape or "
                            "update) to finish…"
                        )
                self.conn.execute(f"PRAGMA busy_timeout={WAIT_STEP_MS}")
        except sqlite3.Error as exc:
            raise translate(exc, self.db_file) from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def checkpoint(self) -> None:
        """Copy the WAL into the database and restart it, so a long import does not grow it
        without bound (it reached 343 MB beside a 208 MB database). Outside a transaction;
        never waits for readers (PASSIVE, then TRUNCATE only when nobody is reading)."""
        if self.readonly or self.conn.in_transaction:
            return
        self.conn.execute("PRAGMA busy_timeout=0")
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:
            pass  # readers or another writer: the next checkpoint will do
        finally:
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def settle(self) -> None:
        """After a long write: wait until the search index holds what was committed, then
        checkpoint the WAL (the indexer's own writes to the queue are in it too)."""
        if self._indexer is not None:
            self._indexer.drain()
        self.checkpoint()

    def _index_committed(self) -> None:
        """Bring the search index up to what was just committed (it is derived: a failure here
        loses nothing, the queue keeps the changes for the next sync)."""
        if self._indexer is None:
            self._indexer = engine.BackgroundIndexer(self.db_file, self.folder)
        self._indexer.poke()

    def reindex(self, on_progress=None) -> int:
        """Rebuild the search index from the archive; the number of versions indexed."""
        return engine.reindex(self, on_progress)

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # ---------------------------------------------------------------- sources
    def upsert_source(self, source: Source) -> None:
        with self.transaction():
            self.conn.execute(
                """INSERT INTO sources (id, name, institution, country, languages, homepage)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET name=excluded.name,
                     institution=COALESCE(excluded.institution, institution),
                     country=COALESCE(excluded.country, country),
                     languages=CASE WHEN excluded.languages = '[]' THEN languages
                                    ELSE excluded.languages END,
                     homepage=COALESCE(excluded.homepage, homepage)""",
                (
                    source.id,
                    source.name,
                    source.institution,
                    source.country,
                    json.dumps(list(source.languages)),
                    source.homepage,
                ),
            )

    def get_source(self, source_id: str) -> Source | None:
        row = self.conn.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
        return _source(row) if row else None

    def sources(self) -> list[Source]:
        return [_source(r) for r in self.conn.execute("SELECT * FROM sources ORDER BY id")]

    # ---------------------------------------------------------------- captures
    def add_capture(self, capture: CaptureRecord) -> int:
        with self.transaction():
            cur = self.conn.execute(
                """INSERT INTO captures (url, fetched_at, status, warc_file, warc_offset,
                   warc_length, payload_sha256, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    capture.url,
                    capture.fetched_at,
                    capture.status,
                    capture.warc_file,
                    capture.warc_offset,
                    capture.warc_length,
                    capture.payload_sha256,
                    capture.error,
                ),
            )
            return int(cur.lastrowid)

    def get_capture(self, capture_id: int) -> CaptureRecord | None:
        """One capture row (URL, time, WARC file/offset/length, payload digest), or None."""
        row = self.conn.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()
        return _capture(row) if row else None

    # ---------------------------------------------------------------- statements
    def add_statement(self, new: StatementInput) -> AddResult:
        """Record a statement: new, a new version (text changed), or unchanged (seen again)."""
        with self.transaction():
            return add_statement(self.conn, new)

    def find_statement(self, source_id: str, key: str) -> str | None:
        row = self.conn.execute(
            "SELECT archive_id FROM statements WHERE source_id = ? AND key = ?", (source_id, key)
        ).fetchone()
        return row[0] if row else None

    def get_statement(self, archive_id: str, *, with_versions: bool = True) -> Statement | None:
        row = self.conn.execute(
            """SELECT s.*, src.name AS source_name, src.institution AS institution
               FROM statements s JOIN sources src ON src.id = s.source_id
               WHERE s.archive_id = ?""",
            (archive_id,),
        ).fetchone()
        if row is None:
            return None
        tags = tuple(
            r[0]
            for r in self.conn.execute(
                """SELECT t.name FROM statement_tags st JOIN tags t ON t.id = st.tag_id
                   WHERE st.statement_id = ? ORDER BY t.name""",
                (row["id"],),
            )
        )
        versions: tuple[Version, ...] = ()
        if with_versions:
            versions = tuple(self._versions(row["id"]))
        fields = {name: row[name] for name in _STATEMENT_FIELDS}
        editions = tuple(
            (e["id"], e["language"], e["title"]) for e in self.language_editions(archive_id)
        )
        return Statement(**fields, tags=tags, versions=versions, language_editions=editions)

    # ---------------------------------------------------------------- language editions
    def unlinked_editions(self, source_ids: list[str]) -> list[tuple]:
        """(rowid, source_id, url, published, kind) of statements never given an edition key."""
        from . import editions

        return list(editions.unlinked(self.conn, source_ids))

    def set_edition_keys(self, keys: list[tuple[int, str]]) -> int:
        """Record edition keys ('' for none) in one transaction; return how many are linked."""
        from . import editions

        with self.transaction():
            return editions.set_keys(self.conn, keys)

    def edition_key(self, archive_id: str) -> str | None:
        """The statement's edition key ('' or None: none)."""
        row = self.conn.execute(
            """SELECT e.edition FROM editions e JOIN statements s ON s.id = e.statement_id
               WHERE s.archive_id = ?""",
            (archive_id,),
        ).fetchone()
        return row[0] if row else None

    def language_editions(self, archive_id: str) -> list[dict]:
        """The statement's other-language editions: [{"id", "language", "title"}]."""
        from . import editions

        return editions.editions_of(self.conn, archive_id)

    def _versions(self, statement_rowid: int) -> Iterator[Version]:
        rows = self.conn.execute(
            """SELECT v.*, c.id AS c_id, c.url AS c_url, c.fetched_at AS c_fetched_at,
                      c.status AS c_status, c.warc_file AS c_warc_file,
                      c.warc_offset AS c_warc_offset, c.warc_length AS c_warc_length,
                      c.payload_sha256 AS c_payload_sha256, c.error AS c_error
               FROM versions v LEFT JOIN captures c ON c.id = v.capture_id
               WHERE v.statement_id = ? ORDER BY v.seq""",
            (statement_rowid,),
        ).fetchall()
        for r in rows:
            capture = _capture(r, prefix="c_") if r["c_id"] is not None else None
            yield Version(
                seq=r["seq"],
                title=r["title"],
                text=r["text"],
                html=r["html"],
                sha256=r["text_sha256"],
                first_seen=r["first_seen"],
                last_seen=r["last_seen"],
                declared_modified=r["declared_modified"],
                origin=r["origin"],
                capture=capture,
            )

    # ---------------------------------------------------------------- reading
    def search(self, query: SearchQuery) -> SearchResult:
        return engine.search(self, query)

    def facets(self, query: SearchQuery) -> dict[str, dict[str, int]]:
        return engine.facets(self, query)

    def stats(self) -> dict:
        one = self.conn.execute
        return {
            "statements": one("SELECT COUNT(*) FROM statements").fetchone()[0],
            "versions": one("SELECT COUNT(*) FROM versions").fetchone()[0],
            "by_source": dict(
                one(
                    "SELECT source_id, COUNT(*) FROM statements GROUP BY source_id ORDER BY source_id"
                )
            ),
            "by_language": dict(
                one(
                    """SELECT COALESCE(language, ''), COUNT(*) FROM statements
                   GROUP BY language ORDER BY language"""
                )
            ),
        }


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """Another connection holds the write lock (SQLITE_BUSY / SQLITE_LOCKED, by result code)."""
    return errors.primary_code(exc) in (errors.SQLITE_BUSY, errors.SQLITE_LOCKED)


def _check_header(db_file: Path) -> None:
    try:
        with db_file.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise errors.ArchiveError(db_file, f"cannot read the file ({exc.strerror})") from None
    if head != _SQLITE_MAGIC:
        reason = "empty file, not an archive" if not head else "not an SQLite database"
        raise errors.NotAnArchive(db_file, reason)


def _connect(db_file: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = db_file.resolve().as_uri()
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL archive on read-only media cannot create its shared-memory file.
            conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(db_file, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if not readonly:
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
    return conn


def _check_identity(conn: sqlite3.Connection, db_file: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != schema.APPLICATION_ID:
        has_tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        if app_id != 0 or version != 0 or has_tables:
            raise errors.NotAnArchive(db_file, "an SQLite database, but not a Communiqué archive")
    if version > schema.LATEST:
        raise errors.NewerArchive(
            db_file,
            f"made by a newer Communiqué (schema {version}; this version reads up to "
            f"{schema.LATEST}); upgrade Communiqué to open it",
        )


def _source(row: sqlite3.Row) -> Source:
    return Source(
        id=row["id"],
        name=row["name"],
        institution=row["institution"],
        country=row["country"],
        languages=tuple(json.loads(row["languages"] or "[]")),
        homepage=row["homepage"],
    )


_CAPTURE_FIELDS = (
    "url",
    "fetched_at",
    "status",
    "warc_file",
    "warc_offset",
    "warc_length",
    "payload_sha256",
    "error",
    "id",
)
_STATEMENT_FIELDS = (
    "archive_id",
    "source_id",
    "source_name",
    "institution",
    "url",
    "key",
    "title",
    "published",
    "published_raw",
    "published_utc",
    "language",
    "kind",
    "speaker",
    "country",
    "first_seen",
    "last_seen",
    "version_count",
)


def _capture(row: sqlite3.Row, prefix: str = "") -> CaptureRecord:
    return CaptureRecord(**{name: row[prefix + name] for name in _CAPTURE_FIELDS})
