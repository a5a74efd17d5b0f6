"""HTML to plain text (interchange conventions); sanitising is scraper.extract.sanitise."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from scraper.extract.sanitise import flatten_markup

_PARSER_DEPTH = 200  # below lxml's HTML parser limit (256), with room for html/body

# Elements whose content is never text a reader sees.
_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "head",
        "title",
        "meta",
        "link",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "canvas",
        "video",
        "audio",
        "map",
        "img",
    }
)
# Elements that end a paragraph.
_BLOCK = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "dl",
        "dt",
        "dd",
        "pre",
        "address",
        "article",
        "section",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "figure",
        "figcaption",
        "hr",
        "form",
        "fieldset",
        "center",
        "details",
        "summary",
        "body",
        "html",
        "legend",
    }
)
_CELL = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u202f]+")
_BREAK, _PARA = "\x00br", "\x00p"


def parse_html(html: str | bytes, base_url: str | None = None) -> etree._Element:
    """Parse an HTML document or fragment with lxml (tolerant of broken markup)."""
    if isinstance(html, bytes):
        parser = lxml.html.HTMLParser(encoding="utf-8")
        return lxml.html.document_fromstring(html, parser=parser, base_url=base_url)
    if not html.strip():
        return lxml.html.fromstring("<div></div>")
    if html.lstrip("\ufeff \t\r\n").startswith("<?xml"):  # lxml refuses str with a declaration
        html = html[html.index("?>") + 2 :] if "?>" in html else html
    return lxml.html.document_fromstring(html, base_url=base_url)


def drop_element(el: etree._Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _tag(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if "}" in tag:
        tag = tag.rsplit("}", 1)[1]
    elif ":" in tag:
        tag = tag.rsplit(":", 1)[1]
    return tag.lower()


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = _tag(el)
    if tag in _DROP or not isinstance(el.tag, str):
        if el.tail:
            out.append(el.tail)
        return
    if tag == "br":
        out.append(_BREAK)
    else:
        block = tag in _BLOCK
        if block:
            out.append(_PARA)
        elif tag in _CELL:
            out.append(" ")
        if el.text:
            out.append(el.text)
        for child in el:
            _walk(child, out)
        if block:
            out.append(_PARA)
        elif tag in _CELL:
            out.append(" ")
    if el.tail:
        out.append(el.tail)


def element_text(el: etree._Element) -> str:
    """Plain text of an element: blank line between paragraphs, `\\n` for one `<br>`."""
    parts: list[str] = []
    if isinstance(el.tag, str) and _tag(el) not in _DROP:
        if el.text:
            parts.append(el.text)
        for child in el:
            _walk(child, parts)
    paragraphs: list[str] = []
    lines: list[str] = []
    line: list[str] = []
    breaks = 0

    def end_line() -> None:
        text = _SPACES.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            lines.append(text)

    def end_paragraph() -> None:
        end_line()
        if lines:
            paragraphs.append("\n".join(lines))
            lines.clear()

    for part in parts:
        if part is _PARA:
            end_paragraph()
            breaks = 0
        elif part is _BREAK:
            breaks += 1
            if breaks == 1:
                end_line()
            else:
                end_paragraph()
        else:
            if breaks and part.strip(" \t\n\r\f\v\u00a0"):
                breaks = 0
            line.append(part)
    end_paragraph()
    return "\n\n".join(paragraphs)


def html_to_text(html: str | bytes) -> str:
    """Plain text of an HTML fragment or document, following the interchange conventions."""
    if not html:
        return ""
    if isinstance(html, str) and html.count("<") > _PARSER_DEPTH:
        # lxml drops all text below depth 256: unwrap what lies deeper first (shallower
        # markup, all real pages, comes out exactly as before).
        html = flatten_markup(html, max_depth=_PARSER_DEPTH, max_tables=_PARSER_DEPTH)
    root = parse_html(html)
    body = root.find("body")
    return element_text(body if body is not None else root)


def element_html(el: etree._Element) -> str:
    """Serialised inner HTML of an element (its children and text), as a string."""
    inner = [el.text or ""]
    for child in el:
        inner.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(inner)
