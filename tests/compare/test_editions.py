"""Language editions side by side: the Russian and English Kremlin texts, paragraph by paragraph."""

from pathlib import Path

import pytest

from compare import compare_sides
from compare.comparison import Side
from compare.editions import align_editions, is_language_pair

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "editions"
RU = (HERE / "kremlin-69390-ru.txt").read_text(encoding="utf-8")
EN = (HERE / "kremlin-69390-en.txt").read_text(encoding="utf-8")

FURNITURE = (
    "Все материалы сайта",
    "Creative Commons",
    "Опубликован в",
    "Дата публикации",
    "Ссылка на материал",
    "Текстовая версия",
    "Официальный сайт",
    "Обращение Президента",
    "http://kremlin.ru",
    "Администрация Президента",
)


@pytest.fixture(scope="module")
def rows():
    return align_editions(RU, EN, "ru", "en")


def _pairs(rows):
    return [
        (" ".join(RU[r.left[0] : r.left[1]].split()), " ".join(EN[r.right[0] : r.right[1]].split()))
        for r in rows
        if r.left and r.right
    ]


def test_every_english_paragraph_has_its_russian_one(rows):
    english = [line for line in EN.split("\n") if line.strip()]
    assert all(r.left is not None for r in rows if r.right)  # nothing English stands alone
    covered = sum(EN[r.right[0] : r.right[1]].count("\n") + 1 for r in rows if r.right)
    assert covered == len(english) == 39
    paired = [r for r in rows if r.left and r.right]
    assert len(paired) == 38
    # The Russian page keeps as one paragraph what the English edition splits in two.
    split = [r for r in paired if "\n" in EN[r.right[0] : r.right[1]]]
    assert len(split) == 1
    assert RU[split[0].left[0] :].startswith("Мы\nне\xa0можем")
    assert EN[split[0].right[0] :].startswith("We cannot, we have no moral right")


def test_page_furniture_of_the_russian_page_stands_alone(rows):
    alone = [" ".join(RU[r.left[0] : r.left[1]].split()) for r in rows if r.right is None]
    assert len(alone) == len(FURNITURE)
    for text, start in zip(alone, FURNITURE, strict=True):
        assert text.startswith(start)


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("В.Путин: Уважаемые друзья!", "President of Russia Vladimir Putin: Friends,"),
        ("Тема моего выступления", "The subject of this address"),
        (
            "Мобилизационные мероприятия начнутся сегодня, с 21 сентября.",
            "The mobilisation will begin today, September 21.",
        ),
        ("В Вашингтоне, Лондоне, Брюсселе", "Washington, London and Brussels"),
        ("Граждане России могут быть уверены", "The citizens of Russia can rest assured"),
        ("Верю в вашу поддержку.", "I believe in your support."),
    ],
)
def test_known_pairs(rows, russian, english):
    pairs = _pairs(rows)
    match = [p for p in pairs if p[1].startswith(english)]
    assert len(match) == 1
    assert match[0][0].startswith(russian)


def test_rows_keep_both_reading_orders(rows):
    lefts = [r.left[0] for r in rows if r.left]
    rights = [r.right[0] for r in rows if r.right]
    assert lefts == sorted(lefts)
    assert rights == sorted(rights)


def test_compare_uses_the_editions_alignment_for_two_languages():
    c = compare_sides(Side(text=RU, language="ru"), Side(text=EN, language="en"), "statements")
    assert c.summary["alignment"] == "editions"
    assert c.summary["aligned_paragraphs"] == 38
    same = compare_sides(Side(text=EN, language="en"), Side(text=EN, language="en"), "statements")
    assert same.summary["alignment"] == "similarity"
    assert is_language_pair("ru", "en")
    assert not is_language_pair("en", "en-GB")
    assert not is_language_pair(None, "en")


def test_linked_editions_of_an_archive_compare_as_editions(tmp_path, capsys):
    import json

    from cli import main
    from compare.editions import linked_editions
    from db import Archive, StatementInput

    path = tmp_path / "arc"
    with Archive.open(path, create=True) as archive:
        ids = []
        for language, text in (("ru", RU), ("en", EN)):
            result = archive.add_statement(
                StatementInput(
                    source_id=f"kremlin-{language}",
                    url=f"http://{language}.example.test/69390",
                    text=text,
                    language=language,
                    published="2022-09-21T09:00:00+03:00",
                )
            )
            ids.append(result.archive_id)
        rowids = [
            archive.conn.execute("SELECT id FROM statements WHERE archive_id = ?", (i,)).fetchone()[
                0
            ]
            for i in ids
        ]
        assert linked_editions(archive, ids[0]) == []
        archive.set_edition_keys([(r, "kremlin:69390") for r in rowids])
        assert linked_editions(archive, ids[0]) == [ids[1]]
    assert main(["--archive", str(path), "compare", ids[0], ids[1], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["alignment"] == "editions"
    assert data["summary"]["aligned_paragraphs"] == 38
