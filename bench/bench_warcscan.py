"""Reading a WARC record by record: Communiqué's damage-aware scanner vs warcio's iterator.

python bench/bench_warcscan.py [WARC]   (default: ../shared/data/captures/fmprc-2020-dev.warc.gz,
                                         else the test fixture subset)

Also times the scanner on a copy cut at 50 % and on one with 64 flipped bytes, where it must
find the next record after the damage.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from scraper.warcscan import Damage, scan_warc  # noqa: E402

CANDIDATES = [
    ROOT.parent / "shared" / "data" / "captures" / "fmprc-2020-dev.warc.gz",
    ROOT / "tests" / "fixtures" / "scraper" / "fmprc-subset.warc.gz",
]


def best_of(runs: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def warcio_count(path: Path) -> int:
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        count = 0
        for record in iterator:
            iterator.read_to_end(record)
            count += 1
    return count


def scan_count(path: Path) -> tuple[int, int]:
    """(whole records, damaged regions)."""
    items = list(scan_warc(path))
    damaged = sum(1 for i in items if isinstance(i, Damage))
    return len(items) - damaged, damaged


def main() -> None:
    warc = Path(sys.argv[1]) if len(sys.argv) > 1 else next(p for p in CANDIDATES if p.exists())
    size = warc.stat().st_size
    print(f"{warc} ({size / 1e6:.1f} MB)")
    took, (records, damages) = best_of(5, lambda: scan_count(warc))
    print(
        f"  scan_warc        {records:6,} records  {took * 1000:7.1f} ms  {size / took / 1e6:6.1f} MB/s"
    )
    took, count = best_of(5, lambda: warcio_count(warc))
    print(
        f"  warcio iterator  {count:6,} records  {took * 1000:7.1f} ms  {size / took / 1e6:6.1f} MB/s"
    )
    data = warc.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        cut = Path(tmp) / "cut.warc.gz"
        cut.write_bytes(data[: len(data) // 2])
        flipped = bytearray(data)
        for i in range(len(data) // 3, len(data) // 3 + 64):
            flipped[i] ^= 0xFF
        flip = Path(tmp) / "flip.warc.gz"
        flip.write_bytes(bytes(flipped))
        for name, path in (("cut at 50 %", cut), ("64 flipped bytes", flip)):
            took, (records, damages) = best_of(3, lambda path=path: scan_count(path))
            print(
                f"  {name:<16} {records:6,} records, {damages} damaged region(s)  "
                f"{took * 1000:7.1f} ms"
            )


if __name__ == "__main__":
    main()
