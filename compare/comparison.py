"""A whole comparison of two texts (versions of one statement, or two statements) and its JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

from compare.align import Row, align_paragraphs
from compare.diff import Diff, diff_texts
from compare.editions import align_editions, is_language_pair
from compare.rows import diff_rows
from compare.shared import Passage, shared_passages
from compare.summary import summarise

__all__ = ["Side", "Comparison", "compare_sides", "to_json"]


@dataclass(frozen=True)
class Side:
    """One compared text and where it comes from (all but `text` optional for plain strings)."""

    text: str
    id: str | None = None  # archive id
    version: int | None = None  # seq
    version_count: int | None = None
    title: str | None = None
    source: str | None = None  # source id
    source_name: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    first_seen: str | None = None  # when this version was first seen (captured or imported)
    declared_modified: str | None = None  # the source's own "updated" time for this version
    captured_at: str | None = None  # WARC-Date of the HTTP response; None for an imported record
    origin: str | None = None  # the imported record this version came from

    @property
    def ref(self) -> str:
        """`ID@N` (or the title / "text") for citations and labels."""
        if self.id:
            return f"{self.id}@{self.version}" if self.version else self.id
        return self.title or "text"


@dataclass(frozen=True)
class Comparison:
    left: Side
    right: Side
    mode: str  # "versions" | "statements"
    diff: Diff
    shared: list[Passage] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # corresponding paragraphs, side by side
    summary: dict = field(default_factory=dict)

    def anchors(self) -> list[tuple[int, int]]:
        """Rising (left offset, right offset) pairs that correspond, for synchronised scrolling."""
        if self.mode == "statements":
            pairs = [(r.left[0], r.right[0]) for r in self.rows if r.left and r.right]
        else:
            pairs = [(o.left_start, o.right_start) for o in self.diff.ops if o.op != "move"]
        out: list[tuple[int, int]] = [(0, 0)]
        for a, b in pairs:
            if a >= out[-1][0] and b >= out[-1][1]:
                out.append((a, b))
        out.append((max(len(self.left.text), out[-1][0]), max(len(self.right.text), out[-1][1])))
        return out


def compare_sides(left: Side, right: Side, mode: str | None = None) -> Comparison:
    """Diff two sides; for two different statements also shared passages and aligned paragraphs.

    `mode` defaults to "versions" when both sides are the same archive statement.
    """
    if mode is None:
        mode = "versions" if left.id is not None and left.id == right.id else "statements"
    diff = diff_texts(left.text, right.text)
    summary = summarise(diff)
    shared: list[Passage] = []
    rows: list[Row] = []
    if mode == "statements":
        shared = shared_passages(diff.left_tokens, diff.right_tokens)
        if is_language_pair(left.language, right.language):  # two language editions
            rows = align_editions(left.text, right.text, left.language, right.language)
            summary["alignment"] = "editions"
        else:
            rows = align_paragraphs(diff.left_tokens, diff.right_tokens)
            summary["alignment"] = "similarity"
        summary["shared_passages"] = len(shared)
        summary["shared_words"] = sum(p.words for p in shared)
        summary["aligned_paragraphs"] = sum(1 for r in rows if r.left and r.right)
    else:
        rows = diff_rows(diff)
        summary["edit"] = edit_kind(left, right) if diff.changed else None
    return Comparison(left, right, mode, diff, shared, rows, summary)


def edit_kind(left: Side, right: Side) -> str:
    """ "declared" when the source gave the later version its own "updated" time, else "silent"."""
    later = right if (right.version or 0) >= (left.version or 0) else left
    earlier = left if later is right else right
    declared = later.declared_modified and later.declared_modified != earlier.declared_modified
    return "declared" if declared else "silent"


def _side_json(side: Side) -> dict:
    return {
        "id": side.id,
        "version": side.version,
        "title": side.title,
        "source": side.source,
        "source_name": side.source_name,
        "url": side.url,
        "published": side.published,
        "first_seen": side.first_seen,
        "declared_modified": side.declared_modified,
        "captured_at": side.captured_at,
        "origin": side.origin,
    }


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def to_json(c: Comparison) -> dict:
    """The documented JSON shape (see the README's "Compare" section)."""
    lt, rt = c.left.text, c.right.text
    return {
        "left": _side_json(c.left),
        "right": _side_json(c.right),
        "mode": c.mode,
        "ops": [
            {
                "op": o.op,
                "left": _span(lt, o.left_start, o.left_end),
                "right": _span(rt, o.right_start, o.right_end),
            }
            for o in c.diff.ops
        ],
        "shared": [
            {
                "left_start": p.left_start,
                "left_end": p.left_end,
                "right_start": p.right_start,
                "right_end": p.right_end,
                "text": p.text,
                "words": p.words,
            }
            for p in c.shared
        ],
        "rows": [
            {
                "left": list(r.left) if r.left else None,
                "right": list(r.right) if r.right else None,
                "similarity": round(r.similarity, 3),
            }
            for r in c.rows
        ],
        "summary": c.summary,
    }
