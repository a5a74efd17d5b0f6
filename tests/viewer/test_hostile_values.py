"""Page-derived values (titles, speakers, URLs) that are huge or look like markup are shown
literally, capped and wrapped, in every widget that shows them: never rendered as rich text,
never loading a file:// image, never widening the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from db import Archive, SearchQuery, StatementInput
from db.write import display_title
from tests.viewer.statements import make_statement
from viewer.mainwindow import MainWindow
from viewer.models.facets import VALUE_ROLE
from viewer.models.statement_table import SOURCE, TITLE
from viewer.plaintext import capped, one_line

IMG = "<img src=file:///etc/hostname width=900 height=900>"
HOSTILE_TITLES = [
    IMG,
    "<b>bold</b> and <a href='https://evil.example/'>a link</a>",
    "Fish &lt;chips&gt; &amp; more",
    "<table><tr><td>cell</td></tr></table><script>alert(1)</script>",
    "A" * 10_000,  # one 10k-character word
    ("long title " * 1000).strip(),
]


def shown(tooltip: str) -> str:
    """What Qt shows for a tooltip (it guesses rich text, as QToolTip does)."""
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_the_reader_shows_hostile_titles_literally_and_keeps_its_width(reader, qtbot, title):
    st = make_statement("Body text.", title=title, speaker=title, url="https://a.example/" + title)
    reader.show_statement(st)
    qtbot.wait(10)
    assert reader.width() == 900
    assert reader.title.minimumSizeHint().width() < 900
    assert reader.minimumSizeHint().width() < 900
    label = reader.title.full_text
    assert label == title[:400] + (
        f"… ({len(title) - 400:,} more characters)" if len(title) > 400 else ""
    )
    assert label.startswith(title[:40])
    assert reader.text.resource_requests == []  # no file:// image was loaded
    assert title[:30] in reader.meta.full_text  # the speaker, literally
    # on screen: at most 5 lines of title and 3 of details, the last elided when cut
    assert reader.title.text().count("\n") < 5
    assert reader.meta.text().count("\n") < 3
    if len(title) > 200:
        assert reader.title.text().endswith("…")
    # so the header stays small and the statement's text keeps its room
    title_line = reader.title.fontMetrics().lineSpacing()
    assert reader.title.height() <= 5 * title_line + 8
    assert reader.meta.height() <= 3 * reader.meta.fontMetrics().lineSpacing() + 8
    url = reader.provenance.values["url"]
    assert url.text() == "https://a.example/" + title
    assert shown(url.toolTip()).startswith("https://a.example/" + title[:100])
    if len(title) > 400:
        assert shown(reader.title.toolTip()).startswith(title[:1000])


def test_a_five_million_character_title_neither_crashes_nor_stalls_the_reader(reader, qtbot):
    title = "Z" * 5_000_000
    reader.show_statement(
        make_statement("Body.", title=title, speaker=title, url="https://a/" + title)
    )
    qtbot.wait(10)
    assert reader.width() == 900
    assert len(reader.title.full_text) < 1000
    assert len(reader.meta.full_text) < 2000
    assert reader.title.text().count("\n") < 5
    assert len(reader.provenance.values["url"].toolTip()) < 10_000


@pytest.fixture
def hostile_archive(tmp_path):
    folder = tmp_path / "archive"
    with Archive.open(folder, create=True) as archive:
        for n, title in enumerate(HOSTILE_TITLES):
            archive.add_statement(
                StatementInput(
                    "us-state",
                    f"https://www.state.gov/hostile/{n}/",
                    f"Statement number {n} on hostile titles.",
                    title=title,
                    speaker=IMG if n % 2 else title,
                    language="en",
                    published=f"2024-01-0{n + 1}",
                )
            )
    return folder


def test_the_list_filters_and_tooltips_show_hostile_values_literally(
    qtbot, settings, hostile_archive, no_dialogs
):
    window = MainWindow(settings)
    qtbot.add_widget(window)
    window.resize(1400, 860)
    window.show()
    with qtbot.wait_signal(window.model.loaded, timeout=10000):
        window.open_archive(hostile_archive)
    qtbot.wait_until(lambda: not window._facets.busy(), timeout=10000)
    model = window.model
    assert model.rowCount() == len(HOSTILE_TITLES)
    seen = set()
    for row in range(model.rowCount()):
        full = model.hit(row).title
        seen.add(full)
        shown_title = model.index(row, TITLE).data()
        assert shown_title == one_line(full, 500)
        assert len(shown_title) < 600
        assert shown(model.index(row, TITLE).data(Qt.ItemDataRole.ToolTipRole)).startswith(
            full[:500]
        )
        source_tip = model.index(row, SOURCE).data(Qt.ItemDataRole.ToolTipRole)
        assert shown(source_tip) == model.hit(row).source_name
    assert seen == {display_title(t) for t in HOSTILE_TITLES}  # the archive caps at 1,000
    speakers = window.filters.facets["speaker"]
    values = set()
    for row in range(speakers.rowCount()):
        item = speakers.item(row, 0)
        value = item.data(VALUE_ROLE)
        values.add(value)
        assert item.text() == one_line(value, 200)
        assert shown(item.toolTip()) == capped(value)
        assert shown(item.toolTip()).startswith(value[:200])
    assert IMG in values
    assert window.width() <= 1400
    assert not window.list.viewport().grab().isNull()  # painting the titles is safe


def test_the_compare_window_shows_hostile_titles_and_sources_literally(qtbot, hostile_archive):
    from PySide6.QtWidgets import QComboBox, QLabel

    from viewer.compare.window import CompareWindow

    with Archive.open(hostile_archive, readonly=True) as archive:
        hits = archive.search(SearchQuery(limit=10)).hits
    by_title = {h.title: h.archive_id for h in hits}
    refs = [by_title[IMG], by_title[display_title("A" * 10_000)]]
    window = CompareWindow(hostile_archive, refs)
    qtbot.add_widget(window)
    with qtbot.wait_signal(window.loaded, timeout=15000):
        window.show()
    window.resize(1100, 700)
    labels = [w for box in window.headers for w in box.findChildren(QLabel)]
    assert len(labels) == 2
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    tips = [shown(label.toolTip()) for label in labels]
    assert tips[0].startswith(f"“{IMG}”. us-state.")  # the citation, literally
    assert tips[1].startswith("“" + "A" * 990)
    combos = [w for box in window.headers for w in box.findChildren(QComboBox)]
    assert shown(combos[0].toolTip()).startswith(IMG)
    assert window.width() <= 1100


def test_the_sources_dialog_tooltips_are_literal():
    from viewer.sources_dialog import _item

    reason = "https://a.example/x: HTTP 500 <b>Internal</b> <img src=file:///etc/hostname>"
    assert shown(_item("x", tip=reason).toolTip()) == reason


def test_the_related_panel_shows_hostile_titles_literally(qtbot):
    from types import SimpleNamespace

    from viewer.widgets.related_panel import RelatedPanel

    panel = RelatedPanel()
    qtbot.add_widget(panel)
    items = [
        SimpleNamespace(
            country="US",
            title=title,
            published="2024-01-02",
            source_name="U.S. Department of State",
            reasons=["same day"],
            archive_id=f"us-state:{n}",
        )
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    panel.show_items(items, editions=[("ru-kremlin:1", IMG, "ru")])
    rows = [
        panel.tree.topLevelItem(g).child(c)
        for g in range(panel.tree.topLevelItemCount())
        for c in range(panel.tree.topLevelItem(g).childCount())
    ]
    texts = [row.text(0) for row in rows]
    assert texts[0] == f"{IMG}\nru"
    for title in HOSTILE_TITLES:
        row = next(
            r
            for r in rows[1:]
            if r.data(0, Qt.ItemDataRole.UserRole + 1).endswith(str(HOSTILE_TITLES.index(title)))
        )
        assert row.text(0).startswith(one_line(title, 300))
        assert shown(row.toolTip(0)).startswith(one_line(title, 300))
