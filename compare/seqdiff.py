"""Token-sequence diff that stays near-linear on long inputs, whatever their shape.

difflib's matcher gives the most readable alignment (longest common runs first) but is
quadratic, so it only sees small regions. A large region (a long paragraph, or a text whose
paragraph breaks were lost) is first cut by a patience step: tokens found exactly once on each
side, in the same order, are matched and the gaps between them diffed on their own (most gaps
are then small). What has no such anchors is aligned by rapidfuzz's bit-parallel Levenshtein
(two 24,000-token paragraphs: ~40 ms; difflib with autojunk took seconds). A sentence-level
difflib pass used before was itself quadratic on repeated short sentences ("Thank you.").
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from rapidfuzz.distance import Levenshtein

__all__ = ["opcodes", "Opcode"]

Opcode = tuple[str, int, int, int, int]  # (tag, a_lo, a_hi, b_lo, b_hi), difflib's tags

# Beyond this many compared pairs difflib's exact matcher gets slow: anchor, or use Levenshtein.
_EXACT_LIMIT = 600_000
# Beyond this depth of anchoring, what is left is aligned by Levenshtein directly.
_MAX_ANCHOR_DEPTH = 6
# An equal run this short between two edits reads better as part of one replacement.
_SMALL_EQUAL = 2


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """Opcodes turning `a` into `b`: equal/insert/delete/replace over positions of the two lists."""
    raw = _diff(a, b, 0, len(a), 0, len(b), depth=0)
    return _cleanup(raw)


def _diff(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, depth: int
) -> list[Opcode]:
    out: list[Opcode] = []
    # Common prefix and suffix are cheap and cover most real edits.
    p = 0
    limit = min(ahi - alo, bhi - blo)
    while p < limit and a[alo + p] == b[blo + p]:
        p += 1
    s = 0
    while s < limit - p and a[ahi - 1 - s] == b[bhi - 1 - s]:
        s += 1
    if p:
        out.append(("equal", alo, alo + p, blo, blo + p))
    calo, cahi, cblo, cbhi = alo + p, ahi - s, blo + p, bhi - s
    if cahi > calo or cbhi > cblo:
        out.extend(_core(a, b, calo, cahi, cblo, cbhi, depth))
    if s:
        out.append(("equal", ahi - s, ahi, bhi - s, bhi))
    return out


def _core(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, depth: int
) -> list[Opcode]:
    if ahi == alo:
        return [("insert", alo, alo, blo, bhi)]
    if bhi == blo:
        return [("delete", alo, ahi, blo, blo)]
    size = (ahi - alo) * (bhi - blo)
    if size <= _EXACT_LIMIT:
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        return [
            (tag, i1 + alo, i2 + alo, j1 + blo, j2 + blo)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    anchored = _anchored(a, b, alo, ahi, blo, bhi, depth) if depth < _MAX_ANCHOR_DEPTH else None
    if anchored is not None:
        return anchored
    return [
        (op.tag, op.src_start + alo, op.src_end + alo, op.dest_start + blo, op.dest_end + blo)
        for op in Levenshtein.opcodes(a[alo:ahi], b[blo:bhi])
    ]


def _anchored(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, depth: int
) -> list[Opcode] | None:
    """Patience diff step: tokens that occur exactly once on each side, in the same order on
    both (longest increasing run), are matched; the gaps between them are diffed on their own.
    Linear-ish on long similar regions; None when there is nothing to anchor on."""
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in where_b]
    anchors = _increasing(pairs)
    if not anchors:
        return None
    out: list[Opcode] = []
    i0, j0 = alo, blo
    for i, j in anchors:
        if i > i0 or j > j0:
            out.extend(_diff(a, b, i0, i, j0, j, depth + 1))
        out.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    if ahi > i0 or bhi > j0:
        out.extend(_diff(a, b, i0, ahi, j0, bhi, depth + 1))
    return out


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (sorted by their first item) whose second items increase."""
    tails: list[int] = []  # tails[k]: index in pairs of the smallest end of a run of length k+1
    tail_values: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tail_values, j)
        if k:
            back[n] = tails[k - 1]
        if k == len(tails):
            tails.append(n)
            tail_values.append(j)
        else:
            tails[k] = n
            tail_values[k] = j
    run: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _cleanup(ops: list[Opcode]) -> list[Opcode]:
    """Merge neighbours of one kind, and fold tiny equal runs between edits into one replacement."""
    merged: list[Opcode] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged:
            prev = merged[-1]
            prev_eq, cur_eq = prev[0] == "equal", op[0] == "equal"
            if prev_eq == cur_eq:
                merged[-1] = (prev[0] if cur_eq else "replace", prev[1], op[2], prev[3], op[4])
                continue
        merged.append(op)
    out: list[Opcode] = []
    for op in merged:
        out.append(op)
        if len(out) >= 3 and out[-2][0] == "equal" and out[-1][0] != "equal":
            before, (_, a1, a2, _, _), after = out[-3], out[-2], out[-1]
            if a2 - a1 <= _SMALL_EQUAL and min(_edit_size(before), _edit_size(after)) >= a2 - a1:
                out[-3:] = [("replace", before[1], after[2], before[3], after[4])]
    return [_retag(op) for op in out]


def _edit_size(op: Opcode) -> int:
    return max(op[2] - op[1], op[4] - op[3])


def _retag(op: Opcode) -> Opcode:
    tag, a1, a2, b1, b2 = op
    if tag == "equal":
        return op
    if a1 == a2:
        return ("insert", a1, a2, b1, b2)
    if b1 == b2:
        return ("delete", a1, a2, b1, b2)
    return ("replace", a1, a2, b1, b2)
