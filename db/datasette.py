"""What Datasette needs to search the archive in a browser: a metadata file that tells Datasette
which full-text table searches which view, and (on request) the SQLite FTS5 tables rebuilt
(triggers keep them in step; a rebuild repairs damaged ones and takes minutes at 1M)."""

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


def prepare(conn: sqlite3.Connection, db_file: Path, *, rebuild: bool = False) -> Path:
    """Write the metadata file beside the archive (with `rebuild`, first rebuild the FTS5
    tables from the current versions, in one transaction); return its path."""
    if rebuild:
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
