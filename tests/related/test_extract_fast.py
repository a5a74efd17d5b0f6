"""`extract` counts each distinct word once instead of deciding word by word: it must give
exactly what the word-by-word reading gives (the same weights, labels and key order), on every
real statement of the bundled sample and on made-up texts dense with phrases and names."""

import gzip
import itertools
import json
import math
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from compare.entities import (
    _CJK,
    _STOP,
    _TOKEN,
    MAX_WORDS,
    MIN_WORD,
    TITLE_BOOST,
    Extracted,
    Lexicon,
    _script_language,
    extract,
    lexicon,
    name_key,
    word_key,
)

SAMPLE = Path(__file__).resolve().parents[2] / "db" / "sample"


def reference_extract(
    title: str | None, text: str, language: str | None, lex: Lexicon
) -> Extracted:
    """`extract` as it was first written: deciding word by word, left to right."""
    counts: Counter[str] = Counter()
    words: Counter[str] = Counter()
    labels: dict[str, str] = {}
    lang = _script_language(language)
    stop = _STOP.get(lang, set())
    for part, boost in ((title or "", TITLE_BOOST), (text or "", 1)):
        has_cjk = _CJK.search(part) is not None
        if has_cjk:
            for form, key in lex.cjk:
                n = part.count(form)
                if n:
                    counts[key] += n * boost
        tokens = _TOKEN.findall(part)
        keys = [word_key(t) for t in tokens]
        i = 0
        while i < len(tokens):
            key = keys[i]
            matched = None
            for phrase, entity in lex.phrases.get(key, ()):
                if tuple(keys[i : i + len(phrase)]) == phrase:
                    matched, width = entity, len(phrase)
                    break
            if matched is None:
                matched, width = lex.single.get(key), 1
                tok = tokens[i]
                if matched is not None and key in lex.capital and not tok[:1].isupper():
                    matched = None
                if matched is None and tok[:1].isupper() and len(tok) >= 4:
                    matched = lex.names.get(name_key(tok))
            if matched is not None:
                counts[matched] += boost
                i += width
                continue
            tok = tokens[i]
            if (
                len(key) >= MIN_WORD
                and not key.isdigit()
                and not (has_cjk and _CJK.search(key))
                and tok.casefold() not in stop
                and key not in stop
            ):
                wk = f"word:{lang}:{key}"
                words[wk] += boost
                labels.setdefault(wk, tok.casefold())
            i += 1
    result = {k: 1.0 + math.log(n) for k, n in counts.items()}
    for wk, n in sorted(words.items(), key=lambda kv: -kv[1])[:MAX_WORDS]:
        result[wk] = 1.0 + math.log(n)
    return Extracted(result, {k: labels[k] for k in result if k in labels})


def _same(title, text, language, lex):
    got, want = extract(title, text, language, lex), reference_extract(title, text, language, lex)
    assert list(got.weights.items()) == list(want.weights.items())
    assert got.labels == want.labels


def test_every_sample_statement_extracts_as_word_by_word():
    lex = lexicon()
    seen = 0
    for path in sorted(SAMPLE.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in itertools.islice(f, 0, None, 3):  # a third: the reference is slow
                record = json.loads(line)
                _same(record.get("title"), record.get("text") or "", record.get("language"), lex)
                seen += 1
    assert seen > 900  # every file of the sample was read


def _vocabulary():
    lex = lexicon()
    spellings = sorted(
        {name for e in lex.entities.values() for names in e.forms.values() for name in names}
    )
    return lex, spellings


_LEX, _SPELLINGS = _vocabulary()
_FILLER = [
    "the",
    "of",
    "and",
    "United",
    "united",
    "States",
    "Nations",
    "того",
    "Того",
    "Iran",
    "sanctions",
    "Sanctions",
    "2022",
    "Путина",
    "Zelenskyy",
    "香港",
    "台湾",
    "Kellogg",
    "National",
    "Security",
    "Council",
    "Black",
    "Sea",
    "ceasefire",
    "Ceasefire",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_SPELLINGS), st.sampled_from(_FILLER)), max_size=60),
    st.lists(st.sampled_from(_FILLER), max_size=5),
    st.sampled_from(["en", "ru", "uk", "fr", "fa", "zh", None]),
)
def test_made_up_texts_extract_as_word_by_word(words, title, language):
    _same(" ".join(title) or None, " ".join(words), language, _LEX)
