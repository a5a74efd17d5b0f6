"""Generic article extraction with trafilatura, for pages the configured selectors miss."""

from __future__ import annotations

from lxml import etree

from scraper.extract.html_clean import element_html, element_text

# trafilatura's internal XML names -> HTML, so the text and HTML conventions apply unchanged.
_RENAME = {
    "head": "h2",
    "list": "ul",
    "item": "li",
    "quote": "blockquote",
    "lb": "br",
    "hi": "span",
    "row": "tr",
    "cell": "td",
    "ref": "a",
    "del": "del",
}


def generic_extract(html: str, url: str) -> dict | None:
    """{'title', 'date', 'text', 'html', 'author'} found by trafilatura, or None."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_tables=True, include_comments=False
        )
    except Exception:  # trafilatura raises assorted errors on pathological pages
        return None
    if doc is None or doc.body is None:
        return None
    body = doc.body
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _RENAME:
            el.tag = _RENAME[el.tag]
        if isinstance(el.tag, str) and el.tag == "graphic":
            el.tag = "img"
    text = element_text(body)
    if not text.strip():
        return None
    return {
        "title": " ".join((doc.title or "").split()) or None,
        "date": doc.date,
        "text": text,
        "html": element_html(body),
        "author": doc.author,
    }


__all__ = ["generic_extract", "etree"]
