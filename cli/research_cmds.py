"""A researcher's commands: cite, tag, collection, note, saved (logic in db/cite, db/library)."""

from __future__ import annotations

import json
import sys

from db import SearchQuery, cite, library, parse_ref

from .archive_cmds import _add_query_arguments, _query
from .common import CommandError, open_archive


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "cite",
        help="cite statements or versions (text, CSL-JSON, BibTeX, RIS)",
        description="Print citations of statements (ID: the current version) or versions (ID@N), "
        "or of a whole collection or search. `accessed` is the capture date of a real HTTP "
        "capture, absent for imported records; the archive id ID@N and the payload SHA-256 go "
        "in the note/extra field.",
    )
    p.add_argument("ids", nargs="*", metavar="ID[@N]")
    p.add_argument("--format", "-f", default="text", choices=cite.FORMATS)
    p.add_argument("--collection", metavar="NAME", help="cite every statement of a collection")
    p.add_argument("--search", metavar="QUERY", help="cite every statement matching QUERY")
    p.set_defaults(handler=cmd_cite)

    p = subparsers.add_parser(
        "tag",
        help="add or remove a researcher's tags",
        description="tag add|remove ID TAG…; tag list [ID] [--json]; "
        "tag rename OLD NEW (everywhere; merges into NEW when it exists).",
    )
    p.add_argument("action", choices=("add", "remove", "list", "rename"))
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument("tags", nargs="*", metavar="TAG")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_tag)

    p = subparsers.add_parser(
        "collection",
        help="named reading lists: add, remove, list, show, delete",
        description="collection add|remove NAME ID…; collection list [--json]; "
        "collection show NAME [--json]; collection rename OLD NEW; "
        "collection delete NAME (never deletes statements).",
    )
    p.add_argument("action", choices=("add", "remove", "list", "show", "rename", "delete"))
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_collection)

    p = subparsers.add_parser(
        "note",
        help="notes on statements or passages: add, list, delete",
        description="note add ID[@N] TEXT [--quote PASSAGE]: a note on a statement, or on a "
        "passage of version N (default: the current one). note list [ID] [--search WORDS] "
        "[--json]; note delete NOTE_ID.",
    )
    p.add_argument("action", choices=("add", "list", "delete"))
    p.add_argument("target", nargs="?", metavar="ID|NOTE_ID")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--quote", metavar="PASSAGE", help="anchor the note to this passage")
    p.add_argument("--search", metavar="WORDS", default="", help="notes containing every word")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_note)

    p = subparsers.add_parser(
        "saved",
        help="saved searches with the number of new matches since last opened",
        description="saved add NAME QUERY [search options]; saved list [--json]; "
        "saved run NAME [--json] (marks it opened); saved delete NAME.",
    )
    p.add_argument("action", choices=("add", "list", "run", "delete"))
    p.add_argument("name", nargs="?", metavar="NAME")
    _add_query_arguments(p)  # QUERY and the search filters, exactly as `search` takes them
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_saved, offset=0, order="rank")


def _need(value, what: str):
    if not value:
        raise CommandError(f"missing {what}")
    return value


def _library(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except library.LibraryError as exc:
        raise CommandError(str(exc), status=1) from None


# ------------------------------------------------------------------ cite
def cmd_cite(args) -> int:
    items = []
    with open_archive(args, readonly=True) as archive:
        refs = list(args.ids)
        if args.collection:
            members = library.collection_members(archive, args.collection)
            if not members and not any(
                c["name"] == args.collection for c in library.list_collections(archive)
            ):
                raise CommandError(f"no collection named {args.collection!r}", status=1)
            refs += members
        if args.search is not None:
            query = SearchQuery(text=args.search, order="date_asc", limit=10_000)
            refs += [h.archive_id for h in archive.search(query).hits]
        if not refs:
            raise CommandError("nothing to cite: give ID[@N]…, --collection NAME or --search Q")
        for ref in refs:
            try:
                archive_id, seq = parse_ref(ref)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            st = archive.get_statement(archive_id)
            if st is None:
                raise CommandError(f"{ref}: no such statement in the archive", status=1)
            version = st.current
            if seq is not None:
                version = next((v for v in st.versions if v.seq == seq), None)
                if version is None:
                    raise CommandError(
                        f"{ref}: no version {seq} (the statement has versions "
                        f"1–{st.version_count})",
                        status=1,
                    )
            items.append((st, version))
    sys.stdout.write(cite.render(items, args.format))
    return 0


# ------------------------------------------------------------------ tag
def cmd_tag(args) -> int:
    if args.action == "list":
        with open_archive(args, readonly=True) as archive:
            tags = (
                {t: 1 for t in library.tags_of(archive, args.id)}
                if args.id
                else library.all_tags(archive)
            )
        if args.json:
            print(json.dumps(tags if not args.id else list(tags), ensure_ascii=False, indent=2))
        else:
            for name, count in tags.items():
                print(name if args.id else f"{count:6}  {name}")
        return 0
    if args.action == "rename":
        if not args.id or len(args.tags) != 1:
            raise CommandError("tag rename needs OLD and NEW")
        with open_archive(args) as archive:
            count = _library(library.rename_tag, archive, args.id, args.tags[0])
        print(f"tag {args.id!r} is now {args.tags[0]!r} ({count} statements)")
        return 0
    _need(args.id, "ID")
    _need(args.tags, "TAG")
    with open_archive(args) as archive:
        fn = library.add_tags if args.action == "add" else library.remove_tags
        changed = _library(fn, archive, args.id, args.tags)
        now = library.tags_of(archive, args.id)
    verb = "added" if args.action == "add" else "removed"
    print(f"{args.id}: {len(changed)} tag(s) {verb}; tags: {', '.join(now) or '(none)'}")
    return 0


# ------------------------------------------------------------------ collection
def cmd_collection(args) -> int:
    if args.action == "list":
        with open_archive(args, readonly=True) as archive:
            rows = library.list_collections(archive)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                print(f"{row['count']:6}  {row['name']}")
        return 0
    name = _need(args.name, "NAME")
    if args.action == "show":
        with open_archive(args, readonly=True) as archive:
            if not any(c["name"] == name for c in library.list_collections(archive)):
                raise CommandError(f"no collection named {name!r}", status=1)
            ids = library.collection_members(archive, name)
        print(json.dumps(ids, indent=2) if args.json else "\n".join(ids))
        return 0
    with open_archive(args) as archive:
        if args.action == "rename":
            if len(args.ids) != 1:
                raise CommandError("collection rename needs OLD and NEW")
            _library(library.rename_collection, archive, name, args.ids[0])
            print(f"collection {name!r} is now {args.ids[0]!r}")
            return 0
        if args.action == "delete":
            removed = _library(library.delete_collection, archive, name)
            print(f"{name}: deleted ({len(removed)} statements were in it; they stay archived)")
            return 0
        _need(args.ids, "ID")
        if args.action == "add":
            done = _library(library.add_to_collection, archive, name, args.ids)
            print(f"{name}: {len(done)} added, {len(args.ids) - len(done)} already in it")
        else:
            done = _library(library.remove_from_collection, archive, name, args.ids)
            print(f"{name}: {len(done)} removed")
    return 0


# ------------------------------------------------------------------ note
def cmd_note(args) -> int:
    if args.action == "add":
        ref = _need(args.target, "ID")
        text = _need(args.text, "TEXT")
        with open_archive(args) as archive:
            note = _library(library.add_note, archive, ref, text, quote=args.quote)
        if args.json:
            print(json.dumps(note.to_json(), ensure_ascii=False, indent=2))
        else:
            where = f"{note.archive_id}@{note.version}" if note.version else note.archive_id
            print(f"note {note.id} added to {where}")
        return 0
    if args.action == "delete":
        with open_archive(args) as archive:
            note = _library(library.delete_note, archive, _need(args.target, "NOTE_ID"))
        print(f"note {note.id} deleted from {note.archive_id}")
        return 0
    with open_archive(args, readonly=True) as archive:
        if args.target:
            notes = library.notes_of(archive, args.target)
            words = args.search.lower().split()
            notes = [
                n for n in notes if all(w in f"{n.body} {n.quote or ''}".lower() for w in words)
            ]
        else:
            notes = library.search_notes(archive, args.search)
    if args.json:
        print(json.dumps([n.to_json() for n in notes], ensure_ascii=False, indent=2))
        return 0
    for n in notes:
        where = f"{n.archive_id}@{n.version}" if n.version else n.archive_id
        print(f"{n.id}  {where}  {n.created_at}")
        if n.quote:
            print(f"  “{' '.join(n.quote.split())}”")
        print(f"  {n.body}")
    return 0


# ------------------------------------------------------------------ saved
def _saved_json(s: library.SavedSearch) -> dict:
    q = s.query
    return {
        "name": s.name,
        "query": q.text,
        "filters": {
            k: v
            for k, v in (
                ("source", q.sources),
                ("country", q.countries),
                ("language", q.languages),
                ("kind", q.kinds),
                ("speaker", q.speakers),
                ("tag", q.tags),
                ("collection", q.collections),
                ("since", q.since),
                ("until", q.until),
            )
            if v
        },
        "created_at": s.created_at,
        "last_opened_at": s.last_opened_at,
        "new": s.new,
    }


def cmd_saved(args) -> int:
    if args.action == "list":
        with open_archive(args, readonly=True) as archive:
            rows = library.saved_searches(archive)
        if args.json:
            print(json.dumps([_saved_json(s) for s in rows], ensure_ascii=False, indent=2))
        else:
            for s in rows:
                print(f"{s.new:6} new  {s.name}  ({s.query.text or 'everything'})")
        return 0
    name = _need(args.name, "NAME")
    with open_archive(args) as archive:
        if args.action == "add":
            try:
                saved = _library(library.save_search, archive, name, _query(args))
            except ValueError as exc:  # a bad date bound
                raise CommandError(str(exc)) from None
            print(f"saved search {saved.name!r}")
            return 0
        if args.action == "delete":
            _library(library.delete_saved, archive, name)
            print(f"saved search {name!r} deleted")
            return 0
        saved = _library(library.open_saved, archive, name)
        from dataclasses import replace

        since = saved.last_opened_at
        result = archive.search(replace(saved.query, limit=args.limit))
        new_ids = {
            h.archive_id
            for h in archive.search(replace(saved.query, seen_since=since, limit=10_000)).hits
        }
    if args.json:
        out = _saved_json(saved)
        out["total"] = result.total
        out["results"] = [
            {
                "id": h.archive_id,
                "title": h.title,
                "published": h.published,
                "new": h.archive_id in new_ids,
            }
            for h in result.hits
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{saved.name}: {result.total} statements, {saved.new} new since {since}")
    for h in result.hits:
        mark = "new " if h.archive_id in new_ids else "    "
        print(f"{mark}{h.archive_id}  {h.published or 'undated'}  {h.title or h.lead or ''}")
    return 0
