"""Two language editions of one statement, paragraphs aligned one to one.

Translated paragraphs share no words, so the aligner reads what survives translation:
- length: a paragraph and its translation are about as long as each other, up to the
  languages' overall ratio (measured on the two texts themselves; Gale & Church, 1993);
- anchors: numbers (dates, figures, 175 prisoners) and the people, bodies and places of
  `compare.entities`, which name Putin or Ukraine the same in Russian and English.
A dynamic programme over both paragraph sequences allows 1:1, a paragraph of one side alone
(what the other edition leaves out), and 2:1 / 1:2 (a paragraph the translator split or
joined). Rows keep both reading orders, like `compare.align`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from compare.align import Row
from compare.entities import extract, lexicon
from compare.tokens import paragraphs, tokenize

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SKIP = 0.8  # cost of leaving a paragraph unmatched, plus more the longer it is
_MERGE = 1.6  # extra cost of a 2:1 or 1:2 pairing
_ANCHOR = 0.9  # weight of shared numbers and names (Jaccard, 0..1)
_WORD_KEY = "word:"


@dataclass(frozen=True)
class _Para:
    start: int
    end: int
    length: int
    anchors: frozenset[str]


def _paras(text: str, language: str | None) -> list[_Para]:
    lex = lexicon()
    out = []
    for p in paragraphs(tokenize(text)):
        body = text[p.start : p.end]
        names = {
            k for k in extract(None, body, language, lex).weights if not k.startswith(_WORD_KEY)
        }
        numbers = {"#" + n.replace(",", ".") for n in _NUMBER.findall(body)}
        out.append(_Para(p.start, p.end, len(body), frozenset(names | numbers)))
    return out


def _pair_cost(left: list[_Para], right: list[_Para], ratio: float) -> tuple[float, float]:
    """(cost, similarity) of pairing these paragraphs (one or two on each side)."""
    ll = sum(p.length for p in left)
    rl = sum(p.length for p in right)
    length = abs(math.log((rl + 20) / (ratio * ll + 20)))
    la = frozenset().union(*(p.anchors for p in left))
    ra = frozenset().union(*(p.anchors for p in right))
    union = la | ra
    overlap = len(la & ra) / len(union) if union else 0.0
    if la and ra:
        missing = 0.0 if la & ra else 1.0  # both name things, but not the same
    else:
        missing = 0.5 if la or ra else 0.0  # one names things the other does not
    similarity = max(0.0, min(1.0, 0.5 * overlap + 0.5 * math.exp(-2 * length)))
    return 2.0 * length - _ANCHOR * overlap + missing, similarity


def align_editions(
    left: str, right: str, left_language: str | None = None, right_language: str | None = None
) -> list[Row]:
    """Rows pairing the paragraphs of two editions in different languages, in order."""
    lp, rp = _paras(left, left_language), _paras(right, right_language)
    if not lp or not rp:
        return [Row((p.start, p.end), None, 0.0) for p in lp] + [
            Row(None, (p.start, p.end), 0.0) for p in rp
        ]
    ratio = max(1, sum(p.length for p in rp)) / max(1, sum(p.length for p in lp))
    n, m = len(lp), len(rp)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    moves = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for di, dj in moves:
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                if di and dj:
                    step, sim = _pair_cost(lp[i:ni], rp[j:nj], ratio)
                    if di + dj == 3:
                        step += _MERGE
                else:
                    alone = lp[i] if di else rp[j]
                    step, sim = _SKIP + 0.5 * math.log(1 + alone.length / 40), 0.0
                if here + step < cost[ni][nj]:
                    cost[ni][nj] = here + step
                    back[ni][nj] = (i, j, sim)
    rows: list[Row] = []
    i, j = n, m
    while i or j:
        pi, pj, sim = back[i][j]  # type: ignore[misc]
        left_span = (lp[pi].start, lp[i - 1].end) if i > pi else None
        right_span = (rp[pj].start, rp[j - 1].end) if j > pj else None
        rows.append(Row(left_span, right_span, round(sim, 3)))
        i, j = pi, pj
    rows.reverse()
    return rows


def is_language_pair(left_language: str | None, right_language: str | None) -> bool:
    """Two statements in different (known) languages: align them as editions."""
    a = (left_language or "").split("-")[0].casefold()
    b = (right_language or "").split("-")[0].casefold()
    return bool(a and b and a != b)


def linked_editions(archive, archive_id: str) -> list[str]:
    """Archive ids of the other language editions of a statement, as the sources link them
    (`Archive.language_editions`: statements sharing an edition key); [] for an archive
    object without that link."""
    method = getattr(archive, "language_editions", None)
    if method is None:
        return []
    found = method(archive_id) or []
    return [e["id"] if isinstance(e, dict) else str(e) for e in found]
