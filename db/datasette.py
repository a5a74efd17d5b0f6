"""What Datasette needs to search the archive in a browser: the SQLite FTS5 tables filled (the
desktop search uses its own index, so they are not kept by triggers) and a metadata file that
tells Datasette which full-text table searches which view."""

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
    """Fill the FTS5 tables from the current versions (in one transaction) and write the
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
