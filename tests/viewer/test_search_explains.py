"""The viewer says how it read a query that was not valid syntax."""

from __future__ import annotations

from db import Archive, SearchQuery


def test_invalid_syntax_is_shown_as_searched_as_words(qtbot, window, sample_archive):
    folder, _ = sample_archive
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        assert window.open_archive(folder)
    window.search.setFocus()
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        qtbot.keyClicks(window.search, "Blinken AND")
    qtbot.wait_until(lambda: window.model.query.text == "Blinken AND", timeout=5000)
    qtbot.wait_until(lambda: not window.model.busy(), timeout=5000)
    with Archive.open(folder, readonly=True) as archive:
        assert window.model.total == archive.search(SearchQuery("Blinken and")).total > 0
    assert window.count_label.text().endswith("searched as words: Blinken AND")


def test_a_deleted_search_index_is_rebuilt_with_progress(qtbot, window, sample_archive):
    import gc
    import shutil

    from db import engine

    folder, _ = sample_archive
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        assert window.open_archive(folder)
    qtbot.wait_until(lambda: not window.model.busy(), timeout=10000)
    engine._indexes.clear()  # as a new process would find it: nothing of the index open
    gc.collect()
    shutil.rmtree(folder / "search-index", ignore_errors=True)
    progress: list[tuple[int, int]] = []
    window.model.indexing.connect(lambda done, total: progress.append((done, total)))
    with qtbot.wait_signal(window.model.loaded, timeout=20000):
        window.model.set_query(SearchQuery(text="Blinken"))  # the list's own search
    qtbot.wait_until(lambda: bool(progress) and progress[-1][0] == progress[-1][1], timeout=5000)
    assert progress[-1][1] > 0
    assert window.model.total > 0
