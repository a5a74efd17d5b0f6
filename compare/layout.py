"""What the Compare window's panes show, computed off the GUI thread (plain Python, no Qt)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from compare import Comparison, Side, compare_sides, visible_rows
from compare.html_export import comparison_html, is_rtl, pane_marks, panes_html
from compare.load import load_sides
from compare.marks import Mark, changed_rows, render_html
from compare.tokens import paragraphs, tokenize
from db import Archive, cite


@dataclass(frozen=True)
class VersionChoice:
    seq: int
    label: str  # "v2 · 2021-06-12 22:04 UTC · declared update"


@dataclass(frozen=True)
class Loaded:
    """Sides as loaded from the archive, the comparisons between neighbours, version menus."""

    refs: list[str]
    sides: list[Side]
    comparisons: list[Comparison]
    versions: list[list[VersionChoice]]


@dataclass(frozen=True)
class Target:
    """A place to jump to (a change or a shared passage): anchor name and span per pane."""

    label: str
    anchors: list[str | None]
    spans: list[tuple[int, int] | None]  # lengths of the highlighted text per pane


@dataclass
class Layout:
    """The panes' HTML, one block per item; `items[p][b]` is the text span block b shows."""

    html: list[str]
    items: list[list[tuple[int, int] | None]]
    row_synced: bool  # two panes: block b on the left corresponds to block b on the right
    targets: list[Target] = field(default_factory=list)


def load(archive_path: Path, refs: list[str], mode: str | None = None) -> Loaded:
    """Load `refs` (ID or ID@N) with a connection of this thread's own, then compare them."""
    with Archive.open(archive_path, readonly=True) as archive:
        sides = load_sides(archive, refs)
        versions = []
        for side in sides:
            statement = archive.get_statement(side.id) if side.id else None
            versions.append(
                [
                    VersionChoice(v.seq, _version_label(v))
                    for v in (statement.versions if statement else ())
                ]
            )
    comparisons = [compare_sides(a, b, mode=mode) for a, b in pairwise(sides)]
    return Loaded(refs, sides, comparisons, versions)


def _version_label(version) -> str:
    label = f"v{version.seq} · {cite.evidence(version).short()}"
    if version.declared_modified:
        label += f" · updated {version.declared_modified[:16].replace('T', ' ')}"
    return label


def layout(loaded: Loaded, changes_only: bool = False) -> Layout:
    """HTML per pane: rows side by side for two panes, whole texts for three or four."""
    if len(loaded.sides) == 2:
        return _two_panes(loaded.comparisons[0], changes_only)
    return _many_panes(loaded)


def _two_panes(c: Comparison, changes_only: bool) -> Layout:
    marks = [pane_marks([c], 0), pane_marks([c], 1)]
    texts = [c.left.text, c.right.text]
    starts = [[m.start for m in pane] for pane in marks]
    changed = changed_rows(c.rows, marks[0], marks[1])
    order = visible_rows(changed) if changes_only else list(range(len(c.rows)))
    blocks: list[list[str]] = [[], []]
    items: list[list[tuple[int, int] | None]] = [[], []]
    for item in order:
        for p in range(2):
            if isinstance(item, tuple):
                blocks[p].append(_gap(item[1]))
                items[p].append(None)
                continue
            span = c.rows[item].left if p == 0 else c.rows[item].right
            items[p].append(span)
            blocks[p].append(
                _block(render_html(texts[p], *span, marks[p], f"p{p}", starts[p]) if span else "")
            )
    sides = [c.left, c.right]
    return Layout(
        [_document(b, s) for b, s in zip(blocks, sides, strict=True)],
        items,
        True,
        _targets(c, marks),
    )


def _many_panes(loaded: Loaded) -> Layout:
    docs, items = [], []
    for p, side in enumerate(loaded.sides):
        marks = pane_marks(loaded.comparisons, p)
        starts = [m.start for m in marks]
        paras = paragraphs(tokenize(side.text))
        spans = [(q.start, q.end) for q in paras] or [(0, len(side.text))]
        items.append(spans)
        docs.append(
            _document(
                [_block(render_html(side.text, s, e, marks, f"p{p}", starts)) for s, e in spans],
                side,
            )
        )
    targets = []
    for n, c in enumerate(loaded.comparisons):
        for t in _targets(
            c, [pane_marks(loaded.comparisons, n), pane_marks(loaded.comparisons, n + 1)]
        ):
            anchors: list[str | None] = [None] * len(loaded.sides)
            spans: list[tuple[int, int] | None] = [None] * len(loaded.sides)
            if n == 0:  # later panes are highlighted against the pane before them only
                anchors[0], spans[0] = t.anchors[0], t.spans[0]
            anchors[n + 1] = t.anchors[1] and t.anchors[1].replace("p1", f"p{n + 1}", 1)
            spans[n + 1] = t.spans[1]
            targets.append(
                Target(f"{loaded.sides[n].ref} → {c.right.ref}: {t.label}", anchors, spans)
            )
    return Layout(docs, items, False, targets)


def _targets(c: Comparison, marks: list[list[Mark]]) -> list[Target]:
    """Changes (versions) or shared passages (statements), in reading order of the right pane."""
    kind = "shared" if c.mode == "statements" else "change"
    by_index: list[dict[int, Mark]] = [
        {m.index: m for m in pane if (m.kind == "shared") == (kind == "shared")} for pane in marks
    ]
    targets = []
    for index in sorted(set(by_index[0]) | set(by_index[1])):
        left, right = by_index[0].get(index), by_index[1].get(index)
        spans = [(m.start, m.end) if m else None for m in (left, right)]
        anchors = [f"p{p}{kind}{index}" if m else None for p, m in enumerate((left, right))]
        targets.append(Target(_target_label(c, kind, index), anchors, spans))
    return targets


def _target_label(c: Comparison, kind: str, index: int) -> str:
    if kind == "shared":
        p = c.shared[index]
        text = " ".join(p.text.split())
        return f"“{text[:90]}{'…' if len(text) > 90 else ''}” ({p.words} words)"
    ops = [o for o in c.diff.ops if o.op != "equal"]
    o = ops[index]
    before = " ".join(c.left.text[o.left_start : o.left_end].split())[:60]
    after = " ".join(c.right.text[o.right_start : o.right_end].split())[:60]
    return {"insert": f"+ {after}", "delete": f"− {before}", "move": f"moved: {before}"}.get(
        o.op, f"{before} → {after}"
    )


def _block(inner: str) -> str:
    return "<p>" + (inner.replace("\n", "<br>") or "&nbsp;") + "</p>"


def _gap(count: int) -> str:
    return (
        f'<p align="center" style="color:#777; font-style:italic; background-color:#f3f3f3;">'
        f"⋯ {count} unchanged paragraph{'s' if count != 1 else ''} ⋯</p>"
    )


def _document(blocks: list[str], side: Side) -> str:
    if is_rtl(side):
        blocks = [b.replace("<p>", '<p dir="rtl">', 1) for b in blocks]
    return "<html><body>" + "".join(blocks) + "</body></html>"


def map_offset(anchors: list[tuple[int, int]], offset: int, forward: bool = True) -> int:
    """Map a text offset through rising (left, right) anchor pairs, interpolating between them."""
    src = [a if forward else b for a, b in anchors]
    dst = [b if forward else a for a, b in anchors]
    k = max(bisect_right(src, offset) - 1, 0)
    if k + 1 >= len(src) or src[k + 1] == src[k]:
        return dst[k]
    frac = (offset - src[k]) / (src[k + 1] - src[k])
    return int(dst[k] + frac * (dst[k + 1] - dst[k]))


def export_html(loaded: Loaded, changes_only: bool) -> str:
    """The page Export writes: the same rows and highlights as the panes, citations on top."""
    if len(loaded.sides) == 2:
        return comparison_html(loaded.comparisons[0], changes_only=changes_only)
    return panes_html(loaded.comparisons)
