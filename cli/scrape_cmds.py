"""Commands `scrape` and `sources`, and WARC import for the `import` command."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

from .common import CommandError, fail, open_archive


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "scrape",
        help="capture statements from the configured sources",
        description="Fetch the sources politely (robots.txt, one request at a time per host, "
        "a delay, backoff), write every exchange to captures/*.warc.gz, and archive new "
        "statements and new versions. With --replay, answers come from a WARC file and no "
        "network call is made.",
    )
    p.add_argument(
        "source_ids", nargs="*", metavar="SOURCE_ID", help="sources to scrape (default: all)"
    )
    p.add_argument("--sources", metavar="FILE", help="a sources file adding or overriding sources")
    p.add_argument(
        "--since", metavar="DATE", help="skip statements published before DATE (YYYY-MM-DD)"
    )
    p.add_argument("--max-items", type=int, metavar="N", help="at most N statements per source")
    p.add_argument("--replay", metavar="FILE.warc.gz", help="serve responses from a WARC (offline)")
    p.add_argument(
        "--delay",
        type=float,
        metavar="SECONDS",
        help="override every source's delay between requests to a host",
    )
    p.add_argument(
        "--recheck",
        action="store_true",
        help="fetch article pages again even when already archived (find edits)",
    )
    p.add_argument(
        "--retry-failed",
        action="store_true",
        help="retry every recorded failure now, even those waiting for their backoff or given up",
    )
    p.add_argument("--sequential", action="store_true", help="one host after another")
    p.add_argument("--json", action="store_true", help="print the summaries as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="log every failure")
    p.set_defaults(handler=cmd_scrape)

    p = subparsers.add_parser(
        "sources",
        help="list the configured sources, or check their health (sources check [ID…])",
        description="Without arguments, list the sources. `sources check [ID…]` fetches each "
        "source's newest few items (politely, recorded in the WARC) and reports what discovery "
        "found and what each selector found on each page; exit status 0 only when every "
        "checked source yields complete statements.",
    )
    p.add_argument(
        "check",
        nargs="*",
        metavar="check [SOURCE_ID …]",
        help="check the sources' health (default: all)",
    )
    p.add_argument("--sources", metavar="FILE", help="a sources file adding or overriding sources")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--items", type=int, default=3, metavar="N", help="items checked per source (default 3)"
    )
    p.add_argument(
        "--delay", type=float, metavar="SECONDS", help="override every source's delay (check)"
    )
    p.set_defaults(handler=cmd_sources)


def _load(args) -> dict:
    from scraper.sources import SourcesError, load_sources

    try:
        return load_sources(getattr(args, "sources", None))
    except SourcesError as exc:
        raise CommandError(str(exc)) from None


def _selected(args, sources: dict) -> list:
    unknown = [s for s in args.source_ids if s not in sources]
    if unknown:
        raise CommandError(f"unknown source {unknown[0]!r} (known: {', '.join(sorted(sources))})")
    return [sources[s] for s in args.source_ids] if args.source_ids else list(sources.values())


def _check_since(value: str | None) -> None:
    if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:]+(Z|[+-]\d{2}:?\d{2})?)?", value):
        raise CommandError(f"--since {value}: not a date (use YYYY-MM-DD)")


class _Bars:
    """One tqdm bar per source on a terminal; nothing otherwise."""

    def __init__(self, source_ids: list[str]) -> None:
        self.bars = {}
        if sys.stderr.isatty():
            from tqdm import tqdm

            for n, sid in enumerate(source_ids):
                self.bars[sid] = tqdm(
                    desc=sid, unit=" statements", position=n, leave=False, file=sys.stderr
                )

    def update(self, summary) -> None:
        bar = self.bars.get(summary.source_id)
        if bar is not None:
            bar.n = summary.new + summary.versions + summary.unchanged
            bar.set_postfix(
                new=summary.new, versions=summary.versions, failures=summary.failures, refresh=False
            )
            bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _report(args, summaries: dict) -> None:
    if getattr(args, "json", False):
        print(json.dumps([s.as_dict() for s in summaries.values()], ensure_ascii=False))
        return
    for summary in summaries.values():
        print(summary.line())
        if getattr(args, "verbose", False):
            for error in summary.errors:
                fail(error)


def cmd_scrape(args) -> int:
    from scraper.crawl import Crawl, CrawlOptions
    from scraper.warcstore import WarcError

    if args.max_items is not None and args.max_items < 1:
        raise CommandError("--max-items must be at least 1")
    if args.delay is not None and args.delay < 0:
        raise CommandError("--delay must be 0 or more seconds")
    _check_since(args.since)
    if args.replay and not Path(args.replay).is_file():
        raise CommandError(f"{args.replay}: no such file")
    selected = _selected(args, _load(args))
    logging.basicConfig(level=logging.WARNING, format="communique: %(message)s")
    archive = open_archive(args, create=True)
    bars = _Bars([s.id for s in selected])
    try:
        options = CrawlOptions(
            since=args.since,
            max_items=args.max_items,
            replay=Path(args.replay) if args.replay else None,
            delay=args.delay,
            parallel=not args.sequential,
            recheck=args.recheck,
            retry_failed=args.retry_failed,
        )
        crawl = Crawl(archive, selected, options, progress=bars.update)
        summaries = crawl.run()
        from cli.related_cmds import ensure_entity_index

        ensure_entity_index(archive)  # the new versions' entities, once, for `related`
    except WarcError as exc:
        raise CommandError(str(exc)) from None
    finally:
        bars.close()
        archive.close()
    _report(args, summaries)
    damages = crawl.replay.damages if options.replay else []
    for damage in damages:
        fail(damage.line())
    return 1 if damages else 0


def import_warc_command(args, path: Path) -> int:
    """`import FILE.warc.gz`: statements from every response whose URL belongs to a source."""
    from scraper.warcimport import import_warc
    from scraper.warcstore import WarcError

    sources = list(_load(args).values())
    archive = open_archive(args, create=True)
    damages: list = []
    try:
        summaries = import_warc(archive, path, sources, damages=damages)
    except WarcError as exc:
        fail(str(exc))
        return 2
    finally:
        archive.close()
    for summary in summaries.values():
        print(f"{path}: {summary.line()}")
    # One line per damaged region, with its offset; what could be read is imported.
    for damage in damages:
        fail(damage.line())
    if not summaries:
        fail(f"{path}: no response in this WARC belongs to a configured source")
        return 1
    return 1 if damages else 0


def cmd_sources_check(args, sources: dict, ids: list[str]) -> int:
    from scraper.crawl import CrawlOptions
    from scraper.health import check_sources

    if args.items < 1:
        raise CommandError("--items must be at least 1")
    if args.delay is not None and args.delay < 0:
        raise CommandError("--delay must be 0 or more seconds")
    args.source_ids = ids
    selected = _selected(args, sources)
    archive = open_archive(args, create=True)
    tty = sys.stderr.isatty()

    def show(summary) -> None:  # one line, rewritten in place, on a terminal only
        sys.stderr.write(f"\r\033[Kchecking {summary.source_id}: {summary.seen} pages")
        sys.stderr.flush()

    try:
        reports = check_sources(
            archive,
            selected,
            items=args.items,
            options=CrawlOptions(delay=args.delay),
            progress=show if tty else None,
        )
    finally:
        archive.close()
        if tty:
            sys.stderr.write("\r\033[K")
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            print("\n".join(report.lines()))
    return 0 if all(r.ok for r in reports) else 1


def cmd_sources(args) -> int:
    sources = _load(args)
    words = list(getattr(args, "check", None) or [])
    if words:
        if words[0] != "check":
            raise CommandError(f"sources {words[0]}: unknown action (use: sources check [ID…])")
        return cmd_sources_check(args, sources, words[1:])
    if args.json:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "institution": s.institution,
                "country": s.country,
                "language": s.language,
                "feed": s.feed,
                "wp_api": s.wp_api,
                "sitemap": s.sitemap,
                "listing": s.listing,
                "telegram": s.telegram,
                "delay": s.delay,
                "tested_on": s.tested_on,
                "origin": s.origin,
            }
            for s in sources.values()
        ]
        print(
            json.dumps(
                [{k: v for k, v in r.items() if v is not None} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for s in sources.values():
        how = ", ".join(
            k for k in ("feed", "wp_api", "sitemap", "listing", "telegram") if getattr(s, k)
        )
        print(f"{s.id:<16} {s.country or '--'}  {s.language:<3} {s.name}  [{how}]")
    return 0
