"""A statement's published formatting, prepared for Qt off the GUI thread and capped.

Qt's rich-text engine is slow on some shapes a page can have: its table layout is exponential in
table nesting (13 nested tables: 0.5 s, 15: 2.2 s, 20: minutes), thousands of nested blocks and
long unbreakable runs are slow to lay out, and all of it runs on the GUI thread. So the reader
shows the archived text at once and asks for the formatting here, on a worker thread: the
markup is sanitised, then bounded — blocks nested deeper than MAX_DEPTH and tables nested deeper
than MAX_TABLE_DEPTH are unwrapped (their text kept), very long unbroken runs get break
opportunities — and what is still too big is not formatted at all (the reader says so and keeps
the text). No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from viewer import render
from viewer.plaintext import breakable

MAX_HTML_CHARS = 400_000  # published markup larger than this is not formatted
MAX_ELEMENTS = 20_000  # elements after sanitising
MAX_DEPTH = 24  # nesting of elements below the fragment
MAX_TABLE_DEPTH = 2  # a table inside a table is kept; one more level is unwrapped
MAX_RUN = 80  # characters without a break opportunity


@dataclass(frozen=True)
class Prepared:
    """What the reader shows: `markup` (None: show the archived text) and why, if changed."""

    markup: str | None
    note: str = ""


_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th"}
_CELLS = {"td", "th"}
_VOID = {"br", "hr", "img", "wbr"}


def prepare(published: str) -> Prepared:
    """Sanitise and bound `published` markup for Qt (call on a worker thread)."""
    size = len(published or "")
    if size > MAX_HTML_CHARS:
        return Prepared(
            None,
            f"The published formatting is too large to show ({size:,} characters); "
            "showing the archived text.",
        )
    tags = (published or "").count("<")
    if tags > 2 * MAX_ELEMENTS:  # before the sanitiser, whose time grows fast with nesting
        return Prepared(
            None,
            f"The published formatting has too many parts to show ({tags:,} tags); "
            "showing the archived text.",
        )
    bounded = _Bounder()
    bounded.feed(render.safe_markup(published or ""))
    bounded.close()
    if bounded.elements > MAX_ELEMENTS:
        return Prepared(
            None,
            f"The published formatting has too many parts to show ({bounded.elements:,} "
            "elements); showing the archived text.",
        )
    note = ""
    if bounded.flattened:
        n = bounded.flattened
        note = (
            f"Published formatting simplified: {n:,} deeply nested "
            f"{'part' if n == 1 else 'parts'} shown flat (all text kept)."
        )
    return Prepared("".join(bounded.out), note)


class _Bounder(HTMLParser):
    """One pass over sanitised markup (a stream, so any depth): tags nested beyond the limits
    are left out while their text is kept, long runs get break opportunities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, emitted)
        self.depth = 0  # emitted elements open
        self.tables = 0  # tables open (emitted or not)
        self.elements = 0
        self.flattened = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        tables = self.tables + (tag == "table")
        drop = self.depth >= MAX_DEPTH or (tag in _TABLE_PARTS and tables > MAX_TABLE_DEPTH)
        if tag in _CELLS and drop:
            self.out.append(" ")
        if drop:
            self.flattened += 1
        else:
            shown = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs)
            self.out.append(f"<{tag}{shown}>")
        if tag in _VOID:
            return
        self.tables = tables
        self.stack.append((tag, not drop))
        self.depth += not drop

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(open_tag == tag for open_tag, _ in self.stack):
            return  # a stray end tag (sanitised markup has none; be safe anyway)
        while self.stack:
            open_tag, emitted = self.stack.pop()
            self.tables -= open_tag == "table"
            if emitted:
                self.depth -= 1
                self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        self.out.append(escape(breakable(data, MAX_RUN), quote=False))
