"""The one HTML sanitiser: published markup made safe offline, with its depth bounded first.

Used where markup is stored (scraper, `import`) and where it is shown (the viewer's "Show
published formatting"), so both follow one policy: no script, style, iframe, form, images,
event handlers or `javascript:` links; only http(s)/mailto/#fragment links.

Markup from pages we do not control may nest without limit. nh3 (html5ever) is worse than
quadratic in nesting depth (100,000 nested `<div>`: 112 s) and Qt lays deeply nested tables out
exponentially, while lxml's parser silently drops everything below depth 256 (2,048 with
`huge_tree`). So before any parser sees it, `flatten_markup` walks the tag stream once and
unwraps every element below MAX_DEPTH and every table inside MAX_TABLES tables: the tags go,
the text stays (a dropped block or cell leaves a space, a dropped row a line break, so words
never run together).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

__all__ = ["sanitise_html", "flatten_markup", "MAX_DEPTH", "MAX_TABLES"]

MAX_DEPTH = 32  # elements nested deeper than this are unwrapped (their text kept)
MAX_TABLES = 3  # a table inside this many tables is unwrapped into its cells' text

_ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"img"}) | {"figure", "figcaption", "section", "article"}
_ALLOWED_ATTRS = {
    "a": {"href", "title", "hreflang", "lang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "form",
    "noscript",
    "template",
    "object",
    "embed",
    "svg",
    "math",
    "select",
    "textarea",
    "button",
}
_LINK = re.compile(r"(?i)^\s*(https?:|mailto:|#)")

# The tag stream: comments, doctype/processing instructions, end tags, start tags. Outside a
# quoted value (of at most 2,000 characters) no tag is read across a "<", so an attempt stops at
# the next tag: linear on "<a <a <a…" (which took 40 s for 60 kB when it could run on).
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^<>]*>?"
    r"|</\s*(?P<end>[A-Za-z][^\s/<>]*)[^<>]*>?"
    r"|<(?P<start>[A-Za-z][^\s/<>]*)"
    r"(?P<attrs>(?:[^<>\"']|\"[^\"]{0,2000}\"|'[^']{0,2000}')*)>",
    re.DOTALL,
)
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen frame".split()
)
# Elements whose content is raw text: a "<div>" inside a script is not a tag.
_RAW_TEXT = frozenset("script style textarea title xmp noembed noframes iframe plaintext".split())
_BLOCK = frozenset(
    "address article aside blockquote center dd details dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table ul "
    "tbody thead tfoot tr td th caption colgroup".split()
)
_TABLE_PARTS = frozenset("table tbody thead tfoot tr td th caption colgroup col".split())
# An open element of the same kind ends on these (the parser's implied end tags).
_IMPLIED_END = {
    "p": {"p"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "option": {"option"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "tr": {"td", "th", "tr"},
}
for _name in _BLOCK - _IMPLIED_END.keys() - _TABLE_PARTS:
    _IMPLIED_END[_name] = {"p"}  # a block element ends an open paragraph


# What stands in for an unwrapped tag so that the text around it keeps its words apart.
_UNWRAPPED_START = dict.fromkeys(_BLOCK | {"br"}, " ")
_UNWRAPPED_END = {**_UNWRAPPED_START, "tr": "<br>"}


def flatten_markup(
    markup: str,
    max_depth: int = MAX_DEPTH,
    max_tables: int = MAX_TABLES,
    text: Callable[[str], str] = str,
) -> str:
    """`markup` with elements below `max_depth` and tables inside `max_tables` tables unwrapped.

    One pass over the tags with a stack of open elements (implied end tags of p, li, td, tr…
    followed like a parser would), linear in the input whatever its depth; text, comments and
    raw-text elements are copied unchanged (text between tags passes through `text`).
    """
    out: list[str] = []
    emit = out.append
    stack: list[str] = []
    excess: dict[str, int] = {}  # unwrapped start tags still open, by name
    tables = 0  # kept tables open
    flat_tables = 0  # tables being unwrapped (everything table-like inside goes too)
    pos = 0  # end of what has been copied; matches before it lie inside raw text
    for m in _MARKUP.finditer(markup):
        begin = m.start()
        if begin < pos:
            continue
        if begin > pos:
            emit(text(markup[pos:begin]))
        pos = m.end()
        start = m.group("start")
        if start is not None:
            name = start.lower()
            if name in _RAW_TEXT:
                close = re.compile(f"</{name}\\b[^>]*>", re.IGNORECASE).search(markup, pos)
                stop = close.end() if close else len(markup)
                emit(m.group() + markup[pos:stop])
                pos = stop
                continue
            if name in _VOID or m.group("attrs").rstrip().endswith("/"):
                emit(" " if flat_tables and name == "col" else m.group())
                continue
            if (flat_tables and name in _TABLE_PARTS) or (name == "table" and tables >= max_tables):
                if name == "table":
                    flat_tables += 1
                excess[name] = excess.get(name, 0) + 1
                emit(_UNWRAPPED_START.get(name, ""))
                continue
            implied = _IMPLIED_END.get(name)
            while implied and stack and stack[-1] in implied:
                emit(f"</{stack.pop()}>")
            if len(stack) >= max_depth:
                excess[name] = excess.get(name, 0) + 1
                emit(_UNWRAPPED_START.get(name, ""))
            else:
                stack.append(name)
                tables += name == "table"
                emit(m.group())
            continue
        end = m.group("end")
        if end is None:  # comment, doctype, processing instruction
            emit(m.group())
            continue
        name = end.lower()
        if excess.get(name):
            excess[name] -= 1
            flat_tables -= name == "table"
            emit(_UNWRAPPED_END.get(name, ""))
        elif name in stack:
            while stack:
                top = stack.pop()
                tables -= top == "table"
                emit(f"</{top}>")
                if top == name:
                    break
        # an end tag with nothing open to close is dropped, as a parser would
    if pos < len(markup):
        emit(text(markup[pos:]))
    return "".join(out)


def _keep_link(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href":
        return value if _LINK.match(value) else None
    return value


# nh3 is quadratic in the ampersands of one text run (200,000 "&amp;": 1.3 s), not in "&lt;".
# Text runs are decoded (as the HTML parser would), each "&" stands in as this private-use
# character through nh3 and comes back as "&amp;", which is what nh3 writes for "&".
_AMP = "\ue026"


def _text_run(run: str) -> str:
    """A text run for nh3: a "<" the flattener could not read as a tag stays text ("&lt;"), so
    a broken tag ("<a <a <a") cannot swallow the words after an unwrapped tag; "&" shielded."""
    if "&" not in run:
        return run.replace("<", "&lt;")
    run = html.unescape(run).replace("&", _AMP)
    return run.replace("<", "&lt;").replace(">", "&gt;")


def _text_run_no_shield(run: str) -> str:
    return run.replace("<", "&lt;")


def sanitise_html(markup: str) -> str:
    """HTML safe offline: no script, style, iframe, form, handlers, images or js: links, and no
    element nested deeper than MAX_DEPTH (its text is kept)."""
    if not markup:
        return ""
    shield = _AMP not in markup
    flat = flatten_markup(markup, text=_text_run if shield else _text_run_no_shield)
    clean = nh3.clean(
        flat,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={k: set(v) for k, v in _ALLOWED_ATTRS.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_keep_link,
    )
    return clean.replace(_AMP, "&amp;") if shield else clean
