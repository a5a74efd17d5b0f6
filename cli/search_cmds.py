"""Commands over the search index: reindex, and preparing the archive for Datasette."""

from __future__ import annotations

import argparse
import time

from .common import fail, open_archive, progress_bar


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "reindex",
        help="rebuild the search index from the archive",
        description="Rebuild the search index (the archive folder's search-index/) from the "
        "archive. Never needed in normal use: the index follows every change and catches up "
        "after a crash; a missing or damaged index is rebuilt on the next search.",
    )
    p.set_defaults(handler=cmd_reindex)
    p = subparsers.add_parser(
        "datasette",
        help="prepare the archive for `datasette archive.sqlite`",
        description="Fill the SQLite FTS5 tables from the archive and write "
        "datasette-metadata.json beside it, so that `datasette archive.sqlite --metadata "
        "datasette-metadata.json` can search statements in a browser (the statements_search "
        "view, FTS5 syntax). Datasette searches the archive as it was at this moment: run it "
        "again after an import.",
    )
    p.add_argument("--rebuild", action="store_true", help=argparse.SUPPRESS)  # now always
    p.set_defaults(handler=cmd_datasette)


def index_progress(archive, what: str = "rebuilding the search index") -> None:
    """Show a progress bar (and one line) when `archive` has to rebuild its search index."""
    state: dict = {}

    def progress(done: int, total: int) -> None:
        if "bar" not in state:
            fail(f"{what} ({total:,d} versions)…")
            state["bar"] = progress_bar(total, "search index", unit=" versions")
        bar = state["bar"]
        if bar is not None:
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

    archive.index_progress = progress


def cmd_reindex(args) -> int:
    with open_archive(args) as archive:
        index_progress(archive)
        started = time.perf_counter()
        count = archive.reindex(archive.index_progress)
        took = time.perf_counter() - started
    print(f"search index rebuilt: {count:,d} versions in {took:.1f} s")
    return 0


def cmd_datasette(args) -> int:
    from db.datasette import prepare

    with open_archive(args) as archive:
        statements = archive.stats()["statements"]
        fail(f"filling the full-text tables for Datasette ({statements:,d} statements)…")
        started = time.perf_counter()
        path = prepare(archive.conn, archive.db_file)
        took = time.perf_counter() - started
        print(f"full-text tables filled in {took:.1f} s; metadata written to {path}")
        print(f"run: datasette {archive.db_file} --metadata {path}")
    return 0
