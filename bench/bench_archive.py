"""Archive benchmark: import rate with FTS indexing, search and facet latency, against a LIKE scan.

Prints figures; asserts nothing. Phase 1 imports the real corpora (~30k statements) into a fresh
archive under bench/out/; phase 2 times searches of real phrases there; phase 3 does the same on
an archive scaled up to `--size` statements by resampling the real texts (cached for re-runs).

    .venv/bin/python bench/bench_archive.py [--size 1000000] [--queries 200] [--skip-1m]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from _corpus import (
    OUT_DIR,
    BenchQuery,
    Doc,
    Resampler,
    Timer,
    corpus_files,
    folder_bytes,
    make_queries,
    percentile,
    read_docs,
    summary_ms,
    tokens,
)

from db import Archive, SearchQuery, archive_id_for
from db.importer import import_jsonl

TARGET_IMPORT = 5000  # statements/s
TARGET_P95_MS = 30.0  # search p95 at 1M
COMMIT_EVERY = 10_000  # generated statements per transaction while building the large archive
_LIKE_SQL = """SELECT s.archive_id FROM statements s JOIN versions v ON v.id = s.current_version_id
               WHERE s.title LIKE ?1 ESCAPE '\\' OR v.text LIKE ?1 ESCAPE '\\'"""


def _say(text: str = "") -> None:
    print(text, flush=True)


def _sanitiser():
    """The CLI's HTML sanitiser, so the import does what `main.py import` does."""
    from scraper.extract.sanitise import sanitise_html

    return sanitise_html


# ------------------------------------------------------------------ phase 1: import
def import_corpora(folder: Path, files: list[Path], raw_bytes: int) -> dict:
    """Import every corpus file into a fresh archive at `folder`; return the figures."""
    if folder.exists():
        shutil.rmtree(folder)
    clean = _sanitiser()
    arc = Archive.open(folder, create=True)
    totals = {"new": 0, "versions": 0, "unchanged": 0, "rejected": 0}
    with Timer() as t:
        for path in files:
            with Timer() as ft:
                rep = import_jsonl(arc, path, clean_html=clean)
            n = rep.new + rep.versions + rep.unchanged
            _say(
                f"  {path.name:45s} {n:7,d} records {ft.seconds:7.1f} s ({n / ft.seconds:7,.0f}/s)"
            )
            for name in ("new", "versions", "unchanged"):
                totals[name] += getattr(rep, name)
            totals["rejected"] += len(rep.rejected)
    stats = arc.stats()
    arc.close()
    records = totals["new"] + totals["versions"] + totals["unchanged"]
    figures = {
        **totals,
        "records": records,
        "seconds": t.seconds,
        "statements": stats["statements"],
        "rate": records / t.seconds,
        "mb_per_s": raw_bytes / 1e6 / t.seconds,
        "compressed_mb_per_s": sum(p.stat().st_size for p in files) / 1e6 / t.seconds,
        "size_bytes": folder_bytes(folder),
        "sanitiser": clean is not None,
    }
    met = "met" if figures["rate"] >= TARGET_IMPORT else "NOT met"
    _say(
        f"import: {records:,d} records -> {stats['statements']:,d} statements, "
        f"{stats['versions']:,d} versions in {t.seconds:.1f} s"
    )
    _say(
        f"  {figures['rate']:,.0f} statements/s (target >= {TARGET_IMPORT:,d}: {met}); "
        f"{figures['mb_per_s']:.1f} MB/s of JSONL "
        f"({figures['compressed_mb_per_s']:.1f} MB/s gzip); "
        f"archive {figures['size_bytes'] / 1e6:,.0f} MB; html sanitiser "
        f"{'on' if clean else 'off (scraper.extract.sanitise missing)'}"
    )
    return figures


# ------------------------------------------------------------------ phase 3: build
def build_large(size: int, base: Path, docs: list[Doc], max_paragraphs: int) -> tuple[Path, dict]:
    """The archive of `size` statements (real ones + resampled), built once and cached."""
    folder = OUT_DIR / f"archive-{size}-p{max_paragraphs}"
    marker = folder / "bench-build.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        _say(
            f"build: reusing {folder} (built {info['built_at']} in {info['seconds']:.0f} s; "
            f"delete the folder to rebuild)"
        )
        return folder, info
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with Timer() as copy:
        for name in os.listdir(base):
            if name.startswith("archive.sqlite"):
                shutil.copy2(base / name, folder / name)
            elif name == "search-index":  # so that the build keeps the index in step
                shutil.copytree(base / name, folder / name)
    arc = Archive.open(folder)
    have = arc.stats()["statements"]
    gen = Resampler(docs, seed=size, max_paragraphs=max_paragraphs)
    _say(
        f"build: {have:,d} real statements copied in {copy.seconds:.1f} s; generating "
        f"{size - have:,d} more (paragraphs per statement capped at {max_paragraphs or 'none'})"
    )
    text_bytes = 0
    with Timer() as t:
        done = 0
        with arc.transaction():
            for item in gen.stream(have, size):
                text_bytes += len(item.text.encode())
                arc.add_statement(item)
                done += 1
                if done % COMMIT_EVERY == 0:
                    arc.commit_and_continue()
                if done % 50_000 == 0:
                    el = time.perf_counter() - t.start
                    _say(
                        f"  {have + done:>10,d} statements  {el:7.0f} s  {done / el:6,.0f}/s  "
                        f"{text_bytes / 1e9:5.2f} GB text  "
                        f"db {folder_bytes(folder) / 1e9:5.2f} GB"
                    )
    arc.close()
    info = {
        "built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": t.seconds,
        "generated": size - have,
        "real": have,
        "rate": (size - have) / t.seconds,
        "text_bytes": text_bytes,
        "size_bytes": folder_bytes(folder),
        "max_paragraphs": max_paragraphs,
    }
    marker.write_text(json.dumps(info, indent=1))
    _say(
        f"build: {size - have:,d} statements in {t.seconds:.0f} s ({info['rate']:,.0f}/s, "
        f"{text_bytes / 1e6 / t.seconds:.1f} MB/s of text)"
    )
    return folder, info


# ------------------------------------------------------------------ phase 2: search
def like_scan(conn: sqlite3.Connection, literal: str) -> list[str]:
    """The baseline: every statement whose title or current text contains `literal`."""
    escaped = literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [r[0] for r in conn.execute(_LIKE_SQL, (f"%{escaped}%",))]


def time_searches(arc: Archive, queries: list[BenchQuery]) -> tuple[dict[str, list[float]], list]:
    """Run every query once (timed) and keep its hits for the ranking check."""
    times: dict[str, list[float]] = {"all": []}
    results = []
    for q in queries:
        with Timer() as t:
            res = arc.search(SearchQuery(text=q.text, limit=20))
        times["all"].append(t.seconds)
        times.setdefault(q.kind, []).append(t.seconds)
        results.append((q, res, t.seconds))
    return times, results


def ranking(arc: Archive, results: list, holders: dict[str, int]) -> dict:
    """How often a phrase's own statement is first (over all phrases, and over those a LIKE scan
    finds in that one statement only), and how often the first hit holds the phrase's words."""
    n = {
        "phrases": 0,
        "own_first": 0,
        "holder_first": 0,
        "in_top": 0,
        "unique": 0,
        "unique_first": 0,
    }
    for q, res, _ in results:
        if q.kind != "phrase":
            continue
        n["phrases"] += 1
        own = archive_id_for(q.doc.statement.source_id, q.doc.key)
        ids = [h.archive_id for h in res.hits]
        first = bool(ids) and ids[0] == own
        n["own_first"] += first
        n["in_top"] += own in ids
        if holders.get(q.text) == 1:
            n["unique"] += 1
            n["unique_first"] += first
        if ids:
            top = arc.get_statement(ids[0])
            body = tokens(f"{top.title or ''} {top.current.text if top.current else ''}")
            n["holder_first"] += tokens(q.text) in body
    return n


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}% ({part}/{whole})" if whole else "n/a"


def measure(label: str, folder: Path, queries: list[BenchQuery], like_n: int, facet_n: int) -> dict:
    """Search, LIKE and facet latency on the archive at `folder`."""
    arc = Archive.open(folder)
    n = arc.stats()["statements"]
    _say(f"\n== {label}: {n:,d} statements, {folder_bytes(folder) / 1e9:.2f} GB on disk ==")
    for warm in ("government", "правительство"):  # touch the indexes once
        arc.search(SearchQuery(text=warm, limit=20))
    times, results = time_searches(arc, queries)
    _say(f"search ({len(queries)} queries, limit 20, with total count and snippets):")
    for kind in ("all", "phrase", "words", "operator"):
        _say(f"  {kind:8s} {summary_ms(times.get(kind, []))}")
    slow = sorted(results, key=lambda r: -r[2])[:5]
    _say(
        "  slowest: "
        + "; ".join(f"{r[2] * 1000:.0f} ms {r[0].text[:40]!r} ({r[1].total:,d} hits)" for r in slow)
    )

    literal = [q for q in queries if q.literal][:like_n]
    like_times = []
    holders: dict[str, int] = {}
    for q in literal:
        with Timer() as t:
            holders[q.text] = len(like_scan(arc.conn, q.literal))
        like_times.append(t.seconds)
    fts_same = [r[2] for r in results if r[0] in literal]
    _say(f"LIKE '%…%' scan over title + current text ({len(literal)} of the same queries):")
    _say(f"  LIKE     {summary_ms(like_times)}")
    _say(f"  FTS same {summary_ms(fts_same)}")
    rank = ranking(arc, results, holders)
    p = rank["phrases"]
    _say(f"ranking of the {p} phrase queries (top hit of 20):")
    _say(f"  first hit holds the phrase's words in order: {_pct(rank['holder_first'], p)}")
    _say(
        f"  the phrase's own statement first: {_pct(rank['own_first'], p)}; in the top 20: "
        f"{_pct(rank['in_top'], p)}"
    )
    _say(
        f"  own statement first when LIKE finds the phrase in that statement only: "
        f"{_pct(rank['unique_first'], rank['unique'])}"
    )

    facet_queries = [SearchQuery()] + [SearchQuery(text=q.text) for q in queries[:facet_n]]
    facet_times = []
    for fq in facet_queries:
        with Timer() as t:
            arc.facets(fq)
        facet_times.append(t.seconds)
    _say(f"facets (6 facets; the empty query + {len(facet_queries) - 1} of the queries):")
    _say(f"  facets   {summary_ms(facet_times)}")
    with Timer() as t:
        arc.search(SearchQuery(limit=20))
    _say(f"  empty query (list by date, first page): {t.seconds * 1000:.1f} ms")
    arc.close()
    return {
        "statements": n,
        "search": times,
        "ranking": rank,
        "like": like_times,
        "fts_same": fts_same,
        "facets": facet_times,
    }


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="statements in the large archive")
    ap.add_argument("--queries", type=int, default=200, help="search queries per archive (>= 100)")
    ap.add_argument(
        "--like-queries",
        type=int,
        default=10,
        help="LIKE scans on the large archive (each may take seconds)",
    )
    ap.add_argument("--facet-queries", type=int, default=50, help="queries whose facets are timed")
    ap.add_argument(
        "--max-paragraphs",
        type=int,
        default=12,
        help="cap on paragraphs per generated statement (0: as the template)",
    )
    ap.add_argument("--skip-1m", action="store_true", help="only the real corpora (~30k)")
    args = ap.parse_args(argv)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    _say(
        f"bench_archive: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, {platform.machine()}"
    )
    files = corpus_files()
    with Timer() as t:
        docs, raw_bytes = read_docs(files)
    _say(
        f"corpus: {len(docs):,d} records, {raw_bytes / 1e6:,.0f} MB of JSONL in {len(files)} "
        f"files (read in {t.seconds:.0f} s, not timed below)"
    )
    queries = make_queries(docs, args.queries)

    _say("\n== import (FTS indexing by triggers, batches of 500 per transaction) ==")
    small = OUT_DIR / "archive-corpus"
    import_corpora(small, files, raw_bytes)
    measure("real corpora", small, queries, like_n=len(queries), facet_n=len(queries))
    if args.skip_1m:
        return 0
    _say(f"\n== scaled up to {args.size:,d} statements ==")
    large, _ = build_large(args.size, small, docs, args.max_paragraphs)
    _say(f"archive on disk: {folder_bytes(large) / 1e9:.2f} GB")
    res = measure(
        f"{args.size:,d}", large, queries, like_n=args.like_queries, facet_n=args.facet_queries
    )

    p95 = percentile([s * 1000 for s in res["search"]["all"]], 95)
    _say(
        f"\nsearch p95 at {res['statements']:,d}: {p95:.1f} ms "
        f"(target <= {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
