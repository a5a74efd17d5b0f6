"""One rule for noise: for every pair, the archive adds a version exactly when Compare reports a
change (db.normalise is the only definition; compare/tokens.py tokenises by it)."""

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare import diff_texts
from compare.tokens import tokenize
from db import Archive, StatementInput
from db.normalise import normalise_text

BASE = "The Minister said 'yes' to the \"plan\" on Tuesday, didn't she? Ukraine’s answer: no."

# (case, edited text, is it a change?)
CASES = [
    ("identical", BASE, False),
    ("curly single quotes", BASE.replace("'yes'", "\u2018yes\u2019"), False),
    ("acute accents as quotes", BASE.replace("'yes'", "\u00b4yes\u00b4"), False),
    ("grave accents as quotes", BASE.replace("'yes'", "`yes`"), False),
    (
        "primes as quotes",
        BASE.replace("'yes'", "\u2032yes\u2032").replace('"plan"', "\u2033plan\u2033"),
        False,
    ),
    ("curly double quotes", BASE.replace('"plan"', "\u201cplan\u201d"), False),
    ("low-9 quotes", BASE.replace('"plan"', "\u201eplan\u201c"), False),
    ("guillemets", BASE.replace('"plan"', "\u00abplan\u00bb"), False),
    ("single guillemets", BASE.replace("'yes'", "\u2039yes\u203a"), False),
    (
        "fullwidth quotes",
        BASE.replace('"plan"', "\uff02plan\uff02").replace("'yes'", "\uff07yes\uff07"),
        False,
    ),
    ("apostrophe as acute", BASE.replace("didn't", "didn\u00b4t"), False),
    ("apostrophe as modifier letter", BASE.replace("Ukraine’s", "Ukraine\u02bcs"), False),
    ("zero-width space inside a word", BASE.replace("Minister", "Mini\u200bster"), False),
    ("zero-width space between words", BASE.replace("said ", "said \u200b"), False),
    ("zero-width joiner", BASE.replace("plan", "pl\u200dan"), False),
    ("zero-width non-joiner", BASE.replace("Tuesday", "Tues\u200cday"), False),
    ("soft hyphen", BASE.replace("Minister", "Min\u00adister"), False),
    ("byte order mark in front", "\ufeff" + BASE, False),
    ("left-to-right mark", BASE.replace("no.", "\u200eno."), False),
    ("no-break space", BASE.replace("the ", "the\u00a0"), False),
    ("narrow no-break space before ?", BASE.replace("she?", "she\u202f?"), False),
    ("line breaks and doubled spaces", BASE.replace(" said ", "\n\nsaid  "), False),
    ("space before punctuation", BASE.replace("Tuesday,", "Tuesday ,"), False),
    ("decomposed accent", BASE.replace("Minister", "Ministe\u0301r"), True),
    ("composed vs decomposed é", BASE + " caf\u00e9", None),
    ("Chinese spaced out", "外交部 发言人", None),
    ("a real edit: a word", BASE.replace("Tuesday", "Wednesday"), True),
    ("a real edit: a negation", BASE.replace("said", "never said"), True),
    ("a real edit: punctuation", BASE.replace("no.", "no!"), True),
    ("a real edit: letter case", BASE.replace("Minister", "minister"), True),
    ("a real edit: a word split", BASE.replace("Tuesday", "Tues day"), True),
    ("a real edit: a quote removed", BASE.replace("'yes'", "yes"), True),
    ("a real edit: single quotes became double", BASE.replace("'yes'", '"yes"'), True),
]
# Texts whose counterpart is not BASE: (left, right, is it a change?)
PAIRS = {
    "composed vs decomposed é": (BASE + " caf\u00e9", BASE + " cafe\u0301", False),
    "Chinese spaced out": ("外交部发言人", "外交部 发言人", False),
}


def archive_adds_version(tmp_path, left: str, right: str) -> bool:
    arc = Archive.open(tmp_path / "noise", create=True)
    try:
        add = {"source_id": "us-state", "url": "https://www.state.gov/x/", "title": "T"}
        first = arc.add_statement(StatementInput(text=left, seen_at="2024-01-01T00:00:00Z", **add))
        second = arc.add_statement(
            StatementInput(text=right, seen_at="2024-01-02T00:00:00Z", **add)
        )
        assert first.status == "new"
        return second.status == "version"
    finally:
        arc.close()


@pytest.mark.parametrize(("case", "edited", "change"), CASES, ids=[c[0] for c in CASES])
def test_archive_new_version_agrees_with_compare_changed(tmp_path, case, edited, change):
    left, right, expected = PAIRS.get(case, (BASE, edited, change))
    new_version = archive_adds_version(tmp_path, left, right)
    changed = diff_texts(left, right).changed
    assert new_version == changed
    assert changed == expected


def test_normal_form_is_the_compare_token_keys():
    # Random texts over an alphabet of every character the rule treats specially.
    alphabet = (
        "ab cd\n\t\u00a0.,?'\"`\u00b4\u2019\u201c\u00ab\u2032\uff02\u200b\u200d\u00ad\ufeff"
        "\u0301\u3099\u304b\u4e2d\u56fd\u00e9\u05d0\u05b8\u0627\u064e\u0915\u093f-"
    )
    rng = random.Random(8)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 24)))
        keys = tokenize(text).keys
        assert normalise_text(text) == " ".join(keys), repr(text)
        assert " ".join(tokenize(unicodedata.normalize("NFC", text)).keys) == normalise_text(
            unicodedata.normalize("NFC", text)
        )


# Characters the rule treats specially, plus plain letters, so generated pairs often collide.
_ALPHABET = (
    "ab \n\u00a0\u3000.,'\"`\u00b4\u2019\u2018\u201c\u201d\u00ab\u00bb\u2032\uff02\uff07"
    "\u200b\u200c\u200d\u00ad\ufeff\u200e\u0301\u00e9\u4e2d\u56fd\u304b\u3099\u05d0\u05b8-"
)


@given(
    st.text(alphabet=_ALPHABET, max_size=30),
    st.text(alphabet=_ALPHABET, max_size=30),
)
@settings(max_examples=400, deadline=None)
def test_compare_changed_exactly_when_the_archive_normal_form_differs(left, right):
    assert diff_texts(left, right).changed == (normalise_text(left) != normalise_text(right))
    assert normalise_text(left) == " ".join(tokenize(left).keys)
