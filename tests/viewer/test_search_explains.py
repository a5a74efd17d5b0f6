"""The viewer says how it read a query that was not valid syntax."""

from __future__ import annotations

import pytest

from db import Archive, SearchQuery
from viewer.mainwindow import MainWindow


@pytest.fixture
def window(qtbot, settings, no_dialogs):
    win = MainWindow(settings)
    qtbot.add_widget(win)
    win.show()
    return win


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
