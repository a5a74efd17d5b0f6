"""Benchmark: `related` at 1M statements, and the cost of extracting entities at import.

Phase 1 extracts the entities of every real statement of ../shared/data/corpus (the real
figure per statement that import pays). Phase 2 builds, once, an archive of N statements under
bench/out/related-N: the real statements plus resampled ones, each resampled statement taking
a random real statement's entities and content words, language and kind, shifted by up to a
year and spread over 40 sources of 20 countries. Texts are not stored there (related reads the
entity index and the statements table only, never the text). Phase 3 times `related` for
random statements (±7 days, limit 20).

Usage: nice -n 10 python bench/bench_related.py [--size N] [--queries N]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

from _corpus import OUT_DIR, Timer, corpus_files, last_docs, read_docs, summary_ms

from compare import related as rel
from compare.entities import extract, lexicon
from db import Archive
from db.normalise import parse_published

COUNTRIES = ["US", "RU", "UA", "CN", "IR", "FR", "GB", "DE", "IN", "TR",
             "IL", "SA", "JP", "BR", "ZA", "EG", "PL", "KZ", "QA", None]  # fmt: skip


def _say(text: str = "") -> None:
    print(text, flush=True)


def extract_real(docs) -> tuple[list[dict], list[float]]:
    lex = lexicon()
    out, times = [], []
    for doc in docs:
        st = doc.statement
        parsed = parse_published(st.published_iso or st.published)
        start = time.perf_counter()
        found = extract(st.title, st.text, st.language, lex)
        times.append(time.perf_counter() - start)
        out.append(
            {
                "weights": found.weights,
                "labels": found.labels,
                "ts": parsed.timestamp if parsed and parsed.timestamp else 1_600_000_000,
                "language": st.language,
                "title": st.title or "",
                "kind": st.kind,
            }
        )
    return out, times


def build(folder: Path, size: int, real: list[dict], seed: int = 7) -> dict:
    marker = folder / "bench-build.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        _say(f"build: reusing {folder} (built in {info['seconds']:.0f} s; delete it to rebuild)")
        return info
    folder.mkdir(parents=True, exist_ok=True)
    Archive.open(folder, create=True).close()  # schema and migrations
    import numpy as np  # installed with pyqtgraph; sorts 35M postings in memory in seconds

    conn = sqlite3.connect(folder / "archive.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # a scratch build: no journal, one writer
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")  # 400 MB
    rng = random.Random(seed)
    sources = [(f"bench-{i:02d}", COUNTRIES[i % len(COUNTRIES)]) for i in range(40)]
    entity_ids: dict[str, int] = {}
    df: Counter[int] = Counter()
    with Timer() as t:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO sources (id, name, country) VALUES (?, ?, ?)",
            [(s, s, c) for s, c in sources],
        )
        chunks: list = []
        batch_st, batch_v, batch_p = [], [], []
        for n in range(1, size + 1):
            template = real[n - 1] if n <= len(real) else rng.choice(real)
            shift = 0 if n <= len(real) else rng.randint(-365, 365) * 86_400
            ts = template["ts"] + shift + rng.randint(0, 86_399) * (n > len(real))
            source, country = sources[n % len(sources)]
            batch_st.append(
                (n, f"{source}:{n:012x}", source, str(n), f"https://bench.example/{n}",
                 template["title"][:80], ts, template["language"], template["kind"], country,
                 "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", n, 1)
            )  # fmt: skip
            batch_v.append((n, n, 1, template["title"][:80], "", "bench", "2026-01-01T00:00:00Z",
                            "2026-01-01T00:00:00Z"))  # fmt: skip
            for key, weight in template["weights"].items():
                eid = entity_ids.get(key)
                if eid is None:
                    eid = entity_ids[key] = len(entity_ids) + 1
                df[eid] += 1
                batch_p.append((eid, ts, n, round(weight, 4)))
            if n % 20_000 == 0 or n == size:
                conn.executemany(
                    """INSERT INTO statements (id, archive_id, source_id, key, url, title,
                       published_ts, language, kind, country, first_seen, last_seen,
                       current_version_id, version_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    batch_st,
                )
                conn.executemany(
                    """INSERT INTO versions (id, statement_id, seq, title, text, text_sha256,
                       first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?)""",
                    batch_v,
                )
                chunks.append(np.array(batch_p, dtype=np.float64))
                batch_st, batch_v, batch_p = [], [], []
                if n % 200_000 == 0:
                    _say(f"  {n:>10,d} statements  {time.perf_counter() - t.start:6.0f} s")
        _say("  sorting the postings…")
        table = np.concatenate(chunks)
        del chunks
        order = np.lexsort((table[:, 2], table[:, 1], table[:, 0]))
        table = table[order]
        _say(f"  writing {len(table):,d} postings in index order…")
        for start in range(0, len(table), 500_000):
            part = table[start : start + 500_000]
            conn.executemany(
                "INSERT INTO entity_postings VALUES (?, ?, ?, ?)",
                zip(
                    part[:, 0].astype(np.int64).tolist(),
                    part[:, 1].astype(np.int64).tolist(),
                    part[:, 2].astype(np.int64).tolist(),
                    part[:, 3].tolist(),
                    strict=True,
                ),
            )
        del table
        labels = {}
        for item in real:
            labels.update(item["labels"])
        conn.executemany(
            "INSERT INTO entities (id, key, label, df) VALUES (?, ?, ?, ?)",
            [(eid, key, labels.get(key), df[eid]) for key, eid in entity_ids.items()],
        )
        for name, value in (
            ("last_version_id", size),
            ("versions", size),
            ("lexicon", lexicon().version),
        ):
            conn.execute("INSERT INTO entity_index_state VALUES (?, ?)", (name, str(value)))
        conn.execute("COMMIT")
        postings = conn.execute("SELECT COUNT(*) FROM entity_postings").fetchone()[0]
    conn.close()
    info = {"seconds": t.seconds, "statements": size, "postings": postings,
            "entities": len(entity_ids)}  # fmt: skip
    marker.write_text(json.dumps(info, indent=1))
    _say(f"build: {size:,d} statements, {postings:,d} postings in {t.seconds:.0f} s")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args(argv)
    cache = OUT_DIR / "related-extracted.pickle"
    if cache.exists():
        real = pickle.loads(cache.read_bytes())
        _say(f"extract: reusing {cache} ({len(real):,d} statements; delete it to measure again)")
    else:
        docs, _ = read_docs(corpus_files())
        docs = last_docs(docs)
        _say(f"extract: {len(docs):,d} real statements")
        real, times = extract_real(docs)
        _say(f"extract: per statement {summary_ms(times)} (paid once per version, at import)")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(real))
    folder = OUT_DIR / f"related-{args.size}"
    info = build(folder, args.size, real)
    with Archive.open(folder, readonly=True) as archive:
        rng = random.Random(11)
        lex = lexicon()
        ids = [
            r[0]
            for r in archive.conn.execute(
                "SELECT archive_id FROM statements WHERE id IN ({})".format(
                    ",".join(str(rng.randint(1, args.size)) for _ in range(args.queries))
                )
            )
        ]
        rel.related(archive.conn, ids[0], lex=lex)  # warm the page cache once
        seconds, found = [], []
        for archive_id in ids:
            start = time.perf_counter()
            items = rel.related(archive.conn, archive_id, lex=lex)
            seconds.append(time.perf_counter() - start)
            found.append(len(items))
    _say(
        f"related at {info['statements']:,d} statements ({info['postings']:,d} postings): "
        f"{summary_ms(seconds)}; {sum(found) / len(found):.1f} results on average"
    )
    _say("(shared 2-core machine with other work running: figures vary with its load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
