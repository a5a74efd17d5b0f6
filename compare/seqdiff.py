"""Token-sequence diff that stays fast on long inputs: sentences first, then words within them.

difflib's matcher gives the most readable alignment (longest common runs first) but is
quadratic, so it only sees small regions. A large region (a long paragraph, or a text whose
paragraph breaks were lost) is aligned by rapidfuzz's bit-parallel Levenshtein, which on two
24,000-token paragraphs takes ~40 ms where difflib with autojunk took seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from rapidfuzz.distance import Levenshtein

from compare.tokens import SENTENCE_END

__all__ = ["opcodes", "Opcode"]

Opcode = tuple[str, int, int, int, int]  # (tag, a_lo, a_hi, b_lo, b_hi), difflib's tags

# Beyond this many compared pairs difflib's exact matcher gets slow; split into sentences first.
_EXACT_LIMIT = 600_000
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
    if depth >= 1:
        return [
            (op.tag, op.src_start + alo, op.src_end + alo, op.dest_start + blo, op.dest_end + blo)
            for op in Levenshtein.opcodes(a[alo:ahi], b[blo:bhi])
        ]
    sa = _sentences(a, alo, ahi)
    sb = _sentences(b, blo, bhi)
    ka = [tuple(a[lo:hi]) for lo, hi in sa]
    kb = [tuple(b[lo:hi]) for lo, hi in sb]
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        a1 = sa[i1][0] if i1 < len(sa) else ahi
        a2 = sa[i2 - 1][1] if i2 > i1 else a1
        b1 = sb[j1][0] if j1 < len(sb) else bhi
        b2 = sb[j2 - 1][1] if j2 > j1 else b1
        if tag == "equal":
            out.append(("equal", a1, a2, b1, b2))
        else:
            out.extend(_diff(a, b, a1, a2, b1, b2, depth + 1))
    return out


def _sentences(keys: Sequence[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Split positions lo..hi after sentence-ending punctuation."""
    spans = []
    start = lo
    for i in range(lo, hi):
        if keys[i] in SENTENCE_END:
            spans.append((start, i + 1))
            start = i + 1
    if start < hi:
        spans.append((start, hi))
    return spans


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
