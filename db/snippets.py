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


class Snippeter:
    """Cuts snippets for one query: its patterns compiled once, applied to each hit's text.

    About 24 words around the query's words as a phrase (else the first one found), each query
    word marked (and words starting with one of `prefixes`, and `runs` of CJK characters
    anywhere). Only the text up to the match is scanned; a window around it is folded."""

    def __init__(
        self, words: list[str], prefixes: list[str] = (), runs: list[str] = (), forms=()
    ) -> None:
        keys = [fold(w) for w in words if w]
        marked = list(dict.fromkeys([*keys, *(fold(f) for f in forms if f)]))
        alternatives = [r"\b" + re.escape(k) + r"\b" for k in marked]
        alternatives += [r"\b" + re.escape(fold(p)) + r"\w*" for p in prefixes if p]
        alternatives += [re.escape(fold(r)) for r in runs if r]  # CJK: no word boundaries
        self.any_word = re.compile("|".join(alternatives), re.I) if alternatives else None
        self.phrase = None
        if len(keys) > 1:
            self.phrase = re.compile(r"\b" + r"\W+".join(map(re.escape, keys)) + r"\b", re.I)

    def _find(self, text: str) -> int:
        if self.any_word is None:
            return 0
        # The text as typed first (no copy); folded (accents) only when that finds nothing.
        found = (self.phrase and self.phrase.search(text)) or self.any_word.search(text)
        if found is None:
            folded = fold(text)
            found = (self.phrase and self.phrase.search(folded)) or self.any_word.search(folded)
        return found.start() if found else 0

    def cut(self, text: str) -> str:
        if not text:
            return ""
        at = self._find(text)
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
        if self.any_word is not None:
            for m in self.any_word.finditer(fold(text[start:stop])):
                pieces += [
                    text[last : start + m.start()],
                    HIGHLIGHT_START,
                    text[start + m.start() : start + m.end()],
                    HIGHLIGHT_END,
                ]
                last = start + m.end()
        pieces.append(text[last:stop].rstrip())
        head = ELLIPSIS if start else ""
        return head + "".join(pieces) + (ELLIPSIS if stop < len(text) else "")


def word_snippet(
    text: str, words: list[str], prefixes: list[str] = (), runs: list[str] = ()
) -> str:
    """A snippet of `text` for `words` (see Snippeter)."""
    return Snippeter(words, prefixes, runs).cut(text)


def substring_snippet(text: str, terms: tuple[str, ...], width: int = 40) -> str:
    """A window around the first of `terms` (text without word breaks, such as Chinese)."""
    at = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
    start, end = max(0, at - width), min(len(text), at + width)
    piece = text[start:end]
    for term in terms:
        piece = piece.replace(term, f"{HIGHLIGHT_START}{term}{HIGHLIGHT_END}")
    return (ELLIPSIS if start else "") + piece + (ELLIPSIS if end < len(text) else "")
