"""Comparison of statements: version diffs, shared passages, paragraph alignment. No Qt here."""

from compare.align import Row, align_paragraphs
from compare.comparison import Comparison, Side, compare_sides, to_json
from compare.context import visible_rows
from compare.diff import Diff, Op, diff_texts
from compare.html_export import comparison_html, panes_html, summary_line
from compare.marks import Mark, side_marks
from compare.normalise import normalise_text
from compare.shared import Passage, shared_passages
from compare.summary import summarise

__all__ = [
    "Comparison",
    "Side",
    "compare_sides",
    "to_json",
    "Diff",
    "Op",
    "diff_texts",
    "summarise",
    "Passage",
    "shared_passages",
    "Row",
    "align_paragraphs",
    "Mark",
    "side_marks",
    "visible_rows",
    "comparison_html",
    "panes_html",
    "summary_line",
    "normalise_text",
]
