""" "Changes only": which rows stay visible around changes, and how many are folded between."""

from __future__ import annotations

__all__ = ["visible_rows", "CONTEXT"]

CONTEXT = 3  # rows (paragraphs: the lines of a statement) kept around each change


def visible_rows(changed: list[bool], context: int = CONTEXT) -> list[int | tuple[str, int]]:
    """Row indices to show, with ("gap", n) where n unchanged rows are folded away."""
    keep = [False] * len(changed)
    for i, flag in enumerate(changed):
        if flag:
            for k in range(max(0, i - context), min(len(changed), i + context + 1)):
                keep[k] = True
    out: list[int | tuple[str, int]] = []
    hidden = 0
    for i, shown in enumerate(keep):
        if shown:
            if hidden:
                out.append(("gap", hidden))
                hidden = 0
            out.append(i)
        else:
            hidden += 1
    if hidden:
        out.append(("gap", hidden))
    return out
