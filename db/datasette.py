"""What Datasette needs to search the archive in a browser: a metadata file that tells Datasette
which full-text table searches which view, and the SQLite FTS5 tables filled from the archive.

The desktop app searches with its own index (db/tindex.py); the FTS5 tables are not kept in
step at every write (that cost a third of an import), so `prepare` fills them: what Datasette
searches is the archive as of the last `main.py datasette` (a minute or two at 1M statements)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

METADATA_NAME = "datasette-metadata.json"


def metadata(db_name: str) -> dict:
    searchable = {"fts_table": "statement_fts", "fts_pk": "id", "searchmode": "raw"}
    return {
        "title": "Communiqué archive",
        "description": "Official government statements. Search: the statements_search view "
        '(current versions; FTS5 syntax: words, "phrases", AND/OR/NOT, prefix*).',
        "databases": {
            db_name: {
                "tables": {
                    "statements_search": {
                        **searchable,
                        "sortable_columns": ["published", "source_id", "title"],
                    },
                    "search_documents": searchable,
                }
            }
        },
    }


def prepare(conn: sqlite3.Connection, db_file: Path) -> Path:
    """Fill the FTS5 tables from the current versions (in one transaction), then write the
    metadata file beside the archive; return its path."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("INSERT INTO statement_fts (statement_fts) VALUES ('rebuild')")
        conn.execute("INSERT INTO statement_fts_cjk (statement_fts_cjk) VALUES ('rebuild')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    path = db_file.parent / METADATA_NAME
    path.write_text(json.dumps(metadata(db_file.stem), indent=2, ensure_ascii=False) + "\n")
    return path
