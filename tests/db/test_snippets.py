"""Snippets find the match fast (str.find and a phrase scan) and exactly where the regex
definition would: a word boundary before the phrase, whole words, accents folded."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from db.snippets import _FOLD, HIGHLIGHT_END, HIGHLIGHT_START, Snippeter, fold


def _fold_by_table(text: str) -> str:
    """The definition: each letter to its base letter (one for one), then lower-cased."""
    folded = text.translate(_FOLD).lower()
    return folded if len(folded) == len(text) else text.lower()


def test_fold_agrees_with_its_definition_on_every_letter_of_the_table():
    letters = "".join(chr(c) for c in range(0xC0, 0x530)) + "İıẞßΣςﬁ"
    for ch in letters:
        assert fold(ch) == _fold_by_table(ch), (ch, unicodedata.name(ch, "?"))
    assert fold("École Über Йошкар-Ола ёлка يك") == "ecole uber иошкар-ола елка یک"


@given(st.text(alphabet=st.characters(max_codepoint=0x700), max_size=60))
def test_fold_agrees_with_its_definition_on_any_text(text):
    assert fold(text) == _fold_by_table(text)


def _marked(snippet: str) -> list[str]:
    return [part.split(HIGHLIGHT_END)[0] for part in snippet.split(HIGHLIGHT_START)[1:]]


def test_the_phrase_must_start_a_word_even_when_a_false_start_overlaps_it():
    # "xab ab" is the phrase inside a word; the real one starts at the second "ab".
    text = "filler " * 60 + "xab ab ab " + "tail " * 60
    cut = Snippeter(["ab", "ab"]).cut(text)
    assert "xab ab ab" in cut.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    snippeter = Snippeter(["ab", "ab"])
    assert snippeter._find(text) == text.index("xab ab ab") + 4


def test_whole_words_only_and_the_earliest_of_several_words():
    text = "Sanctioned parties. " * 50 + "The Sanction list. " + "Oil, gas and coal. " * 3
    snippeter = Snippeter(["oil", "sanction"])
    # Not as a phrase; "Sanctioned" is not the word; "Sanction" (any case) is the first one.
    assert snippeter._find(text) == text.index("Sanction list")
    assert _marked(snippeter.cut(text)) == ["Sanction", "Oil", "Oil", "Oil"]
    assert Snippeter(["oil", "gas"])._find(text) == text.index("Oil, gas")  # the phrase


def test_prefixes_start_a_word_and_cjk_runs_match_anywhere():
    text = "A preamble without it. " * 40 + "Unsanctioned, then sanctioning. 伊朗外交部"
    assert Snippeter([], prefixes=["sanction"])._find(text) == text.index("sanctioning")
    assert Snippeter([], runs=["外交"])._find(text) == text.index("外交")


def test_accented_text_is_found_through_folding_when_typed_without_accents():
    text = "Introduction. " * 200 + "Déclaration commune de l'Élysée."
    snippeter = Snippeter(["declaration", "elysee"])
    assert snippeter._find(text) == text.index("Déclaration")
    assert _marked(snippeter.cut(text)) == ["Déclaration", "Élysée"]


def test_a_title_only_match_cuts_the_start_of_the_text():
    assert Snippeter(["absent"])._find("Nothing of the kind here.") == 0


def test_the_window_is_ten_words_before_the_match_and_fourteen_from_it_wherever_it_is():
    words = [f"w{n}" for n in range(400)]
    for at in (0, 3, 11, 12, 200, 399):
        text = " ".join(words[:at] + ["Target"] + words[at:])
        cut = Snippeter(["target"]).cut(text)
        shown = cut.strip("…").replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").split()
        assert shown == words[max(0, at - 10) : at] + ["Target"] + words[at : at + 13], at
        assert cut.startswith("…") == (at > 10)
        assert cut.endswith("…") == (at + 13 < 400)
    long_words = " ".join("x" * 30 for _ in range(30))  # ten words need more than 200 chars
    cut = Snippeter(["target"]).cut(long_words + " Target end")
    assert cut.startswith("…" + " ".join("x" * 30 for _ in range(10)) + " ⟦Target⟧")
