"""How long the reader takes to show statements with huge page-derived values (titles,
speakers, URLs of 10 k, 200 k and 5 M characters), and that the next ordinary statement is as
fast as before them. Prints figures; the tests only check that nothing widens or crashes.

Usage: QT_QPA_PLATFORM=offscreen python bench/bench_long_values.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.viewer.statements import make_statement  # noqa: E402
from viewer.app import application  # noqa: E402
from viewer.widgets.reader import Reader  # noqa: E402


def show(app, reader: Reader, statement) -> float:
    started = time.perf_counter()
    reader.show_statement(statement)
    app.processEvents()
    reader.grab()  # lay out and paint, as on screen
    return time.perf_counter() - started


def main() -> int:
    app = application([sys.argv[0]])
    reader = Reader()
    reader.resize(900, 700)
    reader.show()
    ordinary = make_statement("An ordinary statement. " * 200, title="An ordinary title")
    print(f"ordinary statement: {show(app, reader, ordinary) * 1000:8.1f} ms")
    for size in (10_000, 200_000, 5_000_000):
        for shape, value in (("words", ("word " * (size // 5))[:size]), ("one run", "x" * size)):
            st = make_statement(
                "Body.", title=value, speaker=value, url="https://a.example/" + value
            )
            took = show(app, reader, st)
            print(
                f"title/speaker/URL {size:>9,} chars ({shape:7}): {took * 1000:8.1f} ms, "
                f"reader width {reader.width()} px"
            )
    for size in (50_000, 200_000):
        took = show(app, reader, make_statement("&" * size))
        print(f"text of one {size:,}-character run: {took * 1000:8.1f} ms")
    print(f"ordinary again:     {show(app, reader, ordinary) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
