"""Snippets: a short window of a statement's text around the match, matches marked."""

from __future__ import annotations

import itertools
import re
import unicodedata

HIGHLIGHT_START = "\u27e6"  # ⟦ — marks the start of a match in a snippet
HIGHLIGHT_END = "\u27e7"  # ⟧
ELLIPSIS = "…"
_BEFORE, _AFTER = 10, 14  # words of context before and after the match
_WINDOW_CHARS = 1_500  # where those words are looked for, at most, on either side


def _fold_char(code: int) -> str:
    base = unicodedata.normalize("NFD", chr(code))[0].lower()
    return base if len(base) == 1 else chr(code)


# Accent and case folding that keeps every character in place (one character for one), so
# positions found in the folded text are positions in the original. Covers Latin and Cyrillic
# letters with diacritics; lower() is applied after for everything else.
_FOLD = {c: _fold_char(c) for c in [*range(0xC0, 0x250), *range(0x400, 0x530)]}
_FOLD[0x130] = "i"  # İ lower-cases to two characters
_FOLD.update({0x064A: "\u06cc", 0x0649: "\u06cc", 0x0643: "\u06a9"})  # Persian letter variants


def fold(text: str) -> str:
    folded = text.translate(_FOLD).lower()
    return folded if len(folded) == len(text) else text.lower()


def word_snippet(
    text: str, words: list[str], prefixes: list[str] = (), runs: list[str] = ()
) -> str:
    """About 24 words around the query's words as a phrase (else the first one found), each
    query word marked (and words starting with one of `prefixes`: stems and `prefix*`, and
    `runs` of CJK characters anywhere). Linear in the length of the text, and only the part
    before the match is scanned (then a window around it is folded and marked)."""
    if not text:
        return ""
    keys = [fold(w) for w in words if w]
    alternatives = [r"\b" + re.escape(k) + r"\b" for k in keys]
    alternatives += [r"\b" + re.escape(fold(p)) + r"\w*" for p in prefixes if p]
    alternatives += [re.escape(fold(r)) for r in runs if r]  # CJK: no word boundaries
    any_word = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
    at = 0
    if any_word is not None:
        phrase = None
        if len(keys) > 1:
            phrase = re.compile(r"\b" + r"\W+".join(map(re.escape, keys)) + r"\b", re.I)
        # The text as typed first (no copy); folded (accents) only when that finds nothing.
        found = (phrase and phrase.search(text)) or any_word.search(text)
        if found is None:
            folded = fold(text)
            found = (phrase and phrase.search(folded)) or any_word.search(folded)
        at = found.start() if found else 0
    lo = max(0, at - _WINDOW_CHARS)
    before = [m.start() + lo for m in re.finditer(r"\S+", text[lo:at])]
    words_after = re.finditer(r"\S+", text[at : at + _WINDOW_CHARS])
    after = [m.start() + at for m in itertools.islice(words_after, _AFTER + 1)]
    if lo and before:
        before = before[1:]  # the first word of the slice may be cut
    start = before[-_BEFORE] if len(before) >= _BEFORE else (before[0] if before else at)
    stop = after[_AFTER] if len(after) > _AFTER else min(len(text), at + _WINDOW_CHARS)
    if len(after) <= _AFTER and at + _WINDOW_CHARS >= len(text):
        stop = len(text)
    pieces, last = [], start
    if any_word is not None:
        window = fold(text[start:stop])
        for m in any_word.finditer(window):
            pieces += [
                text[last : start + m.start()],
                HIGHLIGHT_START,
                text[start + m.start() : start + m.end()],
                HIGHLIGHT_END,
            ]
            last = start + m.end()
    pieces.append(text[last:stop].rstrip())
    return (ELLIPSIS if start else "") + "".join(pieces) + (ELLIPSIS if stop < len(text) else "")


def substring_snippet(text: str, terms: tuple[str, ...], width: int = 40) -> str:
    """A window around the first of `terms` (text without word breaks, such as Chinese)."""
    at = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
    start, end = max(0, at - width), min(len(text), at + width)
    piece = text[start:end]
    for term in terms:
        piece = piece.replace(term, f"{HIGHLIGHT_START}{term}{HIGHLIGHT_END}")
    return (ELLIPSIS if start else "") + piece + (ELLIPSIS if end < len(text) else "")
