"""Highlights for one side of a comparison, and HTML for a stretch of exact text with them."""

from __future__ import annotations

import html
from bisect import bisect_left
from dataclasses import dataclass

from compare.comparison import Comparison

__all__ = ["Mark", "side_marks", "render_html", "STYLES", "changed_rows"]

# Inline styles: QTextBrowser and any browser render them alike, and exports stay self-contained.
STYLES = {
    "delete": "background-color:#fbd3d3; color:#8a1111; text-decoration:line-through;",
    "insert": "background-color:#cdf0d2; color:#0b5a1c;",
    "replace": "background-color:#fde9b8; color:#5c3d00;",
    "move": "background-color:#dcd6f7; color:#2f1f80;",
    "shared": "background-color:#cfe6fb; color:#0a3c66; text-decoration:underline;",
    "point": "color:#0b5a1c; font-weight:bold;",
}
_TITLES = {
    "delete": "deleted",
    "insert": "inserted",
    "replace": "replaced",
    "move": "moved",
    "shared": "shared passage",
}


@dataclass(frozen=True)
class Mark:
    """A highlighted span of one side's exact text; `index` numbers changes or shared passages."""

    start: int
    end: int
    kind: str  # delete | insert | replace | move | shared | point (an insertion on the other side)
    index: int


def side_marks(
    c: Comparison, side: str, *, changes: bool = True, shared: bool = True
) -> list[Mark]:
    """Marks for `side` ("left" or "right"), sorted by start."""
    marks: list[Mark] = []
    if changes:
        n = 0
        for op in c.diff.ops:
            if op.op == "equal":
                continue
            start, end = (
                (op.left_start, op.left_end) if side == "left" else (op.right_start, op.right_end)
            )
            kind = op.op
            if start == end:
                kind = "point"
            marks.append(Mark(start, end, kind, n))
            n += 1
    if shared:
        for n, p in enumerate(c.shared):
            start, end = (
                (p.left_start, p.left_end) if side == "left" else (p.right_start, p.right_end)
            )
            marks.append(Mark(start, end, "shared", n))
    marks.sort(key=lambda m: (m.start, m.end))
    return marks


def changed_rows(rows, marks_left: list[Mark], marks_right: list[Mark]) -> list[bool]:
    """For each row, whether a mark touches its left or right span."""

    def touched(span, marks: list[Mark], starts: list[int]) -> bool:
        if span is None:
            return False
        k = bisect_left(starts, span[0])
        if k > 0 and marks[k - 1].end > span[0]:
            return True
        return k < len(marks) and marks[k].start <= span[1]

    ls, rs = [m.start for m in marks_left], [m.start for m in marks_right]
    return [touched(r.left, marks_left, ls) or touched(r.right, marks_right, rs) for r in rows]


def render_html(
    text: str,
    start: int,
    end: int,
    marks: list[Mark],
    anchor_prefix: str = "",
    starts: list[int] | None = None,
) -> str:
    """Escaped HTML of text[start:end] with marks as styled spans; anchors `<prefix><kind><n>`.

    `starts` (the marks' start offsets) lets long texts skip straight to the marks in range.
    """
    out: list[str] = []
    pos = start
    first = 0
    if starts is not None:
        first = max(bisect_left(starts, start) - 1, 0)
        while first > 0 and marks[first - 1].end > start:
            first -= 1
    for m in marks[first:]:
        if m.start > end:
            break
        if m.end < start or (m.start == m.end == end and end != len(text)):
            continue
        s, e = max(m.start, start, pos), min(m.end, end)
        if s > pos:
            out.append(html.escape(text[pos:s]))
        name = f"{anchor_prefix}{'change' if m.kind != 'shared' else 'shared'}{m.index}"
        if m.kind == "point":
            out.append(
                f'<a name="{name}"></a><span style="{STYLES["point"]}" '
                f'title="text inserted on the other side">‸</span>'
            )
        elif e > s:
            out.append(
                f'<a name="{name}"></a><span style="{STYLES[m.kind]}" '
                f'title="{_TITLES[m.kind]}">{html.escape(text[s:e])}</span>'
            )
        pos = max(pos, e)
    if pos < end:
        out.append(html.escape(text[pos:end]))
    return "".join(out)
