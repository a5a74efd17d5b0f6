"""Entities in any language: CLDR names, the alias table, stems, transliteration."""

import json

import pytest

from compare import entities
from compare.entities import AliasFileError, extract, lexicon, name_key, word_key


@pytest.mark.parametrize(
    "spelling", ["Zelensky", "Zelenskyy", "Zelenskiy", "Зеленский", "Зеленський", "Зеленского"]
)
def test_every_spelling_of_zelensky_is_one_person(spelling):
    assert name_key(spelling) == "zelensk"
    found = extract(None, f"Президент {spelling} said it.", "ru").weights
    assert "person:zelensky" in found


def test_an_unlisted_spelling_is_found_by_transliteration():
    lex = lexicon()
    assert "zelenskyi" not in {
        f.casefold() for fs in lex.forms_of("person:zelensky").values() for f in fs
    }
    assert "person:zelensky" in extract(None, "President Zelenskyi spoke.", "en").weights


def test_russian_inflections_reach_the_country_and_the_person():
    found = extract(None, "ситуации вокруг Украины и России; Путина поддержали в Украине", "ru")
    assert {"country:UA", "country:RU", "person:putin"} <= set(found.weights)
    assert word_key("Украину") == word_key("Украина") == "украин"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Iran", "en"),
        ("Иран", "ru"),
        ("Іран", "uk"),
        ("ایران", "fa"),
        ("伊朗", "zh"),
        ("l'Iran", "fr"),
    ],
)
def test_cldr_country_names_in_every_language(text, language):
    assert "country:IR" in extract(None, f"{text} ", language).weights


def test_a_lowercase_word_is_not_a_capitalised_country():
    # "того" (of that) is not Того (Togo)
    assert "country:TG" not in extract(None, "кроме того, стороны", "ru").weights
    assert "country:TG" in extract(None, "в Того", "ru").weights


def test_title_counts_more_and_content_words_stay_within_their_language():
    found = extract("Ceasefire talks", "The ceasefire holds. Ceasefire again.", "en").weights
    assert found["word:en:ceasefire"] > 1.0
    assert not any(k.startswith("word:ru:") for k in found)


def test_user_alias_file_extends_the_table(tmp_path, monkeypatch):
    user = tmp_path / "aliases.json"
    user.write_text(
        json.dumps(
            {
                "entities": [
                    {
                        "id": "person:grossi",
                        "label": "Grossi",
                        "names": {"en": ["Grossi"], "ru": ["Гросси"]},
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(entities.ENV_ALIASES, str(user))
    lex = lexicon()
    assert "person:grossi" in extract(None, "Гросси прибыл", "ru", lex).weights
    monkeypatch.delenv(entities.ENV_ALIASES)
    assert lexicon().version != lex.version  # the index knows to rebuild


def test_a_broken_user_alias_file_is_one_clear_error(tmp_path, monkeypatch):
    user = tmp_path / "aliases.json"
    user.write_text('{"entities": [', encoding="utf-8")
    monkeypatch.setenv(entities.ENV_ALIASES, str(user))
    with pytest.raises(AliasFileError, match=r"aliases\.json:1: not valid JSON"):
        lexicon()
