"""Split exact text into tokens (words; single characters for Chinese/Japanese) and paragraphs."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from db.normalise import TOKEN_RE, token_key

__all__ = ["Tokens", "Paragraph", "tokenize", "paragraphs", "SENTENCE_END"]

_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_RE = re.compile(r"\n\s*")

SENTENCE_END = frozenset({".", "!", "?", "\u3002", "\uff01", "\uff1f", "\uff1b", ";", ":"})


@dataclass(frozen=True)
class Tokens:
    """Tokens of one exact text: parallel lists of offsets, comparison keys and word flags."""

    text: str
    starts: list[int]
    ends: list[int]
    keys: list[str]  # db.normalise.token_key: what the version diff (and the archive) compares
    is_word: list[bool]  # False for punctuation and symbols

    def __len__(self) -> int:
        return len(self.keys)

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """Character span from the start of token `lo` to the end of token `hi - 1`."""
        return self.starts[lo], self.ends[hi - 1]

    def words(self, lo: int, hi: int) -> int:
        """Number of words (CJK characters count one each) among tokens lo..hi."""
        return sum(self.is_word[lo:hi])


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: character span in the exact text and its token range."""

    start: int
    end: int
    lo: int
    hi: int


def tokenize(text: str) -> Tokens:
    """Tokens of `text` by the archive's rule (db.normalise.TOKEN_RE): whitespace only separates
    tokens, invisible marks inside a word belong to it and vanish from its key."""
    matches = list(TOKEN_RE.finditer(text))
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    keys = [m.group() for m in matches]
    if not (text.isascii() and "`" not in text):
        keys = [token_key(k) for k in keys]
    is_word = [m.lastgroup != "mark" for m in matches]
    return Tokens(text, starts, ends, keys, is_word)


def paragraphs(tokens: Tokens) -> list[Paragraph]:
    """Paragraphs with at least one token; blank lines separate them (single newlines if none)."""
    text = tokens.text
    splitter = _BLANK_LINE_RE if _BLANK_LINE_RE.search(text) else _LINE_RE
    result: list[Paragraph] = []
    pos = 0
    bounds = [(m.start(), m.end()) for m in splitter.finditer(text)] + [(len(text), len(text))]
    for sep_start, sep_end in bounds:
        lo = bisect_left(tokens.starts, pos)
        hi = bisect_left(tokens.starts, sep_start)
        if hi > lo:
            result.append(Paragraph(tokens.starts[lo], tokens.ends[hi - 1], lo, hi))
        pos = sep_end
    return result
