"""Benchmark: the research layer on a generated archive (default 50,000 statements).

Every statement gets two of 1,000 source-like tags, every tenth a researcher's tag, 5,000 are
in collections and 2,000 carry a note; then prints the median time of: a tag filter, a
collection filter, the tag and collection counts the viewer asks after each search, citing a
500-statement collection in each format, and exporting that collection with its notes.

Usage: python bench/bench_library.py [--size N]
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import median_ms  # noqa: E402

from db import Archive, SearchQuery, StatementInput, cite, library  # noqa: E402
from db.export import export_records  # noqa: E402
from db.search import library_facets  # noqa: E402

RUNS = 5
WORDS = "statement minister ministry talks sanctions security council agreement visit".split()


def build(folder: Path, size: int) -> list[str]:
    rng = random.Random(7)
    ids = []
    with Archive.open(folder, create=True) as archive, archive.transaction():
        for n in range(size):
            text = " ".join(rng.choice(WORDS) for _ in range(120))
            tags = [f"section-{rng.randrange(1000)}", f"topic-{rng.randrange(1000)}"]
            if n % 10 == 0:
                tags.append("to read")
            result = archive.add_statement(
                StatementInput(
                    "bench-source",
                    f"https://example.org/{n}",
                    text,
                    title=f"Statement {n}",
                    published=f"20{10 + n % 15}-0{1 + n % 9}-1{n % 9}",
                    tags=tags,
                    seen_at="2024-01-01T00:00:00Z",
                )
            )
            ids.append(result.archive_id)
    with Archive.open(folder) as archive:
        for c in range(10):
            library.add_to_collection(archive, f"chapter {c}", ids[c * 500 : (c + 1) * 500])
        for aid in ids[:2000]:
            library.add_note(archive, aid, "Check this against the readout")
    return ids


def main(argv: list[str]) -> int:
    size = int(argv[argv.index("--size") + 1]) if "--size" in argv else 50_000
    with tempfile.TemporaryDirectory(prefix="communique-bench-library-") as tmp:
        folder = Path(tmp) / "archive"
        build(folder, size)
        with Archive.open(folder, readonly=True) as archive:
            conn = archive.conn
            figures = {
                "search --tag 'to read' (first page)": lambda: archive.search(
                    SearchQuery(tags=["to read"])
                ),
                "search 'security' --tag 'to read'": lambda: archive.search(
                    SearchQuery(text="security", tags=["to read"])
                ),
                "search --collection 'chapter 3'": lambda: archive.search(
                    SearchQuery(collections=["chapter 3"])
                ),
                "tag + collection counts, no query": lambda: library_facets(conn, SearchQuery()),
                "tag + collection counts, 'security'": lambda: library_facets(
                    conn, SearchQuery(text="security")
                ),
            }
            for label, fn in figures.items():
                print(f"{label:42} {median_ms(fn, RUNS):8.1f} ms")
            members = library.collection_members(archive, "chapter 3")
            items = [(archive.get_statement(aid), None) for aid in members]
            for fmt in cite.FORMATS:
                ms = median_ms(lambda fmt=fmt: cite.render(items, fmt), RUNS)
                print(f"cite 500 statements as {fmt:10}              {ms:8.1f} ms")
            query = SearchQuery(collections=["chapter 0"])
            ms = median_ms(lambda: list(export_records(archive, query)), RUNS)
            print(f"{'export 500 statements with their notes':42} {ms:8.1f} ms")
    print(f"({size:,} statements, median of {RUNS} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
