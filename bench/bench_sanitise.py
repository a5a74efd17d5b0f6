"""Sanitising hostile markup: nested tables, deep divs, many entities (each well under 1 s).

python bench/bench_sanitise.py

Prints, per case, the input size, the time of the archive's one sanitiser
(scraper.extract.sanitise: flatten, then nh3) and, for contrast, nh3 alone on inputs where that
stays bearable. Before flattening, nh3 alone took 112 s on 100,000 nested <div>.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nh3  # noqa: E402
from _corpus import median_times  # noqa: E402

from scraper.extract.sanitise import sanitise_html  # noqa: E402

RUNS = 3


def nested_tables(n: int) -> str:
    return "<table><tr><td>cell left</td><td>" * n + "core" + "</td></tr></table>" * n


CASES = [
    ("15 nested tables", nested_tables(15), True),
    ("20 nested tables", nested_tables(20), True),
    ("5,000 nested <div>", "<div>" * 5000 + "deep words" + "</div>" * 5000, True),
    ("100,000 nested <div>", "<div>" * 100_000 + "deep words" + "</div>" * 100_000, False),
    ("200,000 &amp;", "<p>" + "&amp; " * 200_000 + "end</p>", True),
    ("tag soup: 200,000 unclosed <a", "<a " * 200_000 + "end", True),
    (
        "1 MB of ordinary paragraphs",
        "<p>Statement text, <b>bold</b> &amp; more.</p>" * 22_000,
        True,
    ),
]


def timed(fn) -> str:
    wall, cpu = median_times(fn, RUNS)
    return f"{wall:8.1f} ms (cpu {cpu:7.1f})"


def main() -> None:
    for name, markup, contrast in CASES:
        line = f"{name:30} {len(markup) / 1000:6.0f} kB  sanitise_html {timed(lambda m=markup: sanitise_html(m))}"
        if contrast:
            line += f"   nh3 alone {timed(lambda m=markup: nh3.clean(m))}"
        print(line)


if __name__ == "__main__":
    main()
