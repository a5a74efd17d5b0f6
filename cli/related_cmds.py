"""Commands across governments: related statements, the timeline, removed statements."""

from __future__ import annotations

import json
import sys

from db import ArchiveReadOnly

from .common import CommandError, fail, open_archive, progress_bar


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "related",
        help="statements of other sources on the same things, in any language",
        description="Statements of other sources published within ±N days that name the same "
        "people, bodies and places (in any language) or share content words (within one "
        "language), other governments first, each with the reasons.",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--days", type=int, default=7, metavar="N", help="date window (default ±7)")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true", help="print one JSON list")
    p.add_argument(
        "--reindex",
        action="store_true",
        help="rebuild the entity index first (after the alias table changed)",
    )
    p.set_defaults(handler=cmd_related)

    from .archive_cmds import _add_query_arguments

    p = subparsers.add_parser(
        "timeline",
        help="statements per source over time for a search (and edits over time)",
        description="Counts of the statements matching QUERY and the search filters per "
        "source and day, week (from Monday), month or year (UTC); the buckets add up to the "
        "search total. Edits (new versions) are counted by the day they were first seen.",
    )
    _add_query_arguments(p)
    p.add_argument("--by", choices=("day", "week", "month", "year"), default="month")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--csv", action="store_true", help="print CSV: start,source,count,edits")
    p.set_defaults(handler=cmd_timeline, limit=0, offset=0, order="date")


def ensure_entity_index(archive, *, rebuild: bool = False) -> None:
    """Index the versions added since the last run (a progress bar on a terminal)."""
    from compare import related as rel
    from compare.entities import AliasFileError, lexicon

    if archive.readonly:
        return
    try:
        lexicon()
    except AliasFileError as exc:  # what was imported stays; `related` says the same again
        fail(f"{exc}; the entity index was not updated")
        return
    if rebuild:
        pending = archive.conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    else:
        pending = rel.pending_count(archive.conn)
    if not pending:
        return
    bar = progress_bar(pending, "entity index", unit=" statements")
    progress = None if bar is None else (lambda done, total: bar.update(done - bar.n))
    try:
        (rel.reindex if rebuild else rel.index_pending)(archive, progress)
    finally:
        if bar is not None:
            bar.close()


def _open_for_index(args):
    try:
        return open_archive(args)
    except ArchiveReadOnly:
        return open_archive(args, readonly=True)


def cmd_related(args) -> int:
    from compare import related as rel
    from compare.entities import AliasFileError

    if args.days < 0 or args.limit < 0:
        raise CommandError("--days and --limit must not be negative")
    ref = args.id.split("@")[0]
    try:
        with _open_for_index(args) as archive:
            ensure_entity_index(archive, rebuild=args.reindex)
            if rel.lexicon_changed(archive.conn):
                fail("the alias table changed since the index was built; run `related --reindex`")
            try:
                items = rel.related(archive.conn, ref, days=args.days, limit=args.limit)
            except rel.NotFound:
                raise CommandError(f"{ref}: no such statement in the archive", status=1) from None
    except AliasFileError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps([r.to_json() for r in items], ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(f"no related statements within ±{args.days} days")
    for r in items:
        country = r.country or "intl"
        print(f"{r.score:7.1f}  {r.archive_id} · {country} · {r.source_id} · {r.published}")
        print(f"         {r.title or '(untitled)'}")
        print(f"         {'; '.join(r.reasons)}")
    sys.stdout.flush()
    return 0


def cmd_timeline(args) -> int:
    from db.timeline import timeline, write_csv

    from .archive_cmds import _query

    query = _query(args)
    with open_archive(args, readonly=True) as archive:
        try:
            result = timeline(archive.conn, query, args.by)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    if args.csv:
        write_csv(result, sys.stdout)
        return 0
    print(f"{result.total} statements by {args.by}")
    for b in result.buckets:
        print(f"  {b.start or 'undated':10}  {b.source:24} {b.count:7}")
    if result.edits:
        print("edits (new versions, by the day first seen)")
        for b in result.edits:
            print(f"  {b.start or 'undated':10}  {b.source:24} {b.count:7}")
    return 0
