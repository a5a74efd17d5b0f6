"""Archived text as safe Qt rich text: escaped paragraphs, highlights, snippets, direction."""

from __future__ import annotations

import html
import re

from db.scripts import CJK_SEARCH_RE, is_rtl  # noqa: F401 (is_rtl: render.is_rtl for widgets)
from scraper.extract.sanitise import sanitise_html
from viewer.plaintext import breakable

# A run without a space longer than LONG_RUN (no real word or URL is) gets a break opportunity
# every BREAK_EVERY characters: Qt lays out one 200,000-character run in 20 s, broken in 0.2 s.
LONG_RUN = 300
BREAK_EVERY = 80

HIGHLIGHT_STYLE = "background-color:#ffe066;color:#000000;"

_FTS_WORDS = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CJK = CJK_SEARCH_RE


def query_terms(query: str) -> list[str]:
    """The plain words of a search query (FTS operators, quotes and column filters removed)."""
    terms: list[str] = []
    for word in _FTS_WORDS.findall(query or ""):
        if word in _FTS_OPERATORS:
            continue
        word = word.strip("'’-")
        if word and word.lower() not in (t.lower() for t in terms):
            terms.append(word)
    return terms


def _term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        stem = term.rstrip("*")
        if _CJK.search(stem):
            parts.append(re.escape(stem))  # no spaces in CJK: \w* would swallow the sentence
        else:
            # The rest of the word too, as FTS prefix queries (`drone*`) match it.
            parts.append(re.escape(stem) + r"\w*")
    return re.compile("(" + "|".join(parts) + ")", re.IGNORECASE)


def highlight_escaped(text: str, terms: list[str]) -> str:
    """Escape `text` for rich text and wrap every occurrence of a term in a highlight span."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return html.escape(text, quote=False)
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        out.append(
            f'<span style="{HIGHLIGHT_STYLE}">{html.escape(match.group(0), quote=False)}</span>'
        )
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def text_to_html(text: str, terms: list[str] | None = None) -> str:
    """Plain statement text as paragraphs (blank line = paragraph, newline = line break)."""
    paragraphs = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text or "")]
    blocks = []
    for paragraph in paragraphs:
        if not paragraph.strip():
            continue
        lines = [
            highlight_escaped(breakable(line, BREAK_EVERY, LONG_RUN), terms or [])
            for line in paragraph.split("\n")
        ]
        blocks.append("<p>" + "<br/>".join(lines) + "</p>")
    return "\n".join(blocks)


def safe_markup(fragment: str) -> str:
    """Published HTML reduced to structure Qt can show without fetching or running anything:
    the archive's one sanitiser (scraper.extract.sanitise), depth and table nesting bounded."""
    return sanitise_html(fragment or "")


def snippet_to_html(snippet: str, start: str, end: str, lead: int | None = None) -> str:
    """A search snippet with `start`/`end` markers as escaped rich text with highlighted matches.

    With `lead`, at most that many characters are kept before the first match, so the match is
    visible in a narrow column.
    """
    out: list[str] = []
    rest = snippet or ""
    first = rest.find(start)
    if lead is not None and first > lead:
        cut = rest.rfind(" ", 0, first - lead)
        cut = cut + 1 if cut >= 0 and first - cut <= lead * 2 else first - lead
        rest = "…" + rest[cut:].lstrip("…")
    while True:
        i = rest.find(start)
        if i < 0:
            out.append(html.escape(rest, quote=False))
            break
        j = rest.find(end, i + len(start))
        if j < 0:
            out.append(html.escape(rest.replace(start, ""), quote=False))
            break
        out.append(html.escape(rest[:i], quote=False))
        match = html.escape(rest[i + len(start) : j], quote=False)
        out.append(f'<span style="{HIGHLIGHT_STYLE}">{match}</span>')
        rest = rest[j + len(end) :]
    return "".join(out).replace("\n", " ")


def snippet_plain(snippet: str, start: str, end: str) -> str:
    """A snippet with its markers removed (for tooltips and accessibility)."""
    return (snippet or "").replace(start, "").replace(end, "").replace("\n", " ")


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every highlighted occurrence of `terms` in `text`, in order (the same
    matches `highlight_escaped` marks), for the reader's next/previous match."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text or "")]
