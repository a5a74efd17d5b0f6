"""Paragraph alignment of two different statements by similarity, keeping both reading orders."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from compare.tokens import Paragraph, Tokens, paragraphs, tokenize

__all__ = ["Row", "align_paragraphs", "MIN_SIMILARITY"]

MIN_SIMILARITY = 0.2  # weighted word overlap below which two paragraphs are not matched


@dataclass(frozen=True)
class Row:
    """One row of the side-by-side reading: a left and/or a right paragraph (character spans)."""

    left: tuple[int, int] | None
    right: tuple[int, int] | None
    similarity: float  # 0.0 for a paragraph without a counterpart


def align_paragraphs(
    left: str | Tokens, right: str | Tokens, min_similarity: float = MIN_SIMILARITY
) -> list[Row]:
    """Rows pairing similar paragraphs in order; unmatched paragraphs get rows of their own."""
    lt = left if isinstance(left, Tokens) else tokenize(left)
    rt = right if isinstance(right, Tokens) else tokenize(right)
    lp, rp = paragraphs(lt), paragraphs(rt)
    lbags = [_bag(lt, p) for p in lp]
    rbags = [_bag(rt, p) for p in rp]
    weight = _idf(lbags + rbags)
    candidates = _similar_pairs(lbags, rbags, weight, min_similarity)
    matched = _best_chain(candidates, len(rp))
    rows: list[Row] = []
    i = j = 0
    for mi, mj, sim in matched + [(len(lp), len(rp), 0.0)]:
        rows.extend(Row((lp[x].start, lp[x].end), None, 0.0) for x in range(i, mi))
        rows.extend(Row(None, (rp[y].start, rp[y].end), 0.0) for y in range(j, mj))
        if mi < len(lp):
            rows.append(Row((lp[mi].start, lp[mi].end), (rp[mj].start, rp[mj].end), sim))
        i, j = mi + 1, mj + 1
    return rows


def _bag(tokens: Tokens, p: Paragraph) -> set[str]:
    return {tokens.keys[t].casefold() for t in range(p.lo, p.hi) if tokens.is_word[t]}


def _idf(bags: list[set[str]]) -> dict[str, float]:
    df = Counter(w for bag in bags for w in bag)
    n = len(bags) or 1
    return {w: math.log(1 + n / c) for w, c in df.items()}


def _similar_pairs(
    lbags: list[set[str]], rbags: list[set[str]], weight: dict[str, float], min_similarity: float
) -> list[tuple[int, int, float]]:
    """(i, j, weighted Dice similarity) for every pair sharing enough words."""
    postings: dict[str, list[int]] = defaultdict(list)
    for j, bag in enumerate(rbags):
        for w in bag:
            postings[w].append(j)
    rmass = [sum(weight[w] for w in bag) for bag in rbags]
    pairs = []
    for i, bag in enumerate(lbags):
        lmass = sum(weight[w] for w in bag)
        shared: dict[int, float] = defaultdict(float)
        for w in bag:
            for j in postings.get(w, ()):
                shared[j] += weight[w]
        for j, mass in shared.items():
            sim = 2 * mass / (lmass + rmass[j])
            if sim >= min_similarity:
                pairs.append((i, j, sim))
    return pairs


def _best_chain(pairs: list[tuple[int, int, float]], m: int) -> list[tuple[int, int, float]]:
    """The increasing chain of pairs (both indices rising) with the largest total similarity."""
    if not pairs:
        return []
    # Fenwick tree over right indices holding (best total, pair index) for prefix maxima.
    tree: list[tuple[float, int]] = [(0.0, -1)] * (m + 1)
    best_before: list[int] = [-1] * len(pairs)
    totals: list[float] = [0.0] * len(pairs)
    order = sorted(range(len(pairs)), key=lambda k: (pairs[k][0], -pairs[k][1]))
    for k in order:
        i, j, sim = pairs[k]
        total, prev = 0.0, -1
        x = j  # prefix of right indices < j
        while x > 0:
            if tree[x][0] > total:
                total, prev = tree[x]
            x -= x & -x
        totals[k], best_before[k] = total + sim, prev
        x = j + 1
        while x <= m:
            if totals[k] > tree[x][0]:
                tree[x] = (totals[k], k)
            x += x & -x
    k = max(range(len(pairs)), key=lambda n: totals[n])
    chain = []
    while k != -1:
        chain.append(pairs[k])
        k = best_before[k]
    return chain[::-1]
