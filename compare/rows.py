"""Side-by-side rows for a version diff: corresponding paragraphs share a row."""

from __future__ import annotations

from bisect import bisect_right

from compare.align import Row
from compare.diff import Diff
from compare.tokens import Paragraph, paragraphs

__all__ = ["diff_rows"]


def diff_rows(diff: Diff) -> list[Row]:
    """Rows cutting both texts at paragraph starts that correspond through the diff."""
    lt, rt = diff.left_tokens, diff.right_tokens
    lp, rp = paragraphs(lt), paragraphs(rt)
    if not lp or not rp:
        return [_row(diff.left, 0, len(diff.left), diff.right, 0, len(diff.right))]
    moved_left = {m[0] for m in diff.moves}
    moved_right = {m[2] for m in diff.moves}
    inside = [(m[0], m[1]) for m in diff.moves]
    forward = [
        op
        for op in diff.token_ops
        if op[0] != "move"
        and not any(lo <= op[1] and op[2] <= hi and op[2] > lo for lo, hi in inside)
        and not any(m[2] <= op[3] and op[4] <= m[3] and op[4] > m[2] for m in diff.moves)
    ]
    lstarts, rstarts = [op[1] for op in forward], [op[3] for op in forward]
    cuts: list[tuple[int, int]] = []
    for p in lp:
        if p.lo not in moved_left:
            cuts.append((p.lo, _map(forward, lstarts, p.lo, side=0)))
    for p in rp:
        if p.lo not in moved_right:
            cuts.append((_map(forward, rstarts, p.lo, side=1), p.lo))
    lpara, rpara = [p.lo for p in lp], [p.lo for p in rp]
    cuts = [(_para_index(lpara, lp[-1].hi, a), _para_index(rpara, rp[-1].hi, b)) for a, b in cuts]
    cuts.sort()
    kept: list[tuple[int, int]] = [(0, 0)]
    for a, b in cuts:
        if a >= kept[-1][0] and b >= kept[-1][1] and (a, b) != kept[-1]:
            kept.append((a, b))
    kept.append((len(lp), len(rp)))
    rows = []
    for (a1, b1), (a2, b2) in zip(kept, kept[1:], strict=False):
        if (a1, b1) == (a2, b2):
            continue
        rows.append(Row(_span(lp, a1, a2), _span(rp, b1, b2), 1.0 if a2 > a1 and b2 > b1 else 0.0))
    return rows


def _map(ops, starts: list[int], token: int, side: int) -> int:
    """The token position on the other side corresponding to `token` on `side` (0 left, 1 right)."""
    lo_i, hi_i = (1, 2) if side == 0 else (3, 4)
    olo_i = 3 if side == 0 else 1
    k = max(bisect_right(starts, token) - 1, 0)
    # Skip empty ranges sitting at the same position: the op that holds the token comes last.
    while k + 1 < len(ops) and ops[k + 1][lo_i] <= token:
        k += 1
    op = ops[k]
    if op[0] == "equal" and op[lo_i] <= token < op[hi_i]:
        return op[olo_i] + (token - op[lo_i])
    return op[olo_i]


def _para_index(starts: list[int], end: int, token: int) -> int:
    """Index of the paragraph holding `token` (the paragraph count past the last one)."""
    return max(bisect_right(starts, token) - 1, 0) if token < end else len(starts)


def _span(paras: list[Paragraph], i: int, j: int) -> tuple[int, int] | None:
    return (paras[i].start, paras[j - 1].end) if j > i else None


def _row(left: str, ls: int, le: int, right: str, rs: int, re_: int) -> Row:
    return Row((ls, le) if left.strip() else None, (rs, re_) if right.strip() else None, 0.0)
