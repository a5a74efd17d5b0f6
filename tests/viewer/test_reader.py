"""Reader: right-to-left, CJK, highlights, provenance, citation, versions, no network, no script."""

from __future__ import annotations

import http.server
import threading

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from db import Archive


def statement(folder, archive_id):
    with Archive.open(folder, readonly=True) as archive:
        return archive.get_statement(archive_id)


def test_persian_is_laid_out_right_to_left(reader, sample_archive):
    folder, names = sample_archive
    reader.show_statement(statement(folder, names["fa"]))
    doc = reader.text.document()
    assert reader.text.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert doc.defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    assert doc.firstBlock().layout().textOption().textDirection() == Qt.LayoutDirection.RightToLeft
    assert reader.title.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert "وزارت امور خارجه" in doc.toPlainText()
    assert doc.blockCount() == 2  # the two paragraphs kept


def test_english_after_persian_is_left_to_right_again(reader, sample_archive):
    folder, names = sample_archive
    reader.show_statement(statement(folder, names["fa"]))
    reader.show_statement(statement(folder, names["edited"]))
    assert reader.text.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert (
        reader.text.document().defaultTextOption().textDirection() == Qt.LayoutDirection.LeftToRight
    )


def test_chinese_text_is_intact_and_wraps(reader, sample_archive):
    folder, names = sample_archive
    st = statement(folder, names["zh"])
    reader.show_statement(st)
    doc = reader.text.document()
    blocks = [doc.findBlockByNumber(i).text() for i in range(doc.blockCount())]
    assert blocks == st.current.text.split("\n\n")  # every paragraph, character for character
    assert "\ufffd" not in doc.toPlainText()
    long_block = max(
        (doc.findBlockByNumber(i) for i in range(doc.blockCount())), key=lambda b: b.length()
    )
    assert long_block.layout().lineCount() > 1  # CJK without spaces still wraps
    assert reader.text.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_russian_and_search_terms_highlighted(reader, sample_archive):
    folder, _ = sample_archive
    with Archive.open(folder, readonly=True) as archive:
        from db import SearchQuery

        hit = archive.search(SearchQuery(text="Путин", limit=1)).hits[0]
        st = archive.get_statement(hit.archive_id)
    reader.show_statement(st, ["Путин"])
    html = reader.text.toHtml()
    assert "background-color:#ffe066" in html
    doc = reader.text.document()
    highlighted = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().color().name() == "#ffe066":
                highlighted.append(fragment.text())
            it += 1
        block = block.next()
    assert highlighted
    assert all(word.lower().startswith("путин") for word in highlighted)


def test_provenance_and_citation(reader, sample_archive):
    folder, names = sample_archive
    st = statement(folder, names["zh"])
    reader.show_statement(st)
    facts = reader.provenance.text()
    assert "Captured: 2020-07-04 03:55:50 UTC" in facts
    assert "8e8cb635c211c4702f62606a04c67c33601d7feadb13556b45d15d09b46043af" in facts
    assert "captures/fmprc-2020-dev.warc.gz @ " in facts
    reader.copy_citation()
    cite = QGuiApplication.clipboard().text()
    assert cite == reader.citation()
    assert st.title in cite
    assert st.url in cite
    assert f"{names['zh']}@1" in cite
    assert "Ministry of Foreign Affairs of the People's Republic of China" in cite
    assert "captured 2020-07-04 03:55:50 UTC" in cite
    assert "8 Apr 2020" in cite


def test_versions_listed_and_compare_refs(reader, sample_archive, qtbot):
    folder, names = sample_archive
    st = statement(folder, names["edited"])
    reader.show_statement(st)
    assert reader.versions.list.count() == 2
    assert "silent edit" in reader.versions.list.item(1).text()
    assert reader.version.seq == 2
    reader.versions.list.item(0).setSelected(True)
    assert reader.version.seq == 1  # choosing a version shows it
    assert reader.text.toPlainText().startswith(st.versions[0].text.split("\n")[0])
    reader.versions.list.item(1).setSelected(True)
    with qtbot.wait_signal(reader.compare_requested) as asked:
        reader.versions.compare_selected()
    assert asked.args[0] == [f"{names['edited']}@1", f"{names['edited']}@2"]


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _CountingHandler.hits
    server.shutdown()


def _images(doc):
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                found.append(it.fragment().charFormat().toImageFormat().name())
            it += 1
        block = block.next()
    return found


@pytest.mark.parametrize("formatting", [False, True])
def test_hostile_statement_reaches_no_network_and_runs_no_script(
    reader, sample_archive, qtbot, monkeypatch, local_server, formatting
):
    base, hits = local_server
    folder, names = sample_archive
    st = statement(folder, names["hostile"])
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url)) or True)
    reader.set_show_formatting(formatting)
    if formatting:  # the published markup is prepared on a worker, then shown
        with qtbot.wait_signal(reader.formatted, timeout=10000):
            reader.show_statement(st)
    else:
        reader.show_statement(st)
    qtbot.wait(200)
    doc = reader.text.document()
    text = doc.toPlainText()
    assert "Before the image" in text
    assert "after the image" in text
    assert _images(doc) == []
    assert [u for u in reader.text.resource_requests if u.scheme() in ("http", "https")] == []
    title = doc.metaInformation(doc.MetaInformation.DocumentTitle)
    assert "pwned" not in reader.windowTitle()
    assert "pwned" not in title
    if formatting:
        assert "alert" not in text  # script content dropped
        assert "document.title" not in text
        assert "tracker.example" not in reader.text.toHtml()
    else:
        assert '<script>alert("script ran")</script>' in text  # shown as the words published
    reader._link_clicked(QUrl("javascript:alert(1)"))
    assert opened == []  # javascript: links go nowhere
    # Even markup that was never sanitised cannot make the view fetch anything:
    reader.text.setHtml(
        f'<p>x<img src="{base}/pixel.gif"></p>'
        f'<p style="background-image:url({base}/bg.png)">y</p>'
        f'<link rel="stylesheet" href="{base}/s.css">'
    )
    qtbot.wait(300)
    asked = {u.toString() for u in reader.text.resource_requests}
    assert f"{base}/pixel.gif" in asked  # Qt asked the view, which answered nothing
    assert hits == []  # and no request reached the server
    assert opened == []


def test_open_original_only_on_user_action(reader, sample_archive, monkeypatch):
    folder, names = sample_archive
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    st = statement(folder, names["edited"])
    reader.show_statement(st)
    assert opened == []
    reader.open_button.click()
    assert opened == [st.url]


def test_untitled_post_is_titled_by_its_first_line(reader, sample_archive):
    folder, _ = sample_archive
    from db import SearchQuery

    with Archive.open(folder, readonly=True) as archive:
        hit = archive.search(SearchQuery(sources=["ru-mfa"], limit=1)).hits[0]
        st = archive.get_statement(hit.archive_id)
    assert st.title is None
    reader.show_statement(st)
    first_line = st.current.text.split("\n", 1)[0].strip()
    shown = reader.title.full_text  # the value, before it is broken into lines
    assert shown == first_line or (shown.endswith("…") and first_line.startswith(shown[:-1]))
    assert len(shown) <= 110


def test_reading_layout_line_height_and_measure(reader, sample_archive):
    folder, names = sample_archive
    reader.resize(1400, 800)
    reader.show_statement(statement(folder, names["edited"]))
    doc = reader.text.document()
    block = doc.firstBlock()
    assert block.blockFormat().lineHeight() == 150
    assert block.blockFormat().bottomMargin() > 0
    # a wide window gets side margins so lines stay near 70 characters
    side = doc.rootFrame().frameFormat().leftMargin()
    assert side > doc.documentMargin()
    longest = max(
        (doc.findBlockByNumber(i) for i in range(doc.blockCount())), key=lambda b: b.length()
    )
    assert longest.layout().lineCount() > 1
    chars = longest.layout().lineAt(0).textLength()  # a full line of running text
    assert 55 <= chars <= 90


def _long_statement(paragraphs_before: int):
    from tests.viewer.statements import make_statement

    filler = "\n\n".join(
        f"Paragraph {i} speaks of trade, weather and the harvest." for i in range(paragraphs_before)
    )
    text = f"{filler}\n\nThe ministers discussed sanctions at length.\n\nLater, sanctions again."
    return make_statement(text, title="A long statement")


def test_the_reader_jumps_to_the_first_match_and_steps_through_them(reader, qtbot):
    st = _long_statement(120)
    reader.show_statement(st, ["sanctions"])
    text = reader.text.document().toPlainText()
    first = text.index("sanctions")
    second = text.index("sanctions", first + 1)
    assert reader.matches == [(first, first + 9), (second, second + 9)]
    cursor = reader.text.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (first, first + 9)
    assert reader.text.verticalScrollBar().value() > 0  # scrolled down to it
    viewport = reader.text.viewport().rect()
    assert viewport.contains(reader.text.cursorRect(cursor).center())
    assert reader.match_label.text() == "1 of 2 matches"
    reader.next_match()
    assert reader.text.textCursor().selectionStart() == second
    assert reader.match_label.text() == "2 of 2 matches"
    reader.next_match()  # wraps to the first
    assert reader.text.textCursor().selectionStart() == first
    reader.previous_match()  # and back to the last
    assert reader.text.textCursor().selectionStart() == second
    reader.show_statement(st, [])
    assert reader.matches == []
    assert reader.text.verticalScrollBar().value() == 0
    assert reader.match_label.text() == ""
    assert not reader.next_button.isVisible()
    reader.show_statement(st, ["embargo"])
    assert reader.match_label.text() == "no match in this text"
    assert not reader.next_button.isEnabled()


def test_provenance_values_elide_in_the_middle_and_stay_whole_when_copied(reader):
    from tests.viewer.statements import make_statement

    url = "https://www.mid.ru/ru/foreign_policy/news/" + "very-long-slug-" * 12 + "1987654/"
    reader.resize(700, 700)
    reader.show_statement(make_statement("Text.", url=url, archive_id="ru-mfa:0123456789abcdef"))
    field = reader.provenance.values["url"]
    assert field.text() == url  # the value itself is whole
    shown = field.displayed_text()
    assert shown != url
    assert "…" in shown
    head, tail = shown.split("…")
    assert url.startswith(head)
    assert url.endswith(tail)
    assert head.startswith("https://www.mid.ru")
    assert tail.endswith("1987654/")
    assert url in field.toolTip()
    field.selectAll()
    assert field.selectedText() == url  # copied exactly
    assert reader.provenance.values["archive_id"].text() == "ru-mfa:0123456789abcdef@1"
    assert reader.provenance.text().splitlines()[1] == f"URL: {url}"
