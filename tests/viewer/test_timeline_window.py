"""The timeline window: bars per source for the search, a period filters the list, PNG and CSV."""

from __future__ import annotations

import csv

import pyqtgraph as pg

from db import Archive, SearchQuery
from db.timeline import timeline
from viewer.jobs import ArchiveReader
from viewer.timeline_window import TimelineWindow, _ts


def _bars(win: TimelineWindow) -> list[pg.BarGraphItem]:
    return [i for i in win.plot.items() if isinstance(i, pg.BarGraphItem)]


def test_timeline_draws_the_search_and_exports(qtbot, sample_archive, tmp_path):
    folder, _ = sample_archive
    query = SearchQuery(text="Ukraine")
    win = TimelineWindow(ArchiveReader(folder), query)
    qtbot.addWidget(win)
    win.show()
    win.set_query(query)
    qtbot.waitUntil(lambda: win.result is not None, timeout=10_000)
    with Archive.open(folder, readonly=True) as archive:
        expected = timeline(archive.conn, query, "month")
        total = archive.search(query).total
    assert win.result.total == expected.total == total
    assert win.status.text().startswith(f"{total:,} statements by month")
    sources = {b.source for b in expected.buckets if b.start}
    assert sorted(b.opts["name"] for b in _bars(win)) == sorted(sources)
    drawn = sum(sum(b.opts["height"]) for b in _bars(win))
    assert drawn == sum(b.count for b in expected.buckets if b.start)

    png = win.export_png(tmp_path / "t.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert win.export_csv(tmp_path / "t.csv") == tmp_path / "t.csv"
    with (tmp_path / "t.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["count"]) for r in rows) == total

    with qtbot.waitSignal(win.by.currentTextChanged):
        win.by.setCurrentText("year")
    qtbot.waitUntil(lambda: win.result.by == "year", timeout=10_000)
    assert win.result.total == total


def test_a_period_chosen_on_the_chart_filters_the_list(qtbot, window, sample_archive):
    folder, _ = sample_archive
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        assert window.open_archive(folder)
    window.show_timeline()
    chart = window._timeline
    qtbot.waitUntil(lambda: chart.result is not None, timeout=10_000)
    chart.set_period(_ts("2022-11-01"), _ts("2022-11-30"))
    assert chart.period() == ("2022-11-01", "2022-11-30")
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        chart.filter_button.click()
    assert window.filters.state()["since"] == "2022-11-01"
    assert window.filters.state()["until"] == "2022-11-30"
    with Archive.open(folder, readonly=True) as archive:
        expected = archive.search(SearchQuery(since="2022-11-01", until="2022-11-30", limit=500))
    assert window.model.rowCount() == expected.total
    # the chart follows the list's filters
    qtbot.waitUntil(lambda: chart.result.total == expected.total, timeout=10_000)


def test_dragging_over_the_chart_selects_and_emits_the_period(qtbot, sample_archive):
    from PySide6.QtCore import QPointF

    folder, _ = sample_archive
    win = TimelineWindow(ArchiveReader(folder), SearchQuery())
    qtbot.addWidget(win)
    win.show()
    win.set_query(SearchQuery())
    qtbot.waitUntil(lambda: win.result is not None, timeout=10_000)
    view = win.view
    a = view.mapViewToScene(QPointF(_ts("2022-10-01"), 0))
    b = view.mapViewToScene(QPointF(_ts("2022-12-31"), 0))

    class Drag:  # what pyqtgraph hands mouseDragEvent, at the end of a drag from a to b
        def button(self):
            from PySide6.QtCore import Qt

            return Qt.MouseButton.LeftButton

        def accept(self):
            pass

        def buttonDownScenePos(self):  # noqa: N802
            return a

        def scenePos(self):  # noqa: N802
            return b

        def isFinish(self):  # noqa: N802
            return True

    with qtbot.waitSignal(win.period_selected) as signal:
        view.mouseDragEvent(Drag())
    assert signal.args == ["2022-10-01", "2022-12-31"]
