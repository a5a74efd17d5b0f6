"""Viewer benchmark: GUI-thread stalls while typing and filtering, cold start, memory.

    python bench/bench_viewer.py                 # 1,000,000 statements (built once, cached)
    python bench/bench_viewer.py --size 100000   # smaller archive
    python bench/bench_viewer.py --archive PATH  # any existing archive

The large archive is the archive benchmark's (real corpora resampled, bench/out/); it is
reused when already built. Targets: longest GUI-thread stall <= 50 ms while typing a query and
changing filters; cold start to the first painted list <= 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

T0 = time.perf_counter()
T0_WALL = time.time()

from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_STALL_MS = 50.0
TARGET_COLD_MS = 1000.0
QUERY = "nuclear weapons"
KEY_INTERVAL_S = 0.12  # a quick typist


def rss_mb() -> float:
    """Resident memory now, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ the archive
def ensure_archive(size: int, max_paragraphs: int) -> Path:
    """The archive benchmark's resampled archive of `size` statements (built when missing)."""
    from _corpus import OUT_DIR, corpus_files, read_docs
    from bench_archive import build_large, import_corpora

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    cached = OUT_DIR / f"archive-{size}-p{max_paragraphs}"
    if (cached / "bench-build.json").exists():
        print(f"archive: reusing {cached}")
        return cached
    files = corpus_files()
    docs, raw_bytes = read_docs(files)
    base = OUT_DIR / "archive-corpus"
    if not (base / "archive.sqlite").exists():
        import_corpora(base, files, raw_bytes)
    folder, _info = build_large(size, base, docs, max_paragraphs)
    return folder


# ------------------------------------------------------------------ helpers
class Heartbeat:
    """A 2 ms timer on the GUI thread; a late tick is a stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[tuple[float, str]] = []
        self.phase = "start"
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(((now - self._last) * 1000, self.phase))
        self._last = now

    def worst(self) -> tuple[float, str]:
        return max(self.gaps, default=(0.0, "none"))


def pump(app, seconds: float) -> None:
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.0005)


COUNTS_WAIT_S = 5.0  # how long a user waits for the filter counts before the next click


def settle(app, window, limit: float = 30.0) -> float:
    """Pump events until the list answered (and the counts, for up to COUNTS_WAIT_S)."""
    start = time.perf_counter()
    while (
        window.search._timer.isActive()
        or window.filters._emit_timer.isActive()
        or window.model.busy()
    ):
        if time.perf_counter() - start > limit:
            print(f"  (the list had not answered after {limit:.0f} s; going on)")
            break
        pump(app, 0.005)
    listed = time.perf_counter()
    while window._facets.busy() and time.perf_counter() - listed < COUNTS_WAIT_S:
        pump(app, 0.005)
    COUNTS.append(None if window._facets.busy() else time.perf_counter() - start)
    pump(app, 0.05)
    return listed - start


COUNTS: list[float | None] = []


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


# ------------------------------------------------------------------ cold start (child process)
def cold_start_child(archive: Path) -> int:
    """Start the viewer like a user would; print when the first list is painted."""
    from PySide6.QtCore import QEvent, QObject, QSettings

    from viewer.app import application
    from viewer.mainwindow import MainWindow
    from viewer.settings import ViewerSettings

    app = application([sys.argv[0]])
    tmp = tempfile.mkdtemp(prefix="bench-viewer-")
    settings = ViewerSettings(QSettings(f"{tmp}/s.ini", QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.resize(1400, 900)
    painted: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and window.model.rowCount() and not painted:
                if window.model.hit(0, fetch=False) is not None:
                    painted.append(time.perf_counter())
            return False

    watch = PaintWatch()
    window.list.viewport().installEventFilter(watch)
    window.show()
    window.open_archive(archive)
    deadline = time.perf_counter() + 60
    while not painted and time.perf_counter() < deadline:
        pump(app, 0.001)
        window.list.viewport().update()
    result = {
        "first_paint_s": (painted[0] - T0) if painted else None,
        "first_paint_wall": T0_WALL + (painted[0] - T0) if painted else None,
        "rows": window.model.rowCount(),
        "rss_mb": rss_mb(),
    }
    print("COLD " + json.dumps(result))
    window.close()
    return 0


def cold_start(archive: Path) -> dict:
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child-cold-start", str(archive)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("COLD ")), None)
    if line is None:
        sys.exit(f"bench_viewer: cold start failed:\n{done.stderr[-2000:]}")
    result = json.loads(line[5:])
    result["from_launch_s"] = result["first_paint_wall"] - started
    return result


# ------------------------------------------------------------------ the session
def session(archive: Path) -> dict:
    """Type a query, tick filters, scroll and read, measuring GUI-thread stalls throughout."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from viewer.app import application
    from viewer.mainwindow import MainWindow
    from viewer.settings import ViewerSettings

    app = application([sys.argv[0]])
    tmp = tempfile.mkdtemp(prefix="bench-viewer-")
    settings = ViewerSettings(QSettings(f"{tmp}/s.ini", QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.resize(1400, 900)
    window.show()
    beat = Heartbeat()
    searches: list[float] = []
    asked: dict[str, float] = {}
    window.search.query_changed.connect(lambda q: asked.__setitem__("at", time.perf_counter()))
    window.model.loaded.connect(lambda total, s: searches.append(s))
    timings: dict[str, float] = {}

    beat.start()
    beat.phase = "open archive"
    window.open_archive(archive)
    timings["open"] = settle(app, window)
    total = window.model.rowCount()
    print(f"  opened: {total:,} statements listed in {timings['open']:.2f} s")

    beat.phase = "typing a query"
    window.search.setFocus()
    for char in QUERY:
        QTest.keyClicks(window.search, char)
        pump(app, KEY_INTERVAL_S)
    timings["typing"] = settle(app, window)
    print(
        f"  typed {QUERY!r}: {window.model.rowCount():,} hits; "
        f"listed {timings['typing']:.2f} s after the last key"
    )

    def tick(model, row: int, label: str) -> None:
        beat.phase = label
        item = model.item(row, 0)
        item.setCheckState(Qt.CheckState.Checked)
        timings[label] = settle(app, window)
        counts = f"{COUNTS[-1]:.2f} s" if COUNTS[-1] is not None else f"> {COUNTS_WAIT_S:.0f} s"
        print(
            f"  {label}: {window.model.rowCount():,} hits listed in {timings[label]:.2f} s, "
            f"counts in {counts}"
        )

    filters = window.filters
    if filters.sources.rowCount():
        tick(filters.sources, 0, "tick a country")
    if filters.facets["language"].rowCount():
        tick(filters.facets["language"], 0, "tick a language")
    if filters.facets["year"].rowCount():
        tick(filters.facets["year"], min(2, filters.facets["year"].rowCount() - 1), "tick a year")

    beat.phase = "clear the search (list by date)"
    QTest.keyClick(window.search, Qt.Key.Key_Escape)
    timings["clear search"] = settle(app, window)
    beat.phase = "clear filters"
    filters.clear()
    timings["clear filters"] = settle(app, window)
    print(f"  cleared: {window.model.rowCount():,} listed")

    beat.phase = "scroll to the middle"
    bar = window.list.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    start = time.perf_counter()
    first_visible = window.list.indexAt(window.list.viewport().rect().topLeft()).row()
    while (
        window.model.hit(max(first_visible, 0), fetch=False) is None
        and time.perf_counter() - start < 60
    ):
        pump(app, 0.005)
    timings["deep page"] = time.perf_counter() - start
    print(
        f"  scrolled to row {first_visible:,}: page loaded in {timings['deep page'] * 1000:.0f} ms"
    )

    beat.phase = "scroll to the end (more rows)"
    rows_before = window.model.rowCount()
    start = time.perf_counter()
    bar.setValue(bar.maximum())
    while (
        not window.model.exact
        and window.model.rowCount() == rows_before
        and time.perf_counter() - start < 60
    ):
        pump(app, 0.005)
        bar.setValue(bar.maximum())
    timings["more rows"] = time.perf_counter() - start
    if window.model.rowCount() > rows_before:
        print(
            f"  scrolled to the end: rows {rows_before:,} → {window.model.rowCount():,} "
            f"in {timings['more rows'] * 1000:.0f} ms"
        )

    beat.phase = "arrow keys through the list"
    window.list.setFocus()
    window.list.setCurrentIndex(window.model.index(max(first_visible, 0), 0))
    for _ in range(15):
        QTest.keyClick(window.list, Qt.Key.Key_Down)
        pump(app, 0.06)
    pump(app, 0.5)

    beat.timer.stop()
    window.close()  # interrupts what still runs and waits for the workers
    gaps = [g for g, _phase in beat.gaps]
    worst, phase = beat.worst()
    return {
        "statements": total,
        "max_stall_ms": worst,
        "max_stall_phase": phase,
        "p99_tick_ms": percentile(gaps, 99),
        "ticks": len(gaps),
        "stalls_over_50ms": sum(1 for g in gaps if g > TARGET_STALL_MS),
        "search_ms_median": 1000 * percentile(searches, 50) if searches else None,
        "search_ms_max": 1000 * max(searches) if searches else None,
        "timings": timings,
        "rss_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "counts_s": [c for c in COUNTS if c is not None],
        "counts_late": COUNTS.count(None),
        "by_phase": {p: max(g for g, q in beat.gaps if q == p) for p in {q for _g, q in beat.gaps}},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="statements in the archive")
    ap.add_argument(
        "--max-paragraphs",
        type=int,
        default=12,
        help="paragraph cap of generated statements (as bench_archive)",
    )
    ap.add_argument("--archive", type=Path, help="use this archive instead of building one")
    ap.add_argument("--child-cold-start", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_cold_start:
        return cold_start_child(args.child_cold_start)

    archive = args.archive or ensure_archive(args.size, args.max_paragraphs)
    from db import Archive

    with Archive.open(archive, readonly=True) as arc:
        count = arc.stats()["statements"]
    print(
        f"bench_viewer: {archive} ({count:,} statements), {os.cpu_count()} cores, "
        f"Qt platform {os.environ['QT_QPA_PLATFORM']}"
    )

    cold = cold_start(archive)
    print(
        f"\ncold start to the first painted list: {cold['from_launch_s'] * 1000:.0f} ms from "
        f"launch ({cold['first_paint_s'] * 1000:.0f} ms after the interpreter started), "
        f"{cold['rows']:,} rows, RSS {cold['rss_mb']:.0f} MB "
        f"(target <= {TARGET_COLD_MS:.0f} ms: "
        f"{'met' if cold['from_launch_s'] * 1000 <= TARGET_COLD_MS else 'NOT met'})"
    )

    print("\nsession (typing, filters, scrolling, reading):")
    result = session(archive)
    print(
        f"\nlongest GUI-thread stall: {result['max_stall_ms']:.1f} ms during "
        f"'{result['max_stall_phase']}' (target <= {TARGET_STALL_MS:.0f} ms: "
        f"{'met' if result['max_stall_ms'] <= TARGET_STALL_MS else 'NOT met'}); "
        f"p99 tick {result['p99_tick_ms']:.1f} ms over {result['ticks']:,} ticks, "
        f"{result['stalls_over_50ms']} ticks over 50 ms"
    )
    for phase, worst in sorted(result["by_phase"].items(), key=lambda kv: -kv[1]):
        print(f"  {phase:34s} worst tick {worst:6.1f} ms")
    if result["search_ms_median"] is not None:
        print(
            f"first page of results: median {result['search_ms_median']:.0f} ms, "
            f"max {result['search_ms_max']:.0f} ms (off the GUI thread)"
        )
    done = result["counts_s"]
    if done:
        print(
            f"filter counts (off the GUI thread): median {percentile(done, 50):.2f} s; "
            f"{result['counts_late']} of {len(done) + result['counts_late']} took longer than "
            f"{COUNTS_WAIT_S:.0f} s (the next click interrupted them)"
        )
    print(f"memory: RSS {result['rss_mb']:.0f} MB at the end, peak {result['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
