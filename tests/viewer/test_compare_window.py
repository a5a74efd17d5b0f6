"""The Compare window on real edits: highlights, F7, changes only, sync scrolling, export."""

import json

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QComboBox

from db import StatementInput
from tests.compare.conftest import HERE, load_edits
from viewer.compare.export import write_html, write_pdf
from viewer.compare.window import CompareWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

MACRON = "https://www.whitehouse.gov/?p=20549"
NOMINATIONS = "https://www.whitehouse.gov/?p=21783"


@pytest.fixture
def ids(archive):
    """Real edited items (all versions) and the real White House / State shared-passage pair."""
    found = {}
    for guid, item in load_edits().items():
        for version in item["versions"]:
            found[guid] = archive.add_statement(
                StatementInput(
                    "us-whitehouse",
                    item["url"],
                    version["text"],
                    title=item["title"],
                    key=guid,
                    seen_at=version["seen_at"],
                )
            ).archive_id
    pair = json.loads((HERE / "shared-pair.json").read_text(encoding="utf-8"))
    for name, record in pair.items():
        found[name] = archive.add_statement(
            StatementInput(
                record["source"],
                record["url"],
                record["text"],
                title=record["title"],
                published=record["published"],
            )
        ).archive_id
    return found


def open_window(qtbot, archive, refs, size=(1100, 700)):
    window = CompareWindow(archive.folder, refs)
    qtbot.add_widget(window)
    assert window.data is None  # the work runs on the pool, not in the constructor
    with qtbot.wait_signal(window.loaded, timeout=15000):
        window.show()
    window.resize(*size)
    qtbot.wait_until(lambda: window.panes[0].viewport().height() > 0)
    return window


def selected(pane):
    selections = pane.extraSelections()
    return selections[0].cursor.selectedText() if selections else None


def test_versions_of_one_statement(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids[MACRON]])
    assert len(window.panes) == 2
    assert [(s.version) for s in window.data.sides] == [1, 2]
    assert "4 removed · 5 changed" in window.summary.text()
    assert "silent edit" in window.summary.text()
    assert window.targets_list.count() == 2
    assert window.targets_list.item(1).text() == (
        "that your allies in the United States are → allies that America is"
    )
    left, right = (p.toPlainText() for p in window.panes)
    assert "Q Mr. President, are you convinced that your allies" in left
    assert "Q Mr. President, have you convinced allies that America is back?" in right
    for pane, items in zip(window.panes, window.layout_.items, strict=True):
        assert pane.document().blockCount() == len(items)
        assert pane.resource_requests == []


def test_f7_walks_through_changes(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids[MACRON]])
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert window.position_label.text() == "1 / 2"
    assert [selected(p) for p in window.panes] == ["are", "have"]
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert [selected(p) for p in window.panes] == [
        "that your allies in the United States are",
        "allies that America is",
    ]
    qtbot.keyClick(window, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert window.position_label.text() == "1 / 2"
    assert selected(window.panes[1]) == "have"


def test_changes_only_folds_unchanged_paragraphs(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids[NOMINATIONS] + "@2"])
    full = window.panes[0].document().blockCount()
    with qtbot.wait_signal(window.loaded, timeout=15000):
        window.changes_only.setChecked(True)
    short = window.panes[0].document().blockCount()
    assert short < full / 2
    text = window.panes[0].toPlainText()
    assert "unchanged paragraphs" in text
    assert text.count("Bradenburg") == 2
    window.step(1)
    assert [selected(p) for p in window.panes] == ["Bradenburg", "Brandenburg"]


def test_panes_scroll_together(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids[NOMINATIONS]], size=(900, 400))
    left, right = window.panes
    bar = left.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    qtbot.wait_until(lambda: right.verticalScrollBar().value() > 0)
    assert left.top_item()[0] == right.top_item()[0]
    right.verticalScrollBar().setValue(0)
    assert left.verticalScrollBar().value() == 0


def test_two_statements_show_shared_passages(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids["whitehouse"], ids["state"]])
    assert window.statements_radio.isChecked()
    assert window.summary.text().startswith("1 shared passage (16 words)")
    assert window.targets_list.count() == 1
    window.targets_list.itemClicked.emit(window.targets_list.item(0))
    quote = "new investment, trade, and financing by U.S. persons to, from, or in the so-called"
    assert [selected(p) for p in window.panes] == [quote, quote]
    # aligned: the Executive Order paragraphs share a row, so they are the same block number
    blocks = [
        [p.document().findBlockByNumber(n).text() for n in range(p.document().blockCount())]
        for p in window.panes
    ]
    row = next(n for n, b in enumerate(blocks[1]) if b.startswith("President Biden will sign"))
    assert blocks[0][row].startswith("We have anticipated a move like this")


def test_switching_mode_recomputes(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids["whitehouse"], ids["state"]])
    with qtbot.wait_signal(window.loaded, timeout=15000):
        window.versions_radio.setChecked(True)
    assert window.data.comparisons[0].mode == "versions"
    assert "words added" in window.summary.text()


def test_three_versions_in_three_panes(qtbot, archive, ids):
    refs = [f"{ids[NOMINATIONS]}@{n}" for n in (1, 2, 3)]
    window = open_window(qtbot, archive, refs, size=(1200, 400))
    assert len(window.panes) == 3
    assert not window.changes_only.isEnabled()
    labels = [window.targets_list.item(n).text() for n in range(window.targets_list.count())]
    assert labels[0] == f"{refs[0]} → {refs[1]}: Bradenburg → Brandenburg"
    assert labels[-1] == f"{refs[1]} → {refs[2]}: Fund → Foundation"
    bar = window.panes[0].verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait_until(lambda: window.panes[2].verticalScrollBar().value() > 0)
    offsets = [p.offset_at_top() for p in window.panes]
    assert max(offsets) - min(offsets) < 200  # near-identical texts stay level


def test_choosing_another_version(qtbot, archive, ids):
    window = open_window(qtbot, archive, [ids[NOMINATIONS]])
    left_combo = window.headers[0].findChild(QComboBox)
    assert left_combo.count() == 3
    with qtbot.wait_signal(window.loaded, timeout=15000):
        left_combo.setCurrentIndex(0)
    assert [s.version for s in window.data.sides] == [1, 3]


def test_export_html_and_pdf(qtbot, archive, ids, tmp_path):
    window = open_window(qtbot, archive, [ids[NOMINATIONS] + "@2"])
    html_file, pdf_file = tmp_path / "c.html", tmp_path / "c.pdf"
    window.export_to(html_file, write_html)
    window.export_to(pdf_file, write_pdf)
    qtbot.wait_until(lambda: pdf_file.exists() and pdf_file.stat().st_size > 1000, timeout=20000)
    qtbot.wait_until(lambda: html_file.exists())
    page = html_file.read_text(encoding="utf-8")
    assert f"{ids[NOMINATIONS]}@1" in page
    assert f"{ids[NOMINATIONS]}@2" in page
    assert 'title="replaced">Brandenburg</span>' in page
    assert pdf_file.read_bytes().startswith(b"%PDF")


def test_unknown_id_is_reported_not_raised(qtbot, archive, ids):
    window = CompareWindow(archive.folder, ["us-whitehouse:000000000000"])
    qtbot.add_widget(window)
    with qtbot.wait_signal(window.failed, timeout=15000) as blocker:
        window.show()
    assert "no such statement" in blocker.args[0]
    assert window.summary.text().startswith("Cannot compare: us-whitehouse:000000000000")


def test_right_to_left_statements_are_laid_out_right_to_left(qtbot):
    from compare import Side, compare_sides
    from compare import layout as cl
    from viewer.compare.panes import ComparePane

    sides = [
        Side(
            "بیانیه وزارت امور خارجه درباره نشست امروز.",
            id="ir-mfa:aaaaaaaaaaaa",
            version=n,
            language="fa",
        )
        for n in (1, 2)
    ]
    sides[1] = Side(
        sides[1].text.replace("امروز", "دیروز"), id=sides[1].id, version=2, language="fa"
    )
    loaded = cl.Loaded(["a", "b"], sides, [compare_sides(*sides)], [[], []])
    layout = cl.layout(loaded)
    pane = ComparePane()
    qtbot.add_widget(pane)
    pane.set_content(layout.html[1], layout.items[1])
    direction = pane.document().begin().blockFormat().layoutDirection()
    assert direction == Qt.LayoutDirection.RightToLeft
    assert [t.label for t in layout.targets] == ["امروز → دیروز"]


def test_panes_never_load_resources(qtbot):
    from viewer.compare.panes import ComparePane

    pane = ComparePane()
    qtbot.add_widget(pane)
    pane.set_content(
        '<p>text <img src="https://example.org/pixel.png"> '
        '<a href="https://example.org/">link</a></p>',
        [(0, 4)],
    )
    pane.show()
    qtbot.wait(10)
    # asked (Qt asks again on every layout), answered with nothing each time
    assert {u.toString() for u in pane.resource_requests} == {"https://example.org/pixel.png"}
    loaded = pane.document().resource(2, QUrl("https://example.org/pixel.png"))
    assert loaded is None or loaded.isEmpty()  # nothing was loaded
    pane.setSource(QUrl("https://example.org/"))
    assert "text" in pane.toPlainText()
