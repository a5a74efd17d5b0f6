"""Archived text as safe Qt rich text: escaped paragraphs, highlights, snippets, direction."""

from __future__ import annotations

import html
import re

import nh3

from viewer.plaintext import breakable

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})

# A run without a space longer than LONG_RUN (no real word or URL is) gets a break opportunity
# every BREAK_EVERY characters: Qt lays out one 200,000-character run in 20 s, broken in 0.2 s.
LONG_RUN = 300
BREAK_EVERY = 80

HIGHLIGHT_STYLE = "background-color:#ffe066;color:#000000;"

_FTS_WORDS = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

# Tags a published statement may use for structure; everything else (img, script, iframe, style,
# object, form, link, meta) is dropped before Qt sees the markup.
_SAFE_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "pre",
    "code",
    "hr",
    "div",
    "span",
}


def is_rtl(language: str | None) -> bool:
    """True when the language (BCP 47 tag) is written right to left."""
    if not language:
        return False
    return language.split("-")[0].lower() in RTL_LANGUAGES


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


def _keep_link(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href":
        return value if re.match(r"(?i)^(https?:|mailto:|#)", value.strip()) else None
    return value


def safe_markup(fragment: str) -> str:
    """Published HTML reduced to structure Qt can show without fetching or running anything."""
    return nh3.clean(
        fragment or "",
        tags=_SAFE_TAGS,
        attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attribute_filter=_keep_link,
    )


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
