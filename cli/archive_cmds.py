"""Commands over the archive itself: import, search, show, stats."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from db import HIGHLIGHT_END, HIGHLIGHT_START, SearchQuery, Statement, cite
from db.importer import import_jsonl

from .common import CommandError, fail, open_archive, progress_bar


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help="import statements (.jsonl/.jsonl.gz, or a WARC)",
        description="Import statements in the interchange schema "
        "(.jsonl, .jsonl.gz) or re-extract them from a WARC "
        "(.warc, .warc.gz). Bad lines are reported and skipped.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(handler=cmd_import)

    p = subparsers.add_parser(
        "search",
        help="full-text search with filters",
        description='Ranked full-text search. Plain words, "phrases", '
        "AND/OR/NOT, prefix*; anything else is searched as plain words. "
        "An empty QUERY lists by date, newest first.",
    )
    _add_query_arguments(p)
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--offset", type=int, default=0, metavar="N")
    p.add_argument(
        "--order",
        default="rank",
        help="rank (default; date when no query), date, date_asc, title, source",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_search)

    p = subparsers.add_parser("show", help="a statement with all its versions")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = subparsers.add_parser(
        "export",
        help="write statements as JSON Lines (all versions)",
        description="Write statements in the interchange schema, every "
        "version included, to FILE (.jsonl or .jsonl.gz; - for stdout). "
        "Filters as for search; `import` reads the file back.",
    )
    p.add_argument("file", metavar="FILE")
    _add_query_arguments(p)
    p.set_defaults(handler=cmd_export, limit=0, offset=0, order="rank")

    p = subparsers.add_parser(
        "check",
        help="verify the archive (database, texts, search index, WARC evidence)",
        description="Verify the archive: SQLite's integrity check, every version's stored "
        "text against its SHA-256, the search indexes against the archive, and every "
        "capture's WARC record and payload digest. One line per problem; exit status 1 "
        "when there is any.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_check)

    p = subparsers.add_parser("stats", help="counts of statements and versions")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)


def _add_query_arguments(p) -> None:
    """The query text and the filters, shared by search and export (each filter repeatable)."""
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    for flag, metavar in (
        ("--source", "ID"),
        ("--country", "CC"),
        ("--language", "L"),
        ("--kind", "K"),
        ("--speaker", "S"),
    ):
        p.add_argument(flag, action="append", default=[], metavar=metavar)
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="has every tag")
    p.add_argument(
        "--collection", action="append", default=[], metavar="NAME", help="in any collection"
    )
    p.add_argument("--since", metavar="DATE", help="YYYY, YYYY-MM, YYYY-MM-DD or ISO 8601")
    p.add_argument("--until", metavar="DATE", help="inclusive: a date covers the whole day")
    p.add_argument("--removed", action="store_true", help="only statements the source took down")
    p.add_argument(
        "--all-languages",
        action="store_true",
        help="also find the names in the query in every language (Iran: Иран, ایران, 伊朗…)",
    )


# ------------------------------------------------------------------ import
def cmd_import(args) -> int:
    missing = [f for f in args.files if not Path(f).is_file()]
    for name in missing:
        fail(f"{name}: no such file")
    if missing:
        return 2
    archive = open_archive(args, create=True)
    rejected = 0
    try:
        for name in args.files:
            path = Path(name)
            if path.name.endswith((".warc", ".warc.gz")):
                from cli.scrape_cmds import import_warc_command

                status = import_warc_command(args, path)
                rejected += status != 0
                continue
            if not path.name.endswith((".jsonl", ".jsonl.gz")):
                fail(f"{path}: not a .jsonl, .jsonl.gz, .warc or .warc.gz file")
                rejected += 1
                continue
            report = _import_one(archive, path)
            for line in report.rejected:
                fail(line)
            rejected += len(report.rejected)
            print(
                f"{path}: {report.new} new, {report.versions} new versions, "
                f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
            )
        from scraper.editions import link_with_sources

        link_with_sources(archive, getattr(args, "sources", None))

        from cli.related_cmds import ensure_entity_index

        ensure_entity_index(archive)  # entities are extracted once, at import
    finally:
        archive.close()
    return 1 if rejected else 0


def _import_one(archive, path: Path):
    from scraper.extract.sanitise import sanitise_html

    bar = progress_bar(path.stat().st_size, path.name)
    progress = None if bar is None else (lambda done, total: bar.update(done - bar.n))
    try:
        return import_jsonl(archive, path, progress, clean_html=sanitise_html)
    finally:
        if bar is not None:
            bar.close()


# ------------------------------------------------------------------ search
def _query(args) -> SearchQuery:
    if args.limit < 0 or args.offset < 0:
        raise CommandError("--limit and --offset must not be negative")
    return SearchQuery(
        text=args.query,
        sources=args.source,
        countries=[c.upper() for c in args.country],
        languages=args.language,
        kinds=args.kind,
        speakers=args.speaker,
        since=args.since,
        until=args.until,
        limit=args.limit,
        offset=args.offset,
        order=args.order,
        tags=args.tag,
        collections=args.collection,
        removed_only=getattr(args, "removed", False),
        expansions=_expansions(args),
    )


def _expansions(args) -> list[list[str]]:
    if not getattr(args, "all_languages", False):
        return []
    from compare.entities import AliasFileError, expand_query

    try:
        return expand_query(args.query)
    except AliasFileError as exc:
        raise CommandError(str(exc)) from None


def cmd_search(args) -> int:
    query = _query(args)
    with open_archive(args, readonly=True) as archive:
        from .search_cmds import index_progress

        index_progress(archive)
        try:
            result = archive.search(query)
            facets = archive.facets(query) if args.json else None
            if facets is not None:
                from db.search import library_facets

                facets.update(library_facets(archive.conn, query))
        except ValueError as exc:  # a bad date bound or order
            raise CommandError(str(exc)) from None
    if args.json:
        print(
            json.dumps(
                {
                    "total": result.total,
                    "total_exact": result.total_exact,
                    "searched_as": result.searched_as,
                    "results": [
                        {
                            "id": h.archive_id,
                            "url": h.url,
                            "source": h.source_id,
                            "title": h.title,
                            "published": h.published,
                            "language": h.language,
                            "kind": h.kind,
                            "snippet": h.snippet,
                            "score": h.score,
                        }
                        # only on hits whose match is in an earlier version of the text:
                        | ({"earlier_version": h.earlier_version} if h.earlier_version else {})
                        for h in result.hits
                    ],
                    "facets": facets,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    if result.searched_as:
        print(result.searched_as)
    print(f"{result.total} statements")
    for h in result.hits:
        print(
            f"\n{bold}{h.title or h.lead or '(untitled)'}{plain}\n  {h.archive_id} · {h.source_id} · "
            f"{h.published or 'undated'} · {h.language or '?'} · {h.kind or '?'}"
        )
        if h.earlier_version is not None:
            print(f"  (found in an earlier version: version {h.earlier_version})")
        if h.snippet:
            snippet = h.snippet.replace(HIGHLIGHT_START, bold or "[").replace(
                HIGHLIGHT_END, plain or "]"
            )
            print("  " + " ".join(snippet.split()))
    return 0


# ------------------------------------------------------------------ show / stats
def statement_json(st: Statement) -> dict:
    current = st.current
    return {
        "id": st.archive_id,
        "url": st.url,
        "source": st.source_id,
        "institution": st.institution,
        "title": st.title,
        "published": st.published,
        "published_raw": st.published_raw,
        "published_utc": st.published_utc,
        "language": st.language,
        "kind": st.kind,
        "speaker": st.speaker,
        "country": st.country,
        "tags": list(st.tags),
        "first_seen": st.first_seen,
        "last_seen": st.last_seen,
        "text": current.text if current else None,
        "versions": [
            {
                "seq": v.seq,
                "first_seen": v.first_seen,
                "last_seen": v.last_seen,
                "title": v.title,
                "text": v.text,
                "sha256": v.sha256,
                "declared_modified": v.declared_modified,
                "origin": v.origin,
                "capture": _capture_json(v.capture),
            }
            for v in st.versions
        ],
    }


def _capture_json(capture) -> dict | None:
    if capture is None:
        return None
    data = asdict(capture)
    data.pop("id", None)
    return data


def cmd_show(args) -> int:
    from db import library
    from scraper.removed import removal_of

    with open_archive(args, readonly=True) as archive:
        st = archive.get_statement(args.id.split("@")[0])
        editions = archive.language_editions(st.archive_id) if st is not None else []
        removal = removal_of(archive.conn, st.archive_id) if st else None
        if st is not None:
            notes = library.notes_of(archive, st.archive_id)
            collections = library.collections_of(archive, st.archive_id)
    if st is None:
        raise CommandError(f"{args.id}: no such statement in the archive", status=1)
    if args.json:
        data = statement_json(st)
        data["language_editions"] = editions
        data["collections"] = collections
        data["notes"] = [{k: v for k, v in n.to_json().items() if k != "archive_id"} for n in notes]
        data["removed"] = removal.to_json() if removal else None
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if removal:
        print(f"REMOVED by the source (detected {removal.detected_at})")
    print(st.title or "(untitled)")
    print(
        f"{st.institution or st.source_name} · {st.published or 'undated'} · "
        f"{st.language or '?'} · {st.kind or '?'}" + (f" · {st.speaker}" if st.speaker else "")
    )
    print(f"{st.url or '(original address unknown)'}")
    print(f"{st.archive_id} · {st.version_count} version(s), first seen {st.first_seen}")
    if editions:
        print("Also in: " + ", ".join(f"{e['language']} {e['id']}" for e in editions))
    for v in st.versions:
        ev = cite.evidence(v)  # "captured …" only for a real capture, else "imported from …"
        sha = f" ({ev.payload_sha256})" if ev.payload_sha256 else ""
        print(f"  v{v.seq}: {ev.phrase()}{sha}; last seen {v.last_seen}")
    print()
    print(st.current.text if st.current else "")
    return 0


def cmd_export(args) -> int:
    from db.export import export_records

    query = _query(args)
    count = 0
    if args.file.lower().endswith(".wacz"):
        return _export_wacz(args, query)
    with open_archive(args, readonly=True) as archive:
        try:
            with _output(args.file) as out:
                for record in export_records(archive, query):
                    out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
                    count += 1
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{args.file}: cannot write ({exc.strerror})") from None
    print(f"{args.file}: {count} statements exported", file=sys.stderr)
    return 0


def _export_wacz(args, query: SearchQuery) -> int:
    """`export FILE.wacz`: the captures behind the matching statements, as a WACZ."""
    from scraper.waczexport import WaczError, write_wacz

    with open_archive(args, readonly=True) as archive:
        try:
            report = write_wacz(archive, Path(args.file), query)
        except WaczError as exc:
            raise CommandError(str(exc)) from None
        except ValueError as exc:  # a bad date bound
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{args.file}: cannot write ({exc.strerror})") from None
    print(f"{args.file}: {report.pages} pages from {report.warcs} WARC file(s)", file=sys.stderr)
    return 0


@contextmanager
def _output(name: str):
    """stdout, or a file written whole or not at all (a temporary file renamed at the end)."""
    import gzip

    from db.files import atomic_output

    if name == "-":
        yield sys.stdout.buffer
        return
    with atomic_output(name) as fh:
        if name.endswith(".gz"):
            with gzip.GzipFile(filename=name, mode="wb", fileobj=fh) as gz:
                yield gz
        else:
            yield fh


def cmd_stats(args) -> int:
    with open_archive(args, readonly=True) as archive:
        stats = archive.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"{stats['statements']} statements, {stats['versions']} versions")
    for source, count in stats["by_source"].items():
        print(f"  {source:24} {count}")
    print("by language: " + ", ".join(f"{k or '?'} {v}" for k, v in stats["by_language"].items()))
    return 0


def cmd_check(args) -> int:
    from db import ArchiveReadOnly
    from db.check import check_archive
    from scraper.verify import verify_capture

    bar = progress_bar(None, "check", unit="")
    stage_now = [""]

    def progress(stage: str, done: int, total: int) -> None:
        if bar is None:
            return
        if stage != stage_now[0]:
            stage_now[0] = stage
            bar.reset(total=total)
            bar.set_description(stage)
        bar.update(done - bar.n)

    try:
        archive = open_archive(args)  # writable: FTS5's index check is an INSERT
    except ArchiveReadOnly:
        archive = open_archive(args, readonly=True)  # read-only media: the index is skipped
    with archive:
        try:
            report = check_archive(archive, verify_capture=verify_capture, on_progress=progress)
        finally:
            if bar is not None:
                bar.close()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "problems": report.problems,
                    "skipped": report.skipped,
                    "versions": report.versions,
                    "captures": report.captures,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for line in report.problems:
            print(line)
        for line in report.skipped:
            fail(line)
        print(
            f"{report.versions} versions and {report.captures} captures checked: "
            + (
                f"{len(report.problems)} problem{'s' * (len(report.problems) != 1)}"
                if report.problems
                else "no problems"
            ),
            file=sys.stderr,
        )
    return 0 if report.ok else 1
