"""Extraction speed on the real fmprc.gov.cn WARC: article pages per second on one core.

python bench/bench_extract.py [WARC]   (default: ../shared/data/captures/fmprc-2020-dev.warc.gz,
                                        else the test fixture subset)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.extract.page import extract_page  # noqa: E402
from scraper.sources import load_sources  # noqa: E402
from scraper.warcstore import WarcReplay  # noqa: E402

CANDIDATES = [
    ROOT.parent / "shared" / "data" / "captures" / "fmprc-2020-dev.warc.gz",
    ROOT / "tests" / "fixtures" / "scraper" / "fmprc-subset.warc.gz",
]


def main() -> None:
    warc = Path(sys.argv[1]) if len(sys.argv) > 1 else next(p for p in CANDIDATES if p.exists())
    sources = load_sources()
    started = time.perf_counter()
    replay = WarcReplay(warc)
    pages = []
    for url in replay.urls():
        for source_id in ("cn-mfa-en", "cn-mfa-zh"):
            if sources[source_id].is_article(url):
                pages.append((sources[source_id], url, replay.lookup(url)))
    read = time.perf_counter() - started
    texts = [(source, url, exchange.text()) for source, url, exchange in pages]
    decoded = time.perf_counter() - started - read
    extract_page(texts[0][0], texts[0][2], texts[0][1])  # warm-up: imports, selector compile
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for source, url, text in texts:
            extract_page(source, text, url)
        best = min(best, time.perf_counter() - t0)
    size = sum(len(t) for _, _, t in texts)
    print(
        f"WARC: {warc.name} ({warc.stat().st_size / 1e6:.1f} MB), {len(pages)} article pages, "
        f"{size / 1e6:.1f} M characters"
    )
    print(f"index + read records: {read:.2f} s; charset decoding: {decoded:.2f} s")
    print(
        f"extraction with site rules (parse, selectors, text, sanitised HTML, date, speaker): "
        f"{len(texts) / best:.0f} pages/s on one core (best of 3, {best:.2f} s)"
    )


if __name__ == "__main__":
    main()
