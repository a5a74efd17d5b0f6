"""The reader's "Also in: English, Русский" links and the record without an address."""

from __future__ import annotations

from PySide6.QtCore import Qt

from db import Archive, StatementInput
from scraper.editions import link_editions
from scraper.sources import load_sources
from viewer.widgets.reader import Reader


def test_also_in_links_open_the_other_edition_and_unknown_address_says_so(qtbot, tmp_path):
    with Archive.open(tmp_path / "arc", create=True) as arc:
        for source_id, host, language, title in (
            ("ru-kremlin", "kremlin.ru", "ru", "Обращение Президента Российской Федерации"),
            ("ru-kremlin-en", "en.kremlin.ru", "en", "Address by the President <b>of Russia</b>"),
        ):
            arc.add_statement(
                StatementInput(
                    source_id=source_id,
                    url=f"http://{host}/events/president/news/69390",
                    text=title,
                    title=title,
                    language=language,
                )
            )
        arc.add_statement(
            StatementInput(source_id="ua-president-en", url="", key="row 7", text="Good evening.")
        )
        link_editions(arc, load_sources().values())
        ru = arc.get_statement(
            arc.find_statement("ru-kremlin", "http://kremlin.ru/events/president/news/69390")
        )
        en_id = arc.find_statement(
            "ru-kremlin-en", "http://en.kremlin.ru/events/president/news/69390"
        )
        unknown = arc.get_statement(arc.find_statement("ua-president-en", "row 7"))
    reader = Reader()
    qtbot.add_widget(reader)
    reader.show()
    reader.show_statement(ru)
    assert reader.editions.isVisible()
    assert reader.editions.label.text() == "Also in:"
    assert [b.text() for b in reader.editions.links] == ["English"]
    tip = reader.editions.links[0].toolTip()
    assert "&lt;b&gt;of Russia&lt;/b&gt;" in tip  # the page's title never becomes markup
    with qtbot.waitSignal(reader.edition_requested) as signal:
        qtbot.mouseClick(reader.editions.links[0], Qt.MouseButton.LeftButton)
    assert signal.args == [en_id]
    reader.show_statement(unknown)
    assert not reader.editions.isVisible()
    assert not reader.open_button.isEnabled()
    assert "Original address unknown" in reader.open_button.toolTip()
    assert reader.provenance.values["url"].text() == "original address unknown"


def test_one_link_per_language(qtbot):
    reader = Reader()
    qtbot.add_widget(reader)
    reader.editions.set_editions(
        (("a:1", "en", "One"), ("a:2", "en", "One again"), ("b:1", "ru", "Одно"))
    )
    assert [b.text() for b in reader.editions.links] == ["English", "Русский"]
    reader.editions.set_editions(())
    assert reader.editions.links == []
    assert reader.editions.isHidden()
