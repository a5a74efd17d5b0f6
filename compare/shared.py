"""Passages two statements share: word shingles on normalised text (no case, no punctuation)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from compare.normalise import is_cjk
from compare.tokens import Tokens, tokenize

__all__ = ["Passage", "shared_passages", "MIN_WORDS"]

MIN_WORDS = 8  # shortest shared run of words reported (Chinese/Japanese: twice as many characters)
_MAX_OCCURRENCES = 32  # a shingle repeated more often than this is boilerplate, not a quote


@dataclass(frozen=True)
class Passage:
    """A run of words found in both texts; offsets index the exact texts, `text` is the left's."""

    left_start: int
    left_end: int
    right_start: int
    right_end: int
    text: str
    words: int


def shared_passages(
    left: str | Tokens, right: str | Tokens, min_words: int = MIN_WORDS
) -> list[Passage]:
    """Maximal shared word runs of at least `min_words` words, longest kept first, in left order."""
    lt = left if isinstance(left, Tokens) else tokenize(left)
    rt = right if isinstance(right, Tokens) else tokenize(right)
    if is_cjk(lt.text) or is_cjk(rt.text):
        min_words *= 2
    lpos, lkeys = _words(lt)
    rpos, rkeys = _words(rt)
    k = min_words
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(lkeys) - k + 1):
        index[tuple(lkeys[j : j + k])].append(j)
    runs: list[list[int]] = []  # [right_first, left_first, shingle_count]
    open_runs: dict[int, list[int]] = {}  # diagonal (left - right) -> run still growing
    for i in range(len(rkeys) - k + 1):
        hits = index.get(tuple(rkeys[i : i + k]))
        if not hits or len(hits) > _MAX_OCCURRENCES:
            continue
        for j in hits:
            run = open_runs.get(j - i)
            if run is not None and run[0] + run[2] == i:
                run[2] += 1
            else:
                run = [i, j, 1]
                open_runs[j - i] = run
                runs.append(run)
    runs.sort(key=lambda r: -r[2])
    taken_left: list[tuple[int, int]] = []
    taken_right: list[tuple[int, int]] = []
    passages: list[Passage] = []
    for ri, lj, count in runs:
        n = count + k - 1
        lspan, rspan = (lj, lj + n), (ri, ri + n)
        if _overlaps(lspan, taken_left) or _overlaps(rspan, taken_right):
            continue
        taken_left.append(lspan)
        taken_right.append(rspan)
        ls, le = lt.starts[lpos[lj]], lt.ends[lpos[lj + n - 1]]
        rs, re_ = rt.starts[rpos[ri]], rt.ends[rpos[ri + n - 1]]
        passages.append(Passage(ls, le, rs, re_, lt.text[ls:le], n))
    passages.sort(key=lambda p: p.left_start)
    return passages


def _words(tokens: Tokens) -> tuple[list[int], list[str]]:
    """Positions and case-folded keys of the word tokens (punctuation dropped)."""
    positions = [i for i, w in enumerate(tokens.is_word) if w]
    return positions, [tokens.keys[i].casefold() for i in positions]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < hi and lo < span[1] for lo, hi in taken)
