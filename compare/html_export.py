"""One self-contained side-by-side HTML page: no external resources, no script."""

from __future__ import annotations

import html

from compare.comparison import Comparison, Side
from compare.context import visible_rows
from compare.marks import STYLES, Mark, changed_rows, render_html, side_marks
from db.cite import Evidence, citation_line, published_label
from db.scripts import is_rtl as is_rtl_language

__all__ = ["comparison_html", "panes_html", "citation", "summary_line", "pane_marks", "is_rtl"]


_CSS = """
body { font-family: Georgia, 'Noto Serif', serif; margin: 1.5em; color: #1d1d1d; }
h1 { font-size: 1.25em; margin: 0 0 .4em; }
.cite { font-size: .85em; color: #333; margin: .2em 0; }
.summary { margin: .8em 0; font-weight: bold; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td { vertical-align: top; padding: .35em .7em; border-top: 1px solid #e3e3e3;
     white-space: pre-wrap; line-height: 1.5; overflow-wrap: anywhere; }
td.gap { text-align: center; color: #777; font-style: italic; background: #f6f6f6; }
th { text-align: left; font-size: .85em; padding: .35em .7em; background: #f0f0f0; }
.legend span { padding: 0 .3em; margin-right: .6em; }
"""


def is_rtl(side: Side) -> bool:
    """True for statements in a right-to-left language (Persian, Arabic, Hebrew, Urdu…)."""
    return is_rtl_language(side.language)


def citation(side: Side) -> str:
    """One line naming a side so a quote from it can be cited (db.cite's one citation shape)."""
    known = side.id is not None or side.first_seen or side.captured_at
    return citation_line(
        title=side.title or "(untitled)",
        publisher=side.source_name or side.source,
        published=published_label(side.published) if side.published else None,
        url=side.url,
        ref=side.ref if side.id else None,
        version=(
            f"version {side.version}" + (f" of {side.version_count}" if side.version_count else "")
            if side.id
            else None
        ),
        extra=f"The source says updated {side.declared_modified}"
        if side.declared_modified
        else None,
        evidence=Evidence(side.captured_at, side.origin, side.first_seen) if known else None,
    )


def summary_line(c: Comparison) -> str:
    """The edit summary as one sentence, as the viewer shows it."""
    s = c.summary
    if c.mode == "statements":
        return (
            f"{_count(s['shared_passages'], 'shared passage')} ({s['shared_words']} words)"
            f" · {_count(s['aligned_paragraphs'], 'aligned paragraph')}"
        )
    if s["identical"]:
        return "No change in the text (differences in spacing or quote marks are ignored)"
    marks = s["punctuation_changed"]
    if not (s["words_added"] or s["words_removed"] or s["words_changed"]):
        text = (
            f"Only {s['words_moved']} words moved"
            if s["words_moved"]
            else f"Punctuation only: {_count(marks, 'mark')} changed"
        )
    else:
        text = (
            f"{s['words_added']} words added · {s['words_removed']} removed · "
            f"{s['words_changed']} changed"
        )
        if marks:
            text += f" · {_count(marks, 'punctuation mark')}"
        if s["words_moved"]:
            text += f" · {s['words_moved']} moved"
        share = s["changed_share"]
        text += (
            f" · {share:.1%} of the text changed"
            if share >= 0.001
            else " · under 0.1% of the text changed"
        )
    if s.get("edit") == "declared":
        text += " · the source declared this update"
    elif s.get("edit") == "silent":
        text += " · silent edit (the source declared no update)"
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def pane_marks(comparisons: list[Comparison], pane: int) -> list[Mark]:
    """Marks for pane `pane` of a chain of comparisons (pane i against pane i-1; the first
    against the second); statements show shared passages, versions their changes."""
    if pane == 0:
        c, side = comparisons[0], "left"
    else:
        c, side = comparisons[pane - 1], "right"
    versions = c.mode == "versions"
    return side_marks(c, side, changes=versions, shared=not versions)


def comparison_html(c: Comparison, *, changes_only: bool = False) -> str:
    """Two columns, paragraphs aligned row by row; `changes_only` folds rows far from a change."""
    left_marks, right_marks = pane_marks([c], 0), pane_marks([c], 1)
    left_starts, right_starts = [m.start for m in left_marks], [m.start for m in right_marks]
    rows = c.rows
    cells: list[list[str] | int] = []
    order = (
        visible_rows(changed_rows(rows, left_marks, right_marks))
        if changes_only
        else list(range(len(rows)))
    )
    for item in order:
        if isinstance(item, tuple):
            cells.append(item[1])
            continue
        row = rows[item]
        cells.append(
            [
                render_html(c.left.text, *row.left, left_marks, "", left_starts)
                if row.left
                else "",
                render_html(c.right.text, *row.right, right_marks, "", right_starts)
                if row.right
                else "",
            ]
        )
    return _page([c.left, c.right], [summary_line(c)], cells)


def panes_html(comparisons: list[Comparison]) -> str:
    """Three or four panes (a chain of comparisons) as whole columns side by side."""
    sides = [comparisons[0].left] + [c.right for c in comparisons]
    cells = [
        [
            render_html(s.text, 0, len(s.text), pane_marks(comparisons, i))
            for i, s in enumerate(sides)
        ]
    ]
    lines = [
        f"{a.ref} → {c.right.ref}: {summary_line(c)}"
        for a, c in zip(sides, comparisons, strict=False)
    ]
    return _page(sides, lines, cells)


def _page(sides: list[Side], summary: list[str], cells: list[list[str] | int]) -> str:
    width = len(sides)
    title = " ⇄ ".join(html.escape(s.title or s.ref) for s in sides)
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>Compare: {title}</title><style>{_CSS}</style></head><body>",
        f"<h1>Compare: {title}</h1>",
    ]
    for n, side in enumerate(sides):
        out.append(f'<p class="cite"><b>{_label(n, width)}:</b> {html.escape(citation(side))}</p>')
    for line in summary:
        out.append(f'<p class="summary">{html.escape(line)}</p>')
    legend = " ".join(
        f'<span style="{STYLES[k]}">{k}</span>'
        for k in ("insert", "delete", "replace", "move", "shared")
    )
    out.append(f'<p class="legend">{legend}</p>')
    out.append(
        "<table><tr>"
        + "".join(
            f"<th>{_label(n, width)} · {html.escape(s.ref)}</th>" for n, s in enumerate(sides)
        )
        + "</tr>"
    )
    for row in cells:
        if isinstance(row, int):
            out.append(
                f'<tr><td class="gap" colspan="{width}">⋯ {row} unchanged '
                f"paragraph{'s' if row != 1 else ''} ⋯</td></tr>"
            )
        else:
            out.append(
                "<tr>"
                + "".join(
                    f'<td dir="{"rtl" if is_rtl(side) else "auto"}">{cell}</td>'
                    for side, cell in zip(sides, row, strict=True)
                )
                + "</tr>"
            )
    out.append("</table></body></html>")
    return "\n".join(out)


def _label(n: int, width: int) -> str:
    return ("Left", "Right")[n] if width == 2 else f"Pane {n + 1}"
