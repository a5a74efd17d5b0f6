"""'Show published formatting' on hostile markup: time to prepare it (worker thread) and to
lay it out in the reader (GUI thread), for the shapes that froze the viewer (issue 9: 15 nested
tables 2.2 s, 20 nested 106 s, 5,000 nested <div> 44 s, 200,000 &amp; 47 s).

Usage: QT_QPA_PLATFORM=offscreen python bench/bench_formatting.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.viewer.statements import make_statement  # noqa: E402
from viewer import published  # noqa: E402
from viewer.app import application  # noqa: E402
from viewer.widgets.reader import Reader  # noqa: E402


def nested_tables(n: int) -> str:
    inner = "innermost"
    for i in range(n):
        inner = f"<table><tr><td>{inner}</td><td>cell {i}</td></tr></table>"
    return inner


CASES = {
    "15 nested tables": nested_tables(15),
    "20 nested tables": nested_tables(20),
    "5,000 nested <div>": "<div>" * 5000 + "deep" + "</div>" * 5000,
    "100,000 nested <div>": "<div>" * 100_000 + "deep" + "</div>" * 100_000,
    "200,000 &amp;": "<p>" + "&amp;" * 200_000 + "</p>",
    "60,000 &amp;": "<p>" + "&amp;" * 60_000 + "</p>",
    "5,000 paragraphs": "".join(f"<p>Paragraph {i} of a long statement.</p>" for i in range(5000)),
}


def main() -> int:
    app = application([sys.argv[0]])
    reader = Reader()
    reader.resize(900, 700)
    reader.show()
    reader.set_show_formatting(True)
    for name, markup in CASES.items():
        started = time.perf_counter()
        prepared = published.prepare(markup)
        worker = time.perf_counter() - started
        statement = make_statement("Archived text.", html=markup)
        started = time.perf_counter()
        reader.show_statement(statement)  # the archived text, at once
        shown = time.perf_counter() - started
        started = time.perf_counter()
        reader._show_formatted(reader.version, prepared)  # what the GUI thread does when ready
        reader.grab()
        gui = time.perf_counter() - started
        note = prepared.note.split(":")[0] if prepared.note else "as published"
        print(
            f"{name:22} worker {worker * 1000:7.0f} ms · text shown {shown * 1000:5.0f} ms · "
            f"formatting on screen {gui * 1000:6.0f} ms  ({note})"
        )
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
