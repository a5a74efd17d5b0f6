"""Search engines side by side on the same resampled real statements, in one run.

Prints figures; asserts nothing. Engines, all over the same archive:
  engine  `Archive.search` / `Archive.facets`: the tantivy index (db/tindex.py) + SQLite join
  fts5    the previous FTS5 path (`db.search.search` / `facets`) after an FTS5 `rebuild`
  plain   a bare tantivy index of the same current texts (default tokenizer, `parse_query`,
          top 20 with the count and tantivy's own snippets): the floor the engine is held to

    .venv/bin/python bench/bench_search.py --size 200000 [--size 1000000] [--queries 150]

Archives are built once and cached under bench/out/ (see bench_archive.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from _corpus import (
    OUT_DIR,
    Timer,
    corpus_files,
    folder_bytes,
    make_queries,
    percentile,
    read_docs,
    summary_ms,
)
from bench_archive import build_large, import_corpora

import db.search as fts
from db import Archive, SearchQuery
from db.datasette import prepare
from db.tquery import _WORD

TARGET_P95_MS = 30.0
TARGET_FACETS_MS = 50.0
TARGET_IMPORT = 5000


def _say(text: str = "") -> None:
    print(text, flush=True)


def _fts5_ready(arc: Archive) -> dict:
    """Fill the FTS5 tables (no longer kept in step by triggers) once per archive; time it."""
    marker = arc.folder / "bench-fts5.json"
    filled = arc.conn.execute("SELECT COUNT(*) FROM statement_fts_docsize").fetchone()[0]
    if marker.exists() and filled:
        return json.loads(marker.read_text())
    n = arc.conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0]
    with Timer() as t:
        prepare(arc.conn, arc.db_file)  # what `main.py datasette` does
    info = {"seconds": t.seconds, "statements": n, "rate": n / t.seconds}
    marker.write_text(json.dumps(info))
    return info


def _plain_index(arc: Archive):
    """A bare tantivy index of the current titles and texts (built once per archive)."""
    import tantivy

    path = arc.folder / "bench-plain-tantivy"
    b = tantivy.SchemaBuilder()
    b.add_unsigned_field("sid", stored=True, fast=True)
    b.add_text_field("title", stored=True)
    b.add_text_field("text", stored=True)
    schema = b.build()
    marker = path / "bench.json"
    if marker.exists():
        return tantivy.Index.open(str(path)), schema, json.loads(marker.read_text())
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    index = tantivy.Index(schema, str(path))
    writer = index.writer(heap_size=256_000_000)
    n = 0
    with Timer() as t:
        for sid, title, text in arc.conn.execute(
            "SELECT s.id, s.title, v.text FROM statements s JOIN versions v "
            "ON v.id = s.current_version_id"
        ):
            doc = tantivy.Document(title=title or "", text=text or "")
            doc.add_unsigned("sid", sid)
            writer.add_document(doc)
            n += 1
        writer.commit()
        writer.wait_merging_threads()
    info = {"seconds": t.seconds, "statements": n, "rate": n / t.seconds}
    marker.write_text(json.dumps(info))
    return tantivy.Index.open(str(path)), schema, info


def _plain_search(index, schema, text: str):
    import tantivy

    searcher = index.searcher()
    try:
        query = index.parse_query(text, ["title", "text"], conjunction_by_default=True)
    except ValueError:
        query = index.parse_query(" ".join(_WORD.findall(text)), ["title", "text"])
    result = searcher.search(query, 20, count=True)
    gen = tantivy.SnippetGenerator.create(searcher, query, schema, "text")
    snippets = [gen.snippet_from_doc(searcher.doc(addr)).to_html() for _, addr in result.hits]
    return result.count, snippets


def _time(fn, items) -> list[float]:
    out = []
    for item in items:
        with Timer() as t:
            fn(item)
        out.append(t.seconds)
    return out


def _p(values: list[float], pct: float) -> float:
    return percentile([v * 1000 for v in values], pct)


def _report(label: str, times: dict, facet_times: dict, n_words: int, n_ops: int) -> None:
    _say(f"{label}: search, {n_words} real phrases and words (limit 20, count, snippets):")
    _say(f"  {summary_ms(times[label])}")
    _say(f"{label}: search, {n_ops} operator queries:  {summary_ms(times[label + ' ops'])}")
    if label in facet_times:
        _say(f"{label}: facets (6; the empty query + queries):  {summary_ms(facet_times[label])}")


def compare(
    folder: Path, queries, facet_n: int, time_reindex: bool, with_fts5: bool = True
) -> dict:
    """Engine first, then the plain tantivy floor, then FTS5 (whose rebuild takes longest)."""
    arc = Archive.open(folder)
    fresh = not (folder / "search-index" / "communique-index.json").exists()
    with Timer() as catch_up:
        arc.search(SearchQuery("government"))  # builds/catches up the engine's index if needed
    marker = folder / "bench-engine-rebuild.json"
    if fresh:  # that was a full build of the index: the same as `reindex`
        n0 = arc.stats()["statements"]
        marker.write_text(json.dumps({"seconds": catch_up.seconds, "rate": n0 / catch_up.seconds}))
    n = arc.stats()["statements"]
    _say(f"\n== {n:,d} statements ({folder_bytes(folder) / 1e9:.2f} GB with all indexes) ==")
    _say(f"engine index ready in {catch_up.seconds:.1f} s")
    rebuild = {"rate": float("nan")}
    if time_reindex and not marker.exists():
        with Timer() as t:
            arc.reindex()
        marker.write_text(json.dumps({"seconds": t.seconds, "rate": n / t.seconds}))
    if marker.exists():
        rebuild = json.loads(marker.read_text())
        _say(f"engine reindex: {rebuild['seconds']:.0f} s, {rebuild['rate']:,.0f} statements/s")

    words = [q for q in queries if q.kind in ("phrase", "words")]
    ops = [q for q in queries if q.kind == "operator"]
    texts, op_texts = [q.text for q in words], [q.text for q in ops]
    facet_queries = [SearchQuery()] + [SearchQuery(text=t) for t in texts[:facet_n]]
    times: dict = {}
    facet_times: dict = {}

    def run(label, fn, facets=None):
        # Timed with a warm cache: one untimed pass over the same queries first (the index's
        # and the archive's pages read from disk once, as after a researcher's first searches).
        for text in ("government", "правительство", *texts, *op_texts):
            fn(text)
        if facets is not None:
            for q in facet_queries:
                facets(q)
        times[label] = _time(fn, texts)
        times[label + " ops"] = _time(fn, op_texts)
        if facets is not None:
            facet_times[label] = _time(facets, facet_queries)
        _report(label, times, facet_times, len(texts), len(ops))

    run("engine", lambda t: arc.search(SearchQuery(text=t, limit=20)), arc.facets)
    _stems(arc)
    plain, schema, plain_info = _plain_index(arc)
    _say(f"plain tantivy build: {plain_info['seconds']:.0f} s, {plain_info['rate']:,.0f}/s")
    run("plain", lambda t: _plain_search(plain, schema, t))
    ratio = _p(times["engine"], 95) / _p(times["plain"], 95)
    _say(
        f"engine p95 {_p(times['engine'], 95):.1f} ms (target <= {TARGET_P95_MS:.0f}); "
        f"plain tantivy p95 {_p(times['plain'], 95):.1f} ms; engine/plain = {ratio:.2f} "
        f"(target <= 1.5)"
    )
    fts_info = {"rate": float("nan")}
    if with_fts5:
        fts_info = _fts5_ready(arc)
        _say(f"fts5 rebuild: {fts_info['seconds']:.0f} s, {fts_info['rate']:,.0f} statements/s")
        run(
            "fts5",
            lambda t: fts.search(arc.conn, SearchQuery(text=t, limit=20), engine=False),
            lambda q: fts.facets(arc.conn, q, engine=False),
        )
    arc.close()
    return {
        "statements": n,
        "times": times,
        "facets": facet_times,
        "fts5_rate": fts_info["rate"],
        "engine_rate": rebuild["rate"],
        "plain_rate": plain_info["rate"],
    }


def _ids(arc: Archive, text: str) -> set[int]:
    """Every statement `text` finds (not only the first 10,000 the API pages through)."""
    from db.engine import _sid_values, ensure
    from db.tquery import parse

    searcher = ensure(arc.conn, arc.folder, writable=False).searcher()
    query = parse(text, searcher).match
    n = searcher.search(query, 1, count=True).count
    return set(_sid_values(searcher, searcher.search(query, max(n, 1)).hits))


def _stems(arc: Archive) -> None:
    for short, long in (("sanction", "sanctions"), ("санкций", "санкции")):
        a, b = _ids(arc, short), _ids(arc, long)
        _say(
            f"  {short!r} finds {len(a):,d}, {long!r} {len(b):,d}; "
            f"{long!r} hits missing from {short!r}: {len(b - a)}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, action="append", help="archive sizes (repeatable)")
    ap.add_argument("--queries", type=int, default=150, help="phrase and word queries")
    ap.add_argument("--facet-queries", type=int, default=50)
    ap.add_argument("--max-paragraphs", type=int, default=12)
    ap.add_argument(
        "--reindex-up-to",
        type=int,
        default=200_000,
        help="time a full `reindex` on archives up to this size (the build is timed anyway)",
    )
    ap.add_argument(
        "--fts5-up-to",
        type=int,
        default=10_000_000,
        help="measure FTS5 on archives up to this size (its rebuild takes longest)",
    )
    args = ap.parse_args(argv)
    sizes = args.size or [200_000]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    _say(
        f"bench_search: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    files = corpus_files()
    docs, raw_bytes = read_docs(files)
    # 150 phrases and words (+ the operator queries of the same draw, timed apart)
    queries = make_queries(docs, round(args.queries / 0.9))
    small = OUT_DIR / "archive-corpus"
    marker = small / "bench-import.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        _say(f"import (cached run of {info['at']}): {info['rate']:,.0f} statements/s")
    else:
        _say("\n== import of the real corpora (engine index kept in step) ==")
        info = import_corpora(small, files, raw_bytes)
        info["at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        marker.write_text(json.dumps(info))
    results = {}
    for size in sizes:
        folder, build = build_large(size, small, docs, args.max_paragraphs)
        _say(f"build rate (add_statement, engine index kept in step): {build['rate']:,.0f}/s")
        results[size] = compare(
            folder,
            queries,
            args.facet_queries,
            size <= args.reindex_up_to,
            with_fts5=size <= args.fts5_up_to,
        )
        results[size]["build_rate"] = build["rate"]
    _say("\n== side by side ==")
    _say("| statements | engine | p50 / p95 search | p95 operators | p50 / p95 facets | indexing |")
    _say("|---|---|---|---|---|---|")
    for size, r in results.items():
        t, f = r["times"], r["facets"]
        for name, rate in (
            ("engine", r["engine_rate"]),
            ("fts5", r["fts5_rate"]),
            ("plain", r["plain_rate"]),
        ):
            if name not in t:
                continue
            facets = f"{_p(f[name], 50):.1f} / {_p(f[name], 95):.1f} ms" if name in f else "n/a"
            _say(
                f"| {size:,d} | {name} | {_p(t[name], 50):.1f} / {_p(t[name], 95):.1f} ms | "
                f"{_p(t[name + ' ops'], 95):.1f} ms | {facets} | {rate:,.0f}/s |"
            )
    _say("indexing: engine = `reindex`, fts5 = FTS5 'rebuild', plain = bare tantivy, per statement")
    _say(f"import of the real corpora with the engine: {info['rate']:,.0f} statements/s; builds:")
    for size, r in results.items():
        _say(f"  {size:,d}: add_statement with the index kept in step {r['build_rate']:,.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
