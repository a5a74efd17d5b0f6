"""Models: qtmodeltester, paging on demand, bounded memory, stale results dropped."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from db import Archive, SearchQuery
from viewer.jobs import ArchiveReader, Coalescer, Interrupt
from viewer.models import statement_table
from viewer.models.facets import FacetModel
from viewer.models.source_tree import SourceTreeModel
from viewer.models.statement_table import (
    ARCHIVE_ID_ROLE,
    HIT_ROLE,
    LOADED_ROLE,
    StatementTableModel,
)


def loaded_model(qtbot, folder, query: SearchQuery | None = None) -> StatementTableModel:
    model = StatementTableModel(ArchiveReader(folder))
    with qtbot.wait_signal(model.loaded, timeout=10000):
        model.set_query(query or SearchQuery())
    return model


def wait_idle(qtbot, model: StatementTableModel) -> None:
    qtbot.wait_until(lambda: not model.busy(), timeout=10000)


def test_statement_model_passes_modeltester(qtbot, qtmodeltester, sample_archive):
    folder, _ = sample_archive
    model = loaded_model(qtbot, folder)
    qtmodeltester.check(model, force_py=True)
    wait_idle(qtbot, model)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 48


def test_rows_come_newest_first_and_match_the_archive(qtbot, sample_archive):
    folder, _ = sample_archive
    model = loaded_model(qtbot, folder)
    with Archive.open(folder, readonly=True) as archive:
        expected = archive.search(SearchQuery(limit=5))
    ids = [model.index(r, 0).data(ARCHIVE_ID_ROLE) for r in range(5)]
    assert ids == [hit.archive_id for hit in expected.hits]
    dates = [model.index(r, 0).data() for r in range(model.rowCount()) if model.hit(r, False)]
    assert dates == sorted(dates, reverse=True)


def test_pages_are_fetched_on_demand_and_memory_stays_bounded(qtbot, sample_archive, monkeypatch):
    monkeypatch.setattr(statement_table, "PAGE_SIZE", 10)
    monkeypatch.setattr(statement_table, "MAX_PAGES", 2)
    folder, _ = sample_archive
    model = loaded_model(qtbot, folder)
    assert model.rowCount() == 48
    assert list(model._pages) == [0]  # only the first page was loaded
    assert model.index(25, 2).data() == "…"  # not loaded yet: placeholder, page requested
    with qtbot.wait_signal(model.dataChanged, timeout=10000) as changed:
        pass
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), last.row()) == (20, 29)
    hit = model.index(25, 0).data(HIT_ROLE)
    with Archive.open(folder, readonly=True) as archive:
        assert hit.archive_id == archive.search(SearchQuery(limit=1, offset=25)).hits[0].archive_id
    model.index(45, 0).data()
    qtbot.wait_until(lambda: model.hit(45, False) is not None, timeout=10000)
    assert len(model._pages) <= 2
    assert model.index(47, 0).data(LOADED_ROLE) is True
    assert model.index(5, 0).data(LOADED_ROLE) is False  # page 0 was evicted


def test_sorting_maps_columns_to_archive_orders(qtbot, sample_archive):
    folder, _ = sample_archive
    model = loaded_model(qtbot, folder)
    with qtbot.wait_signal(model.loaded, timeout=10000):
        model.sort(statement_table.TITLE, Qt.SortOrder.AscendingOrder)
    assert model.query.order == "title"
    titles = [model.index(r, statement_table.TITLE).data() for r in range(10)]
    assert titles == sorted(titles, key=str.casefold)
    with qtbot.wait_signal(model.loaded, timeout=10000):
        model.sort(statement_table.VERSIONS, Qt.SortOrder.DescendingOrder)
    assert model.index(0, statement_table.VERSIONS).data() == "2"


def test_superseded_query_results_are_dropped(qtbot, sample_archive):
    folder, _ = sample_archive
    model = loaded_model(qtbot, folder)
    totals: list[int] = []
    model.loaded.connect(lambda total, _s: totals.append(total))
    model.set_query(SearchQuery(text="Blinken"))
    model.set_query(SearchQuery(text="Путин"))
    model.set_query(SearchQuery(languages=["ru"]))
    wait_idle(qtbot, model)
    qtbot.wait(50)
    assert totals[-1] == 8
    assert model.rowCount() == 8
    assert len(totals) <= 2  # the first may finish before the others arrive; the middle never


def test_coalescer_runs_only_the_newest_waiting_request(qtbot):
    gate = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def task(name: str, wait: bool = False):
        def fn():
            if wait:
                gate.wait(5)
            ran.append(name)
            return name

        return fn

    coalescer = Coalescer()
    coalescer.submit(task("a", wait=True), delivered.append)
    coalescer.submit(task("b"), delivered.append)
    coalescer.submit(task("c"), delivered.append)
    gate.set()
    qtbot.wait_until(lambda: not coalescer.busy(), timeout=5000)
    assert ran == ["a", "c"]  # "b" was replaced while "a" ran
    assert delivered == ["c"]  # "a" was outdated when it finished


def test_facet_model_counts_and_checks(qtmodeltester):
    model = FacetModel("kind")
    model.set_counts({"statement": 12, "readout": 30, "remarks": 5})
    qtmodeltester.check(model, force_py=True)
    assert [model.item(r, 0).text() for r in range(3)] == ["readout", "statement", "remarks"]
    model.set_checked(["remarks"])
    model.set_counts({"statement": 2})  # remarks no longer matches but stays (it is ticked)
    assert model.counts() == {"statement": 2, "remarks": 0}
    assert model.checked() == ["remarks"]


def test_source_tree_groups_by_country_and_sums(qtmodeltester, sample_archive):
    folder, _ = sample_archive
    with Archive.open(folder, readonly=True) as archive:
        sources = archive.sources()
        facets = archive.facets(SearchQuery())
    model = SourceTreeModel()
    model.set_sources(sources)
    model.set_counts(facets["source"])
    qtmodeltester.check(model, force_py=True)
    countries = {model.item(r, 0).text(): model.item(r, 1).text() for r in range(model.rowCount())}
    assert countries["Russia"] == "14"  # 8 Kremlin + 6 MFA posts
    assert countries["United States"] == str(
        facets["source"]["us-state"] + facets["source"]["us-whitehouse"]
    )
    assert model.counts()["ru-kremlin"] == 8
    model.set_checked(["ru-mfa", "us-state"])
    assert model.checked() == ["ru-mfa", "us-state"]
    russia = next(
        model.item(r, 0) for r in range(model.rowCount()) if model.item(r, 0).text() == "Russia"
    )
    assert russia.checkState() == Qt.CheckState.PartiallyChecked
    russia.setCheckState(Qt.CheckState.Checked)  # as a click on the country does
    assert model.checked() == ["ru-kremlin", "ru-mfa", "us-state"]
    russia.setCheckState(Qt.CheckState.Unchecked)
    assert model.checked() == ["us-state"]


def test_a_superseded_slow_query_is_interrupted(qtbot, sample_archive):
    folder, _ = sample_archive
    reader = ArchiveReader(folder)
    started = threading.Event()
    errors: list[Exception] = []

    def slow(archive):
        started.set()
        # a query that runs for minutes unless something stops it
        return archive.conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT COUNT(*) FROM n WHERE i < 10000000000"
        ).fetchone()

    first, second = Interrupt(), Interrupt()
    coalescer = Coalescer()
    results: list = []
    coalescer.submit(reader.task(slow, first), results.append, errors.append, first)
    assert started.wait(5)
    coalescer.submit(
        reader.task(lambda a: a.stats()["statements"], second),
        results.append,
        errors.append,
        second,
    )
    qtbot.wait_until(lambda: not coalescer.busy(), timeout=5000)  # minutes without interrupt
    assert first.requested
    assert results == [48]
    assert errors == []  # the interrupted query's error belongs to an outdated request


def test_capped_count_grows_as_the_view_reaches_the_end(qtbot, sample_archive, monkeypatch):
    import db.search

    monkeypatch.setattr(db.search, "COUNT_CAP", 20)
    monkeypatch.setattr(statement_table, "PAGE_SIZE", 10)
    folder, _ = sample_archive
    model = loaded_model(qtbot, folder)
    assert (model.rowCount(), model.exact) == (20, False)
    assert model.canFetchMore()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    while model.canFetchMore():
        with qtbot.wait_signal(model.grown, timeout=10000):
            model.fetchMore()
    assert inserted == [(20, 29), (30, 39), (40, 47)]
    assert (model.rowCount(), model.exact) == (48, True)
    with Archive.open(folder, readonly=True) as archive:
        last = archive.search(SearchQuery(limit=1, offset=47)).hits[0]
    assert model.index(47, 0).data(ARCHIVE_ID_ROLE) == last.archive_id
