"""Published formatting is prepared off the GUI thread and bounded, so that no page — 20 nested
tables, 5,000 nested blocks, 200,000 entities, megabytes — freezes the reader; all text kept."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

from PySide6.QtGui import QTextFrame, QTextTable

from tests.viewer.statements import make_statement
from viewer import published


def nested_tables(n: int) -> str:
    inner = "innermost"
    for i in range(n):
        inner = f"<table><tr><td>{inner}</td><td>cell {i}</td></tr></table>"
    return inner


def nested_divs(n: int, text: str = "deep text") -> str:
    return "<div>" * n + text + "</div>" * n


class _Shape(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.max_depth = self.tables = self.max_tables = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "hr"):
            return
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        if tag == "table":
            self.tables += 1
            self.max_tables = max(self.max_tables, self.tables)

    def handle_endtag(self, tag):
        self.depth -= 1
        self.tables -= tag == "table"

    def handle_data(self, data):
        self.text.append(data)


def shape(markup: str) -> _Shape:
    parsed = _Shape()
    parsed.feed(markup)
    return parsed


def words(text: str) -> list[str]:
    return re.sub("\u200b", "", text).split()


def test_deep_nesting_is_flattened_and_every_word_kept():
    for source, expected_words in (
        (nested_divs(5000), ["deep", "text"]),
        (nested_divs(300, "below the parser's 255 levels"), ["below", "the", "parser's", "255", "levels"]),
        (nested_tables(20), ["innermost"] + [w for i in range(20) for w in ("cell", str(i))]),
    ):  # fmt: skip
        prepared = published.prepare(source)
        parsed = shape(prepared.markup)
        assert parsed.max_depth <= published.MAX_DEPTH
        assert parsed.max_tables <= published.MAX_TABLE_DEPTH
        assert words(" ".join(parsed.text)) == expected_words
        assert prepared.note.startswith("Published formatting simplified:")


def test_ordinary_markup_is_left_as_it_was_sanitised():
    source = '<p>Hello <b>world</b> &lt;x&gt; <a href="https://a.example/?x=1&amp;y=2">link</a></p>'
    prepared = published.prepare(source + "<script>alert(1)</script><img src=file:///etc/hostname>")
    # the one sanitiser (scraper.extract.sanitise) marks every kept link rel=noopener…
    kept = source.replace('">link', '" rel="noopener noreferrer nofollow">link')
    assert prepared == published.Prepared(kept, "")


def test_long_runs_get_break_opportunities_and_too_much_is_not_formatted():
    prepared = published.prepare("<p>" + "&amp;" * 60_000 + "</p>")
    text = "".join(shape(prepared.markup).text)
    assert text.replace("\u200b", "") == "&" * 60_000
    assert max(len(run) for run in text.split("\u200b")) == published.MAX_RUN
    huge = published.prepare("<p>x</p>" * 60_000)
    assert huge.markup is None
    assert huge.note.startswith(
        "The published formatting is too large to show (480,000 characters)"
    )
    many = published.prepare("<b></b>" * 30_000)
    assert many.markup is None
    assert "too many parts" in many.note


def test_the_reader_shows_the_text_at_once_and_the_formatting_when_ready(
    reader, qtbot, monkeypatch
):
    threads: list[str] = []
    real = published.prepare

    def prepare(markup):
        threads.append(threading.current_thread().name)
        return real(markup)

    monkeypatch.setattr(published, "prepare", prepare)
    st = make_statement("Archived text of the statement.", html=nested_tables(20))
    reader.set_show_formatting(True)
    with qtbot.wait_signal(reader.formatted, timeout=20000):
        reader.show_statement(st)
        # on screen before the formatting is ready: the archived text, and a word about it
        assert reader.text.document().toPlainText() == "Archived text of the statement."
        assert reader.format_note.text() == "Preparing the published formatting…"
    assert threads
    assert threads[0] != threading.main_thread().name
    doc = reader.text.document()
    assert "innermost" in doc.toPlainText()
    assert "cell 19" in doc.toPlainText()
    assert _table_depth(doc.rootFrame()) <= published.MAX_TABLE_DEPTH
    assert reader.format_note.isVisible()
    assert reader.format_note.text().startswith("Published formatting simplified:")
    reader.set_show_formatting(False)
    assert reader.text.document().toPlainText() == "Archived text of the statement."
    assert not reader.format_note.isVisible()


def _table_depth(frame: QTextFrame) -> int:
    deepest = 0
    for child in frame.childFrames():
        deepest = max(deepest, _table_depth(child) + isinstance(child, QTextTable))
    return deepest


def test_the_archived_text_breaks_only_runs_no_word_or_url_has():
    from viewer import render

    url = "https://www.mid.ru/ru/foreign_policy/news/" + "a" * 150 + "/"
    assert render.text_to_html(f"See {url} today.") == f"<p>See {url} today.</p>"  # kept whole
    run = "&" * 1000
    shown = render.text_to_html(run)
    pieces = shown.removeprefix("<p>").removesuffix("</p>").split("\u200b")
    assert [p.replace("&amp;", "&") for p in pieces] == ["&" * 80] * 12 + ["&" * 40]
