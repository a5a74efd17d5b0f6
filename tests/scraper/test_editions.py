"""Language editions: kremlin.ru / en.kremlin.ru share ids, fmprc.gov.cn zh/en press conferences
of the same day; linked at import, at crawl time and for statements archived before."""

from __future__ import annotations

import json

from cli import main
from db import StatementInput
from scraper.editions import edition_key, link_editions
from scraper.warcimport import import_warc
from tests.scraper.test_sites import KREMLIN, write_warc


def _add(archive, source_id, url, language, title, published=None, kind=None):
    archive.add_statement(
        StatementInput(
            source_id=source_id,
            url=url,
            text=f"{title}.",
            title=title,
            language=language,
            published=published,
            published_iso=published,
            kind=kind,
        )
    )
    return archive.find_statement(source_id, url)


def test_edition_keys_follow_the_sources_rules(shipped_sources):
    kremlin, kremlin_en = shipped_sources["ru-kremlin"], shipped_sources["ru-kremlin-en"]
    ru = edition_key(kremlin, "http://kremlin.ru/events/president/news/69390", None, "news")
    en = edition_key(kremlin_en, "https://en.kremlin.ru/events/president/news/69390", None, None)
    assert ru == en == "kremlin:69390"
    transcript = "http://en.kremlin.ru/events/president/transcripts/speeches/69390"
    assert edition_key(kremlin_en, transcript, None, None) == "kremlin:69390"
    assert edition_key(kremlin, "http://kremlin.ru/catalog/persons", None, None) == ""
    zh, en_cn = shipped_sources["cn-mfa-zh"], shipped_sources["cn-mfa-en"]
    day = "2020-07-03"
    assert edition_key(zh, "https://x/t1.shtml", day, "press-briefing") == "cn-mfa:2020-07-03"
    assert edition_key(en_cn, "https://y/t2.shtml", day + "T15:00:00+08:00", "press-briefing") == (
        "cn-mfa:2020-07-03"
    )
    assert edition_key(zh, "https://x/t3.shtml", day, "remarks") == ""
    assert edition_key(shipped_sources["us-state"], "https://www.state.gov/x/", day, None) == ""


def test_statements_archived_before_are_linked_and_shown(
    tmp_path, archive, shipped_sources, capsys
):
    ru = _add(
        archive, "ru-kremlin", "http://kremlin.ru/events/president/news/63950", "ru", "Поздравление"
    )
    zh = _add(
        archive,
        "cn-mfa-zh",
        "https://z/t1.shtml",
        "zh",
        "例行记者会",
        "2020-07-03",
        "press-briefing",
    )
    en_cn = _add(
        archive,
        "cn-mfa-en",
        "https://e/t2.shtml",
        "en",
        "Regular Press Conference",
        "2020-07-03",
        "press-briefing",
    )
    other = _add(
        archive,
        "cn-mfa-en",
        "https://e/t3.shtml",
        "en",
        "Regular Press Conference",
        "2020-07-02",
        "press-briefing",
    )
    assert archive.language_editions(ru) == []  # nothing linked until the rules run
    assert link_editions(archive, shipped_sources.values()) == 4  # each has a key; other no partner
    assert link_editions(archive, shipped_sources.values()) == 0  # each statement looked at once
    assert archive.language_editions(zh) == [
        {"id": en_cn, "language": "en", "title": "Regular Press Conference"}
    ]
    assert archive.language_editions(other) == []
    # A WARC of en.kremlin.ru pages links each page to the Russian edition already archived.
    warc = tmp_path / "kremlin.warc.gz"
    url = "http://en.kremlin.ru/events/president/news/63950"
    write_warc(warc, {url: (KREMLIN / "63950.html").read_bytes()})
    import_warc(archive, warc, [shipped_sources["ru-kremlin-en"]])
    en = archive.find_statement("ru-kremlin-en", url)
    title = "Greetings to President of Moldova on Independence Day"
    assert archive.get_statement(ru).language_editions == ((en, "en", title),)
    archive.close()
    assert main(["--archive", str(archive.folder), "show", "--json", en]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["language_editions"] == [{"id": ru, "language": "ru", "title": "Поздравление"}]
    assert main(["--archive", str(archive.folder), "show", ru]) == 0
    assert f"Also in: en {en}" in capsys.readouterr().out


def test_edition_keys_survive_export_and_import_without_rules(tmp_path, archive, shipped_sources):
    from db import Archive
    from db.export import export_records
    from db.importer import import_jsonl
    from db.models import SearchQuery

    ru = _add(
        archive, "ru-kremlin", "http://kremlin.ru/events/president/news/69390", "ru", "Обращение"
    )
    en = _add(
        archive,
        "ru-kremlin-en",
        "http://en.kremlin.ru/events/president/news/69390",
        "en",
        "Address",
    )
    link_editions(archive, shipped_sources.values())
    records = list(export_records(archive, SearchQuery()))
    assert sorted(r["edition"] for r in records) == ["kremlin:69390", "kremlin:69390"]
    path = tmp_path / "out.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    with Archive.open(tmp_path / "copy", create=True) as copy:
        assert import_jsonl(copy, path).new == 2
        assert copy.language_editions(ru) == [{"id": en, "language": "en", "title": "Address"}]


def test_same_language_statements_sharing_a_key_are_not_editions(archive, shipped_sources):
    news = _add(
        archive,
        "ru-kremlin-en",
        "http://en.kremlin.ru/events/president/news/63951",
        "en",
        "Interview",
    )
    _add(
        archive,
        "ru-kremlin-en",
        "http://en.kremlin.ru/events/president/transcripts/63951",
        "en",
        "Interview",
    )
    ru = _add(
        archive, "ru-kremlin", "http://kremlin.ru/events/president/news/63951", "ru", "Интервью"
    )
    link_editions(archive, shipped_sources.values())
    assert archive.language_editions(news) == [{"id": ru, "language": "ru", "title": "Интервью"}]
    assert [e["language"] for e in archive.language_editions(ru)] == ["en", "en"]


def test_the_compare_layer_finds_the_editions_the_sources_link(archive, shipped_sources):
    from compare.editions import linked_editions

    en = _add(
        archive,
        "ru-kremlin-en",
        "http://en.kremlin.ru/events/president/news/69568",
        "en",
        "Meeting",
    )
    ru = _add(
        archive, "ru-kremlin", "http://kremlin.ru/events/president/news/69568", "ru", "Совещание"
    )
    assert linked_editions(archive, en) == []
    link_editions(archive, shipped_sources.values())
    assert linked_editions(archive, en) == [ru]
    assert linked_editions(archive, ru) == [en]
