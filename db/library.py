"""A researcher's library over the archive: tags, collections, notes, saved searches.

Everything here is the researcher's own layer: it never touches what was archived (statements,
versions, captures). Each change is one transaction, and each removal returns what it removed so
that the viewer's undo (or a script) can put it back exactly (same note id, same times).
Standard library only.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict, dataclass, fields

from .archive import Archive
from .models import SearchQuery
from .normalise import normalise_text, utc_now
from .search import library_facets

__all__ = [
    "LibraryError",
    "Note",
    "SavedSearch",
    "add_tags",
    "remove_tags",
    "tags_of",
    "rename_tag",
    "rename_collection",
    "all_tags",
    "add_to_collection",
    "remove_from_collection",
    "collections_of",
    "list_collections",
    "collection_members",
    "delete_collection",
    "add_note",
    "delete_note",
    "restore_note",
    "notes_of",
    "search_notes",
    "anchor",
    "save_search",
    "saved_searches",
    "get_saved",
    "open_saved",
    "delete_saved",
    "library_facets",
]


class LibraryError(ValueError):
    """A request that cannot be done (unknown statement, empty name …); one line for the user."""


# ------------------------------------------------------------------ helpers
def _rowid(archive: Archive, archive_id: str) -> int:
    row = archive.conn.execute(
        "SELECT id FROM statements WHERE archive_id = ?", (archive_id.split("@")[0],)
    ).fetchone()
    if row is None:
        raise LibraryError(f"{archive_id}: no such statement in the archive")
    return row[0]


def _name(value: str, what: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise LibraryError(f"a {what} needs a name")
    if len(name) > 200:
        raise LibraryError(f"{what} name too long (at most 200 characters): {name[:40]}…")
    return name


# ------------------------------------------------------------------ tags
def add_tags(archive: Archive, archive_id: str, tags: list[str]) -> list[str]:
    """Tag a statement; returns the tags that were newly set (for undo)."""
    names = [_name(t, "tag") for t in tags]
    added = []
    with archive.transaction() as conn:
        rowid = _rowid(archive, archive_id)
        for name in names:
            conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
            cur = conn.execute(
                """INSERT OR IGNORE INTO statement_tags (statement_id, tag_id)
                   SELECT ?, id FROM tags WHERE name = ?""",
                (rowid, name),
            )
            if cur.rowcount:
                added.append(name)
    return added


def remove_tags(archive: Archive, archive_id: str, tags: list[str]) -> list[str]:
    """Untag a statement; returns the tags that were actually removed (for undo)."""
    removed = []
    with archive.transaction() as conn:
        rowid = _rowid(archive, archive_id)
        for name in tags:
            cur = conn.execute(
                """DELETE FROM statement_tags WHERE statement_id = ?
                   AND tag_id = (SELECT id FROM tags WHERE name = ?)""",
                (rowid, " ".join(name.split())),
            )
            if cur.rowcount:
                removed.append(" ".join(name.split()))
    return removed


def rename_tag(archive: Archive, old: str, new: str) -> int:
    """Rename a tag everywhere (merging into `new` when it exists); the number of statements."""
    new = _name(new, "tag")
    with archive.transaction() as conn:
        row = conn.execute("SELECT id FROM tags WHERE name = ?", (old,)).fetchone()
        if row is None:
            raise LibraryError(f"no tag named {old!r}")
        conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (new,))
        target = conn.execute("SELECT id FROM tags WHERE name = ?", (new,)).fetchone()[0]
        if target == row[0]:
            return 0
        count = conn.execute(
            "SELECT COUNT(*) FROM statement_tags WHERE tag_id = ?", (row[0],)
        ).fetchone()[0]
        conn.execute(
            """INSERT OR IGNORE INTO statement_tags (statement_id, tag_id)
               SELECT statement_id, ? FROM statement_tags WHERE tag_id = ?""",
            (target, row[0]),
        )
        conn.execute("DELETE FROM statement_tags WHERE tag_id = ?", (row[0],))
        conn.execute("DELETE FROM tags WHERE id = ?", (row[0],))
    return count


def tags_of(archive: Archive, archive_id: str) -> list[str]:
    rows = archive.conn.execute(
        """SELECT t.name FROM statement_tags st JOIN tags t ON t.id = st.tag_id
           JOIN statements s ON s.id = st.statement_id WHERE s.archive_id = ? ORDER BY t.name""",
        (archive_id.split("@")[0],),
    )
    return [r[0] for r in rows]


def all_tags(archive: Archive) -> dict[str, int]:
    """Every tag in use with its number of statements."""
    rows = archive.conn.execute(
        """SELECT t.name, COUNT(st.statement_id) FROM tags t
           JOIN statement_tags st ON st.tag_id = t.id GROUP BY t.id ORDER BY t.name"""
    )
    return dict(rows.fetchall())


# ------------------------------------------------------------------ collections
def add_to_collection(
    archive: Archive, name: str, archive_ids: list[str], *, added_at: str | None = None
) -> list[str]:
    """Put statements in the collection `name` (created on first use); returns the ids added."""
    name = _name(name, "collection")
    now = added_at or utc_now()
    added = []
    with archive.transaction() as conn:
        rowids = [(aid.split("@")[0], _rowid(archive, aid)) for aid in archive_ids]
        conn.execute(
            "INSERT OR IGNORE INTO collections (name, created_at) VALUES (?, ?)", (name, now)
        )
        cid = conn.execute("SELECT id FROM collections WHERE name = ?", (name,)).fetchone()[0]
        for aid, rowid in rowids:
            cur = conn.execute(
                """INSERT OR IGNORE INTO collection_items (collection_id, statement_id, added_at)
                   VALUES (?, ?, ?)""",
                (cid, rowid, now),
            )
            if cur.rowcount:
                added.append(aid)
    return added


def remove_from_collection(
    archive: Archive, name: str, archive_ids: list[str]
) -> list[tuple[str, str]]:
    """Take statements out of a collection; returns (id, added_at) of each removed (for undo)."""
    removed = []
    with archive.transaction() as conn:
        row = conn.execute("SELECT id FROM collections WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise LibraryError(f"no collection named {name!r}")
        for aid in archive_ids:
            rowid = _rowid(archive, aid)
            item = conn.execute(
                "SELECT added_at FROM collection_items WHERE collection_id = ? AND statement_id = ?",
                (row[0], rowid),
            ).fetchone()
            if item is None:
                continue
            conn.execute(
                "DELETE FROM collection_items WHERE collection_id = ? AND statement_id = ?",
                (row[0], rowid),
            )
            removed.append((aid.split("@")[0], item[0]))
    return removed


def collections_of(archive: Archive, archive_id: str) -> list[str]:
    rows = archive.conn.execute(
        """SELECT c.name FROM collection_items ci JOIN collections c ON c.id = ci.collection_id
           JOIN statements s ON s.id = ci.statement_id WHERE s.archive_id = ? ORDER BY c.name""",
        (archive_id.split("@")[0],),
    )
    return [r[0] for r in rows]


def list_collections(archive: Archive) -> list[dict]:
    """[{"name", "count", "created_at"}], by name."""
    rows = archive.conn.execute(
        """SELECT c.name, COUNT(ci.statement_id), c.created_at FROM collections c
           LEFT JOIN collection_items ci ON ci.collection_id = c.id
           GROUP BY c.id ORDER BY c.name COLLATE NOCASE"""
    )
    return [{"name": n, "count": k, "created_at": t} for n, k, t in rows]


def collection_members(archive: Archive, name: str) -> list[str]:
    """Archive ids in the collection, in the order they were added."""
    rows = archive.conn.execute(
        """SELECT s.archive_id FROM collection_items ci JOIN collections c ON c.id = ci.collection_id
           JOIN statements s ON s.id = ci.statement_id WHERE c.name = ?
           ORDER BY ci.added_at, ci.rowid""",
        (name,),
    )
    return [r[0] for r in rows]


def rename_collection(archive: Archive, old: str, new: str) -> None:
    """Rename a collection (its statements and their dates stay)."""
    new = _name(new, "collection")
    with archive.transaction() as conn:
        if conn.execute("SELECT 1 FROM collections WHERE name = ?", (new,)).fetchone():
            raise LibraryError(f"there is already a collection named {new!r}")
        cur = conn.execute("UPDATE collections SET name = ? WHERE name = ?", (new, old))
        if not cur.rowcount:
            raise LibraryError(f"no collection named {old!r}")


def delete_collection(archive: Archive, name: str) -> list[tuple[str, str]]:
    """Delete a collection (never its statements); returns its members for undo."""
    members = remove_from_collection(archive, name, collection_members(archive, name))
    with archive.transaction() as conn:
        conn.execute("DELETE FROM collections WHERE name = ?", (name,))
    return members


# ------------------------------------------------------------------ notes
@dataclass(frozen=True)
class Note:
    """A researcher's note on a statement, or on a passage of one version of it."""

    id: str  # stable across export/import
    archive_id: str
    body: str
    created_at: str
    updated_at: str
    version: int | None = None  # the version the passage was selected in
    quote: str | None = None  # the passage, verbatim
    start: int | None = None  # offsets of the passage in that version's text
    end: int | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: dict, archive_id: str) -> Note:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["archive_id"] = archive_id
        return cls(**values)


_NOTE_COLUMNS = """n.uid, s.archive_id, n.body, n.created_at, n.updated_at, n.version_seq,
    n.quote, n.anchor_start, n.anchor_end"""


def _note(row: sqlite3.Row | tuple) -> Note:
    return Note(*row)


def add_note(
    archive: Archive,
    ref: str,
    body: str,
    *,
    quote: str | None = None,
    version: int | None = None,
) -> Note:
    """A note on statement `ref` (`ID` or `ID@N`); with `quote`, anchored to that passage of
    version N (default: the current one), which must occur in its text."""
    body = (body or "").strip()
    if not body:
        raise LibraryError("a note needs some text")
    aid, _, seq_text = ref.partition("@")
    if seq_text:
        if not seq_text.isdigit():
            raise LibraryError(f"{ref}: not a version number")
        version = int(seq_text)
    start = end = None
    with archive.transaction() as conn:
        rowid = _rowid(archive, aid)
        if quote is not None or version is not None:
            row = conn.execute(
                """SELECT seq, text FROM versions WHERE statement_id = ?
                   AND (seq = ? OR ? IS NULL) ORDER BY seq DESC LIMIT 1""",
                (rowid, version, version),
            ).fetchone()
            if row is None:
                raise LibraryError(f"{ref}: no version {version}")
            version = row[0]
        if quote is not None:
            quote = quote.strip()
            found = _find(row[1], quote)
            if found is None:
                raise LibraryError(f"{aid}@{version}: the passage is not in this version's text")
            start, end = found
            quote = row[1][start:end]
        now = utc_now()
        note = Note(uuid.uuid4().hex, aid, body, now, now, version, quote, start, end)
        _insert_note(conn, rowid, note)
    return note


def _insert_note(conn: sqlite3.Connection, rowid: int, note: Note) -> None:
    conn.execute(
        """INSERT INTO notes (statement_id, created_at, updated_at, body, uid, version_seq,
               quote, anchor_start, anchor_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            rowid,
            note.created_at,
            note.updated_at,
            note.body,
            note.id,
            note.version,
            note.quote,
            note.start,
            note.end,
        ),
    )


def restore_note(archive: Archive, note: Note) -> bool:
    """Put back a note (undo of a delete, or an import): same id; False if it is already there."""
    with archive.transaction() as conn:
        rowid = _rowid(archive, note.archive_id)
        if conn.execute("SELECT 1 FROM notes WHERE uid = ?", (note.id,)).fetchone():
            return False
        _insert_note(conn, rowid, note)
    return True


def delete_note(archive: Archive, note_id: str) -> Note:
    """Delete a note; returns it (for undo)."""
    with archive.transaction() as conn:
        row = conn.execute(
            f"""SELECT {_NOTE_COLUMNS} FROM notes n JOIN statements s ON s.id = n.statement_id
                WHERE n.uid = ?""",
            (note_id,),
        ).fetchone()
        if row is None:
            raise LibraryError(f"no note with id {note_id}")
        conn.execute("DELETE FROM notes WHERE uid = ?", (note_id,))
    return _note(tuple(row))


def notes_of(archive: Archive, archive_id: str) -> list[Note]:
    rows = archive.conn.execute(
        f"""SELECT {_NOTE_COLUMNS} FROM notes n JOIN statements s ON s.id = n.statement_id
            WHERE s.archive_id = ? ORDER BY n.created_at, n.id""",
        (archive_id.split("@")[0],),
    )
    return [_note(tuple(r)) for r in rows]


def search_notes(archive: Archive, text: str = "") -> list[Note]:
    """Notes whose text or passage contains every word of `text` (case-insensitive)."""
    words = text.split()
    where = " AND ".join(
        "(n.body LIKE ? ESCAPE '\\' OR COALESCE(n.quote, '') LIKE ? ESCAPE '\\')" for _ in words
    )
    params = []
    for w in words:
        like = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    rows = archive.conn.execute(
        f"""SELECT {_NOTE_COLUMNS} FROM notes n JOIN statements s ON s.id = n.statement_id
            {"WHERE " + where if words else ""} ORDER BY n.created_at DESC, n.id DESC""",
        params,
    )
    return [_note(tuple(r)) for r in rows]


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of `quote` in `text`: exactly, else ignoring spacing and quote-mark differences."""
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    # The same passage with other whitespace / quote marks / invisible characters: compare
    # both character by character under one mapping and map the match back to `text`.
    haystack, index = _flatten(text)
    needle = _flatten(quote)[0].strip()
    at = haystack.find(needle) if needle else -1
    if at < 0:
        return None
    return index[at], index[at + len(needle) - 1] + 1


def _flatten(text: str) -> tuple[str, list[int]]:
    """`text` with every run of whitespace as one space and each other character normalised
    on its own (curly quotes straight, invisible marks dropped), and for each character kept
    the offset it came from."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        mapped = " " if ch.isspace() else normalise_text(ch).strip()
        for c in mapped:
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def anchor(note: Note, text: str, seq: int) -> tuple[int, int] | None:
    """Where `note`'s passage is in version `seq` whose text is `text`: its own offsets in the
    version it was made in, else wherever a later (or earlier) version keeps the passage."""
    if note.quote is None:
        return None
    if note.version == seq and note.start is not None and note.end is not None:
        if text[note.start : note.end] == note.quote:
            return note.start, note.end
    return _find(text, note.quote)


# ------------------------------------------------------------------ saved searches
@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: SearchQuery
    created_at: str
    last_opened_at: str
    new: int = 0  # statements matching now that were first seen after last_opened_at


_QUERY_KEYS = (
    "text",
    "sources",
    "countries",
    "languages",
    "kinds",
    "speakers",
    "since",
    "until",
    "tags",
    "collections",
)


def _query_json(query: SearchQuery) -> str:
    data = {k: getattr(query, k) for k in _QUERY_KEYS if getattr(query, k)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _query_from(text: str) -> SearchQuery:
    data = json.loads(text)
    return SearchQuery(**{k: v for k, v in data.items() if k in _QUERY_KEYS})


def save_search(archive: Archive, name: str, query: SearchQuery) -> SavedSearch:
    """Save (or replace) a search under `name`; its "new" count starts from now."""
    name = _name(name, "saved search")
    now = utc_now()
    archive.search(SearchQuery(**{**asdict(query), "limit": 0}))  # a bad date fails here
    with archive.transaction() as conn:
        conn.execute(
            """INSERT INTO saved_searches (name, query, created_at, last_opened_at)
               VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET query = excluded.query""",
            (name, _query_json(query), now, now),
        )
    return get_saved(archive, name)


def _saved(archive: Archive, row: sqlite3.Row | tuple) -> SavedSearch:
    name, query_text, created, opened = row
    query = _query_from(query_text)
    probe = SearchQuery(**{**asdict(query), "seen_since": opened, "limit": 0})
    new = archive.search(probe).total
    return SavedSearch(name, query, created, opened, new)


def saved_searches(archive: Archive) -> list[SavedSearch]:
    """Every saved search with its number of new matches since it was last opened."""
    rows = archive.conn.execute(
        "SELECT name, query, created_at, last_opened_at FROM saved_searches ORDER BY name"
    ).fetchall()
    return [_saved(archive, tuple(r)) for r in rows]


def get_saved(archive: Archive, name: str) -> SavedSearch:
    row = archive.conn.execute(
        "SELECT name, query, created_at, last_opened_at FROM saved_searches WHERE name = ?",
        (name,),
    ).fetchone()
    if row is None:
        raise LibraryError(f"no saved search named {name!r}")
    return _saved(archive, tuple(row))


def open_saved(archive: Archive, name: str) -> SavedSearch:
    """The saved search as it was (with its count of new matches), marked opened now."""
    saved = get_saved(archive, name)
    with archive.transaction() as conn:
        conn.execute(
            "UPDATE saved_searches SET last_opened_at = ? WHERE name = ?", (utc_now(), name)
        )
    return saved


def delete_saved(archive: Archive, name: str) -> SavedSearch:
    saved = get_saved(archive, name)
    with archive.transaction() as conn:
        conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
    return saved
