"""The research layer in the viewer: what the command line made shows up; tags, collections and
notes are edited off the GUI thread and undone from Edit › Undo; the Cite menu copies every
format; saved searches list their new matches."""

from __future__ import annotations

import json

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication, QTextCursor

from cli import main
from db import Archive, SearchQuery, library
from tests.viewer.test_mainwindow import open_and_wait
from viewer.models.statement_table import ARCHIVE_ID_ROLE, TAGS


def _select(qtbot, win, archive_id: str) -> None:
    """Make `archive_id` the current row and wait for the reader and its library data."""
    model = win.model
    row = next(
        r for r in range(model.rowCount()) if model.index(r, 0).data(ARCHIVE_ID_ROLE) == archive_id
    )
    win.list.selectionModel().setCurrentIndex(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.wait_until(lambda: win.research.loaded_id == archive_id, timeout=10000)


def test_what_the_command_line_made_shows_in_the_viewer(qtbot, window, sample_archive, capsys):
    folder, names = sample_archive
    sid = names["edited"]
    with Archive.open(folder, readonly=True) as archive:
        st = archive.get_statement(sid)
    passage = st.versions[0].text.split("\n")[0][:60]
    for argv in (
        ["tag", "add", sid, "iran drones"],
        ["collection", "add", "Chapter 2", sid],
        ["note", "add", f"{sid}@1", "Check against the cable", "--quote", passage],
    ):
        assert main(["--archive", str(folder), *argv]) == 0
    capsys.readouterr()
    open_and_wait(qtbot, window, folder)
    qtbot.wait_until(lambda: window.research.collection_facet.counts() == {"Chapter 2": 1})
    assert window.research.tag_facet.counts()["iran drones"] == 1
    _select(qtbot, window, sid)
    bar = window.research.bar.tags.text()
    assert "iran drones" in bar
    assert "In: Chapter 2" in bar
    notes = window.research.notes_panel.list
    assert notes.count() == 1
    assert notes.item(0).text().startswith(f"“{' '.join(passage.split())}")
    assert notes.item(0).text().endswith("Check against the cable")
    assert "not in version" not in notes.item(0).text()  # the later version keeps the passage
    assert window.research.marked_passages() == [passage.strip()]  # underlaid in the text
    row = window.model.row_of(sid)
    assert "iran drones" in window.model.index(row, TAGS).data()

    # Ticking the collection filters the list to its statements.
    item = window.research.collection_facet.findItems("Chapter 2")[0]
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        item.setCheckState(item.checkState().Checked)
    assert window.model.rowCount() == 1
    assert window.model.index(0, 0).data(ARCHIVE_ID_ROLE) == sid


def test_tag_collection_and_note_changes_are_undone(qtbot, window, sample_archive):
    folder, names = sample_archive
    sid = names["edited"]
    open_and_wait(qtbot, window, folder)
    _select(qtbot, window, sid)
    research = window.research
    writer = research.writer

    def wait_for(condition):
        qtbot.wait_until(condition, timeout=10000)

    def in_db(fn):
        with Archive.open(folder, readonly=True) as archive:
            return fn(archive)

    research.bar.tag_edit.setText("to read")
    research.bar.tag_edit.returnPressed.emit()
    wait_for(lambda: research.tags == ["to read"])
    research.add_to_collection("Chapter 2", [sid])
    wait_for(lambda: research.collections == ["Chapter 2"])
    research.add_note("Whole statement")
    wait_for(lambda: len(research.notes) == 1)
    note = research.notes[0]

    research.remove_tag(sid, "to read")
    research.remove_from_collection("Chapter 2", [sid])
    research.delete_note(note)
    wait_for(lambda: not research.tags and not research.collections and not research.notes)
    assert in_db(lambda a: library.tags_of(a, sid)) == []

    assert writer.stack.undoText() == "Delete note"
    research.undo_action.trigger()
    wait_for(lambda: research.notes == [note])  # the same note: id, text and times
    research.undo_action.trigger()
    wait_for(lambda: research.collections == ["Chapter 2"])
    research.undo_action.trigger()
    wait_for(lambda: research.tags == ["to read"])
    assert in_db(lambda a: library.tags_of(a, sid)) == ["to read"]
    assert in_db(lambda a: library.collection_members(a, "Chapter 2")) == [sid]
    research.redo_action.trigger()
    wait_for(lambda: research.tags == [])


def test_cite_menu_copies_every_format_and_a_quote(qtbot, window, sample_archive):
    folder, names = sample_archive
    open_and_wait(qtbot, window, folder)
    _select(qtbot, window, names["zh"])
    research = window.research
    assert [a.text() for a in research.cite_menu.actions() if a.text()][:4] == [
        "Copy &citation",
        "Copy as &CSL-JSON",
        "Copy as &BibTeX",
        "Copy as &RIS (Zotero, EndNote)",
    ]
    research.cite_actions["csl-json"].trigger()
    (item,) = json.loads(QGuiApplication.clipboard().text())
    assert item["id"] == f"{names['zh']}@1"
    assert item["accessed"] == {"date-parts": [[2020, 7, 4]]}
    research.cite_actions["ris"].trigger()
    assert "Y2  - 2020/07/04/" in QGuiApplication.clipboard().text()
    research.cite_actions["bibtex"].trigger()
    assert "urldate = {2020-07-04}" in QGuiApplication.clipboard().text()

    text = window.reader.text
    cursor = text.document().find(window.reader.version.text.split("\n")[0][:12])
    assert not cursor.isNull()
    text.setTextCursor(cursor)
    research.quote_action.trigger()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"“{cursor.selectedText()}” — “")
    assert "captured 2020-07-04 03:55:50 UTC" in copied
    text.moveCursor(QTextCursor.MoveOperation.Start)  # nothing selected: nothing copied
    QGuiApplication.clipboard().setText("unchanged")
    research.quote_action.trigger()
    assert QGuiApplication.clipboard().text() == "unchanged"


def test_saved_search_lists_new_matches_and_opens(qtbot, window, sample_archive):
    folder, _ = sample_archive
    with Archive.open(folder) as archive:
        library.save_search(archive, "Moscow", SearchQuery(text="Moscow"))
        archive.conn.execute("UPDATE saved_searches SET last_opened_at = '2000-01-01T00:00:00Z'")
        total = archive.search(SearchQuery(text="Moscow")).total
    assert total > 0
    open_and_wait(qtbot, window, folder)
    box = window.research.saved_box.list
    qtbot.wait_until(lambda: box.count() == 1, timeout=10000)
    assert box.item(0).text() == f"Moscow  ·  {total} new"
    window.research.open_saved("Moscow")
    qtbot.wait_until(lambda: window.search.query() == "Moscow", timeout=10000)
    qtbot.wait_until(lambda: box.item(0).text() == "Moscow", timeout=10000)  # nothing new since
    qtbot.wait_until(lambda: window.model.total == total, timeout=10000)


def test_answers_arriving_after_the_window_closed_touch_nothing(qtbot, settings, sample_archive):
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    from viewer.mainwindow import MainWindow

    folder, names = sample_archive
    win = MainWindow(settings)
    win.show()
    open_and_wait(qtbot, win, folder)
    qtbot.wait_until(lambda: win.research.loaded_id != "", timeout=10000)  # the window's own
    with Archive.open(folder, readonly=True) as archive:
        win.research.statement = archive.get_statement(names["zh"])
    win.research.reload_statement()  # answers are on their way…
    win.research.load_facets()
    win.research.load_saved()
    win.close()
    win.deleteLater()  # …and the window goes first
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QThreadPool.globalInstance().waitForDone(10000)
    qtbot.wait(50)  # the late answers are delivered here; any exception fails the test


def test_compared_statements_go_into_a_collection_from_compare(qtbot, window, sample_archive):
    from PySide6.QtWidgets import QToolButton

    folder, names = sample_archive
    a, b = names["zh"], names["edited"]
    with Archive.open(folder) as archive:
        library.add_to_collection(archive, "Chapter 2", [names["fa"]])
    open_and_wait(qtbot, window, folder)
    _select(qtbot, window, a)
    assert window.research.all_collections == ["Chapter 2"]
    window.compare([a, b])
    compare = window._compare_windows[-1]
    qtbot.wait_until(lambda: compare.data is not None, timeout=15000)
    (button,) = [
        b for b in compare.statusBar().findChildren(QToolButton) if b.text() == "Add to collection"
    ]
    button.menu().aboutToShow.emit()
    (action,) = [x for x in button.menu().actions() if x.text() == "Chapter 2"]
    action.trigger()

    def members():
        with Archive.open(folder, readonly=True) as archive:
            return library.collection_members(archive, "Chapter 2")

    qtbot.wait_until(lambda: members() == [names["fa"], a, b], timeout=10000)
    compare.close()


def test_citations_of_the_list_and_of_the_selection(qtbot, window, sample_archive, tmp_path):
    import rispy

    folder, names = sample_archive
    ids = [names["zh"], names["edited"]]
    with Archive.open(folder) as archive:
        library.add_to_collection(archive, "Chapter 2", ids)
    open_and_wait(qtbot, window, folder)
    qtbot.wait_until(lambda: window.research.collection_facet.counts() == {"Chapter 2": 2})
    item = window.research.collection_facet.findItems("Chapter 2")[0]
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        item.setCheckState(item.checkState().Checked)
    target = tmp_path / "chapter2.ris"
    written = []
    window.research.export_citations(target, "ris", written.append)
    qtbot.wait_until(lambda: written == [2], timeout=10000)
    records = rispy.loads(target.read_text(encoding="utf-8"))
    assert sorted(r["unknown_tag"]["M2"][0].split()[3].rstrip(";") for r in records) == sorted(
        [f"{names['zh']}@1", f"{names['edited']}@2"]  # each statement's current version
    )

    window.list.selectAll()
    QGuiApplication.clipboard().setText("")
    window.research.copy_selected("csl-json")
    qtbot.wait_until(lambda: QGuiApplication.clipboard().text().startswith("["), timeout=10000)
    copied = json.loads(QGuiApplication.clipboard().text())
    assert sorted(c["id"].split("@")[0] for c in copied) == sorted(ids)


def test_deleting_a_collection_or_saved_search_is_undone(qtbot, window, sample_archive):
    folder, names = sample_archive
    ids = [names["zh"], names["fa"]]
    with Archive.open(folder) as archive:
        library.add_to_collection(archive, "Chapter 2", ids)
        library.save_search(archive, "Moscow", SearchQuery(text="Moscow", languages=["en"]))
    open_and_wait(qtbot, window, folder)

    def in_db(fn):
        with Archive.open(folder, readonly=True) as archive:
            return fn(archive)

    research = window.research
    research.delete_collection("Chapter 2")
    qtbot.wait_until(lambda: in_db(library.list_collections) == [], timeout=10000)
    assert in_db(lambda a: a.stats()["statements"]) == 48  # its statements stay
    research.delete_saved("Moscow")
    qtbot.wait_until(lambda: in_db(library.saved_searches) == [], timeout=10000)
    research.undo_action.trigger()
    qtbot.wait_until(lambda: [s.name for s in in_db(library.saved_searches)] == ["Moscow"])
    assert in_db(lambda a: library.get_saved(a, "Moscow")).query.languages == ["en"]
    research.undo_action.trigger()
    qtbot.wait_until(
        lambda: in_db(lambda a: library.collection_members(a, "Chapter 2")) == ids, timeout=10000
    )


def test_list_menu_tags_and_untags_the_selected_statement(qtbot, window, sample_archive):
    folder, names = sample_archive
    sid = names["zh"]
    with Archive.open(folder) as archive:
        library.add_tags(archive, sid, ["R&D", "to read"])
    open_and_wait(qtbot, window, folder)
    _select(qtbot, window, sid)
    menu = window.research.list_menu([sid])
    (remove,) = [a.menu() for a in menu.actions() if a.text() == "Remove tag"]
    assert [a.text() for a in remove.actions()] == ["R&&D", "to read"]  # '&' is not a shortcut
    remove.actions()[0].trigger()

    def tags():
        with Archive.open(folder, readonly=True) as archive:
            return library.tags_of(archive, sid)

    qtbot.wait_until(lambda: tags() == ["to read"], timeout=10000)
    row = window.model.row_of
    qtbot.wait_until(
        lambda: row(sid) >= 0 and window.model.index(row(sid), TAGS).data() == "to read",
        timeout=10000,
    )  # the list's Tags column follows


def test_notes_browser_searches_every_note_and_opens_its_statement(qtbot, window, sample_archive):
    folder, names = sample_archive
    with Archive.open(folder) as archive:
        library.add_note(archive, names["zh"], "Ask the embassy about this briefing")
        library.add_note(archive, names["fa"], "Persian wording differs from the English")
    open_and_wait(qtbot, window, folder)
    research = window.research
    with qtbot.wait_signal(research.notes_found, timeout=10000):
        browser = research.show_notes_browser()
    assert browser.list.count() == 2
    with qtbot.wait_signal(research.notes_found, timeout=10000):
        browser.search.setText("EMBASSY")
    assert browser.list.count() == 1
    assert browser.count.text() == "1 note"
    item = browser.list.item(0)
    assert item.text().startswith(names["zh"])
    browser.list.itemActivated.emit(item)
    qtbot.wait_until(
        lambda: (
            window.reader.statement is not None
            and window.reader.statement.archive_id == names["zh"]
        ),
        timeout=10000,
    )
    browser.close()


def test_a_note_whose_passage_a_later_version_dropped_says_so(qtbot, window, sample_archive):
    folder, names = sample_archive
    sid = names["edited"]
    with Archive.open(folder) as archive:
        st = archive.get_statement(sid)
        first, last = st.versions[0], st.versions[-1]
        gone = next(
            p for p in first.text.split("\n") if p.strip() and library._find(last.text, p) is None
        )
        library.add_note(archive, f"{sid}@{first.seq}", "Dropped later", quote=gone)
    open_and_wait(qtbot, window, folder)
    _select(qtbot, window, sid)  # the reader shows the latest version
    item = window.research.notes_panel.list.item(0)
    assert f"(this passage is not in version {last.seq})" in item.text()
    assert window.research.marked_passages() == []
    window.reader.versions.list.item(0).setSelected(True)  # back to version 1
    qtbot.wait_until(lambda: window.reader.version.seq == first.seq, timeout=5000)
    item = window.research.notes_panel.list.item(0)
    assert "not in version" not in item.text()
    assert window.research.marked_passages() == [gone.strip()]


def test_markup_in_notes_and_saved_searches_is_shown_as_text(qtbot, window, sample_archive):
    folder, names = sample_archive
    sid = names["zh"]
    body = '<img src="http://127.0.0.1:9/x.png"><b>bold?</b>'
    with Archive.open(folder) as archive:
        quote = archive.get_statement(sid).current.text.split("\n")[0][:20]
        library.add_note(archive, sid, body, quote=quote)
        library.save_search(archive, "<i>tricky</i>", SearchQuery(text="<b>x</b>"))
    open_and_wait(qtbot, window, folder)
    _select(qtbot, window, sid)
    assert window.research.notes_panel.list.item(0).text().endswith(body)  # a plain-text item
    (mark,) = window.reader.text.extraSelections()
    tip = mark.format.toolTip()
    assert "<img" not in tip
    assert "&lt;img" in tip
    box = window.research.saved_box.list
    qtbot.wait_until(lambda: box.count() == 1, timeout=10000)
    assert "<b>" not in box.item(0).toolTip()
    assert box.item(0).text() == "<i>tricky</i>"  # item text is never rich text
