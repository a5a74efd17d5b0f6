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


# The same folding as a map from lower-case letters to their base letter, only where the two
# differ: lower() (in C) does the rest, so a text is folded without a lookup per character.
_LOWER_FOLD = {
    chr(code).lower(): base
    for code, base in _FOLD.items()
    if base != chr(code) and len(chr(code).lower()) == 1 and base != chr(code).lower()
}
_LOWER_FOLD_RE = re.compile("[" + "".join(sorted(_LOWER_FOLD)) + "]")


def fold(text: str) -> str:
    """Accents and case folded, one character for one (else simply lower-cased)."""
    if "\u0130" in text:
        text = text.replace("\u0130", "i")  # İ lower-cases to two characters
    folded = text.lower()
    if len(folded) != len(text) or folded.isascii():
        return folded
    return _LOWER_FOLD_RE.sub(lambda m: _LOWER_FOLD[m.group()], folded)


_WORD_CHAR = re.compile(r"\w")
_NON_SPACE = re.compile(r"\S+")


def _starts_word(text: str, at: int) -> bool:
    """No word character just before `at` (`\\b` before a word)."""
    return at == 0 or _WORD_CHAR.match(text, at - 1) is None


def _ends_word(text: str, end: int) -> bool:
    """No word character at `end` (`\\b` after a word)."""
    return _WORD_CHAR.match(text, end) is None


def _find_needle(text: str, needle: str, whole: bool, left: bool, stop: int) -> int | None:
    """The first `needle` starting before `stop` in `text` that starts a word (`left`) and
    ends one (`whole`)."""
    bound = stop + len(needle) - 1
    at = text.find(needle, 0, bound)
    while at >= 0:
        end = at + len(needle)
        if (not left or _starts_word(text, at)) and (not whole or _ends_word(text, end)):
            return at
        at = text.find(needle, at + 1, bound)
    return None


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
        # Where the match is, found with str.find (needles: whole words, prefixes starting a
        # word, CJK runs anywhere) and a phrase pattern without a leading \b (which would cost
        # the regex engine its fast literal scan; the word start is checked instead).
        self.needles = [(k, True, True) for k in marked]
        self.needles += [(fold(p), False, True) for p in prefixes if p]
        self.needles += [(fold(r), False, False) for r in runs if r]
        self.phrase = None
        if len(keys) > 1:
            self.phrase = re.compile(r"\W+".join(map(re.escape, keys)) + r"\b")

    def _first(self, text: str) -> int | None:
        """Where the phrase starts in `text` (lower-cased or folded), else the first word."""
        if self.phrase is not None:
            found = self.phrase.search(text)
            while found is not None:
                if _starts_word(text, found.start()):
                    return found.start()
                found = self.phrase.search(text, found.start() + 1)
        best = None
        for needle, whole, left in self.needles:
            at = _find_needle(text, needle, whole, left, len(text) if best is None else best)
            if at is not None:
                best = at
        return best

    def _find(self, text: str) -> int:
        if self.any_word is None:
            return 0
        # The text lower-cased first; folded (accents) only when that finds nothing.
        lowered = text.lower()
        if len(lowered) == len(text):
            at = self._first(lowered)
            if at is None and not text.isascii():
                at = self._first(fold(text))
            return at or 0
        found = self.any_word.search(text)  # a rare letter whose lower case is longer
        return found.start() if found else 0

    def cut(self, text: str) -> str:
        if not text:
            return ""
        at = self._find(text)
        lo = max(0, at - _BEFORE * 20)  # usually enough for the words before; else look further
        before = [m.start() for m in _NON_SPACE.finditer(text, lo, at)]
        if len(before) <= _BEFORE and lo:
            lo = max(0, at - _WINDOW_CHARS)
            before = [m.start() for m in _NON_SPACE.finditer(text, lo, at)]
        words_after = _NON_SPACE.finditer(text, at, at + _WINDOW_CHARS)
        after = [m.start() for m in itertools.islice(words_after, _AFTER + 1)]
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
