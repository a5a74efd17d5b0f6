"""Crawl of several loopback hosts in parallel vs one after another (target: speed-up >= 0.8 * N).

python bench/bench_scrape.py [HOSTS] [PAGES_PER_HOST] [DELAY_SECONDS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db import Archive  # noqa: E402
from scraper.crawl import Crawl, CrawlOptions  # noqa: E402
from scraper.sources import SourceConfig  # noqa: E402
from tests.scraper.conftest import LoopbackServer  # noqa: E402
from tests.scraper.test_faults import page  # noqa: E402


def serve(server: LoopbackServer, pages: int) -> None:
    urls = "".join(f"<url><loc>{server.base}/a/{i}</loc></url>" for i in range(pages))
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    ).encode()
    server.routes["/sitemap.xml"] = (200, [("Content-Type", "application/xml")], sitemap)
    for i in range(pages):
        body = page(str(i), "Paragraph. " * 300).encode()
        server.routes[f"/a/{i}"] = (200, [("Content-Type", "text/html; charset=utf-8")], body)


def run(sources: list[SourceConfig], parallel: bool) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        arc = Archive.open(Path(tmp) / "arc", create=True)
        started = time.perf_counter()
        Crawl(arc, sources, CrawlOptions(parallel=parallel)).run()
        elapsed = time.perf_counter() - started
        count = arc.stats()["statements"]
        arc.close()
    return elapsed, count


def main() -> None:
    hosts = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    servers = [LoopbackServer() for _ in range(hosts)]
    try:
        base = SourceConfig(
            id="x",
            name="x",
            institution="x",
            country="XX",
            language="en",
            title="h1",
            date=".date",
            body="article",
            delay=delay,
        )
        sources = []
        for n, server in enumerate(servers):
            serve(server, pages)
            sources.append(replace(base, id=f"xx-host{n}", sitemap=f"{server.base}/sitemap.xml"))
        sequential, count_s = run(sources, parallel=False)
        parallel, count_p = run(sources, parallel=True)
    finally:
        for server in servers:
            server.close()
    assert count_s == count_p == hosts * pages
    speedup = sequential / parallel
    print(
        f"{hosts} loopback hosts x {pages} pages, delay {delay:.2f} s per host "
        f"({hosts * (pages + 2)} requests)"
    )
    print(f"one after another: {sequential:.2f} s; in parallel: {parallel:.2f} s")
    print(f"speed-up {speedup:.2f}x = {speedup / hosts:.2f} x N (target >= 0.80 x N)")


if __name__ == "__main__":
    main()
