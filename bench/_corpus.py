"""Shared helpers for benchmarks: the real corpora, queries drawn from them, resampling, stats."""

from __future__ import annotations

import gzip
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/…py` from anywhere

from db.importer import BadRecord, parse_record  # noqa: E402
from db.models import StatementInput  # noqa: E402

CORPUS_DIR = ROOT.parent / "shared" / "data" / "corpus"
OUT_DIR = ROOT / "bench" / "out"
SEEN_AT = "2026-01-01T00:00:00Z"  # fixed "seen" time for generated statements

_WORD = re.compile(r"\w+", re.UNICODE)


def corpus_files(folder: Path = CORPUS_DIR) -> list[Path]:
    """Every `*.jsonl.gz` of the real corpora, or a clear exit when the folder is missing."""
    files = sorted(folder.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"bench: {folder}: no *.jsonl.gz corpora here (the shared data is needed)")
    return files


@dataclass(frozen=True)
class Doc:
    """One real statement as the importer sees it: its current input and where it came from."""

    statement: StatementInput
    file: str

    @property
    def key(self) -> str:
        return self.statement.key or self.statement.url


def read_docs(files: list[Path]) -> tuple[list[Doc], int]:
    """The current version of every record in `files`, and the uncompressed bytes read."""
    docs: list[Doc] = []
    raw_bytes = 0
    for path in files:
        with gzip.open(path, "rb") as stream:
            for line in stream:
                raw_bytes += len(line)
                try:
                    inputs, _ = parse_record(line)
                except BadRecord:
                    continue
                docs.append(Doc(inputs[-1], path.name))
    return docs, raw_bytes


def last_docs(docs: list[Doc]) -> list[Doc]:
    """Docs whose (source, key) is not re-used by a later record (their text is the current one)."""
    final: dict[tuple[str, str], Doc] = {}
    for doc in docs:
        final[(doc.statement.source_id, doc.key)] = doc
    return list(final.values())


# ------------------------------------------------------------------ queries
@dataclass(frozen=True)
class BenchQuery:
    """A search to time: its text, what kind it is, and the statement it was taken from."""

    text: str
    kind: str  # "phrase" (3–6 words), "words" (1–2 words) or "operator"
    doc: Doc | None = None

    @property
    def literal(self) -> str | None:
        """The substring a LIKE scan looks for (None for operator queries)."""
        return None if self.kind == "operator" else self.text


def _words(text: str) -> list[str]:
    return text.split()


def _run(rng: random.Random, text: str, lo: int, hi: int) -> str | None:
    words = _words(text)
    size = rng.randint(lo, hi)
    if len(words) < size:
        return None
    start = rng.randrange(0, len(words) - size + 1)
    return " ".join(words[start : start + size])


def _term(rng: random.Random, text: str) -> str | None:
    """A real word of 4+ letters from `text`."""
    words = [w for w in _WORD.findall(text) if len(w) >= 4 and not w.isdigit()]
    return rng.choice(words) if words else None


def make_queries(docs: list[Doc], count: int, seed: int = 20221102) -> list[BenchQuery]:
    """`count` deterministic queries: ~70% phrases of 3–6 words (a tenth of them Russian),
    ~20% one or two words, ~10% with FTS operators (AND/OR/NOT, a quoted phrase, a prefix*)."""
    rng = random.Random(seed)
    usable = [d for d in last_docs(docs) if len(_words(d.statement.text)) >= 12]
    russian = [d for d in usable if (d.statement.language or "").startswith("ru")] or usable
    queries: list[BenchQuery] = []
    n_phrase = round(count * 0.7)
    n_words = round(count * 0.2)
    while len(queries) < n_phrase:
        doc = rng.choice(russian if len(queries) % 10 == 9 else usable)
        phrase = _run(rng, doc.statement.text, 3, 6)
        if phrase:
            queries.append(BenchQuery(phrase, "phrase", doc))
    while len(queries) < n_phrase + n_words:
        doc = rng.choice(usable)
        terms = [_term(rng, doc.statement.text) for _ in range(rng.randint(1, 2))]
        if all(terms):
            queries.append(BenchQuery(" ".join(terms), "words", doc))
    shapes = ("{a} AND {b}", "{a} OR {b}", "{a} NOT {b}", '"{p}" AND {a}', "{pre}*")
    while len(queries) < count:
        doc = rng.choice(usable)
        a, b = _term(rng, doc.statement.text), _term(rng, doc.statement.text)
        p = _run(rng, doc.statement.text, 2, 3)
        if not (a and b and p) or a == b:
            continue
        p = " ".join(_WORD.findall(p)) or a
        shape = shapes[len(queries) % len(shapes)]
        queries.append(BenchQuery(shape.format(a=a, b=b, p=p, pre=a[:4]), "operator", doc))
    return queries


def tokens(text: str) -> str:
    """The text as FTS sees it (lower-cased words, one space apart), to check phrase holders."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


# ------------------------------------------------------------------ resampling
class Resampler:
    """Makes statements from paragraphs of random real statements of the same language.

    Each generated statement copies a random real statement's metadata (source, kind, speaker,
    country, published) and paragraph count (capped at `max_paragraphs`), then fills the
    paragraphs with random real paragraphs of its language. URLs and keys are synthetic.
    """

    def __init__(self, docs: list[Doc], seed: int = 1, max_paragraphs: int = 0) -> None:
        self.rng = random.Random(seed)
        self.max_paragraphs = max_paragraphs
        self.templates = [d.statement for d in docs if d.statement.text]
        self.paragraphs: dict[str, list[str]] = {}
        self.titles: dict[str, list[str]] = {}
        for st in self.templates:
            lang = st.language or ""
            self.paragraphs.setdefault(lang, []).extend(
                p for p in st.text.split("\n\n") if p.strip()
            )
            if st.title:
                self.titles.setdefault(lang, []).append(st.title)

    def statement(self, number: int) -> StatementInput:
        """The `number`th generated statement (deterministic for a given seed and order)."""
        rng = self.rng
        t = rng.choice(self.templates)
        lang = t.language or ""
        pool = self.paragraphs[lang]
        count = max(1, t.text.count("\n\n") + 1)
        if self.max_paragraphs:
            count = min(count, self.max_paragraphs)
        text = "\n\n".join(pool[int(rng.random() * len(pool))] for _ in range(count))
        titles = self.titles.get(lang)
        title = rng.choice(titles) if titles and t.title else None
        url = f"https://bench.example.org/{t.source_id}/{number}"
        return StatementInput(
            source_id=t.source_id,
            url=url,
            key=f"bench-{number}",
            text=text,
            title=title,
            published=t.published,
            language=t.language,
            kind=t.kind,
            speaker=t.speaker,
            country=t.country,
            seen_at=SEEN_AT,
            origin=f"bench resample {number}",
        )

    def stream(self, start: int, stop: int) -> Iterator[StatementInput]:
        for number in range(start, stop):
            yield self.statement(number)


# ------------------------------------------------------------------ figures
def percentile(values: list[float], pct: float) -> float:
    """The `pct` percentile (nearest rank) of `values`; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> str:
    """`p50 … ms · p95 … ms · max … ms (n=…)` for a list of durations in seconds."""
    if not seconds:
        return "n=0"
    ms = [s * 1000 for s in seconds]
    return (
        f"p50 {percentile(ms, 50):8.1f} ms · p95 {percentile(ms, 95):8.1f} ms · "
        f"mean {statistics.fmean(ms):8.1f} ms · max {max(ms):8.1f} ms (n={len(ms)})"
    )


def median_ms(fn, runs: int) -> float:
    """Median wall time of `runs` calls of `fn`, in milliseconds."""
    return median_times(fn, runs)[0]


def median_times(fn, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of `runs` calls of `fn`, in milliseconds. On a
    shared machine the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class Timer:
    """`with Timer() as t: …` then `t.seconds`."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
