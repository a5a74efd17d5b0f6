"""Configured selectors (CSS or XPath) applied to article pages and listings."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.cssselect import SelectorError as _CSSError

from db.scripts import CJK_CLASS
from scraper.extract.html_clean import element_text

# Chinese/Japanese characters (db.scripts, the one definition) and the punctuation they set
# with: CJK symbols, fullwidth forms, the curly quotes Chinese uses.
_CJK = f"{CJK_CLASS}\u3000-\u303f\uff00-\uffef\u201c\u201d"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\\s*\\n\\s*(?=[{_CJK}])")

Selector = Callable[[etree._Element], list]


class SelectorError(ValueError):
    """A selector that is neither valid CSS nor valid XPath."""


def is_xpath(selector: str) -> bool:
    """XPath selectors start with '/', './' or '('; everything else is CSS."""
    return selector.lstrip().startswith(("/", "./", "("))


@lru_cache(maxsize=256)
def compile_selector(selector: str) -> Selector:
    """Compile a CSS or XPath selector once; raise SelectorError with the reason."""
    try:
        if is_xpath(selector):
            return etree.XPath(selector)
        return CSSSelector(selector)
    except (_CSSError, etree.XPathSyntaxError, ValueError) as exc:
        kind = "XPath" if is_xpath(selector) else "CSS"
        raise SelectorError(f"not a valid {kind} selector {selector!r}: {exc}") from None


def select(root: etree._Element, selector: str | None) -> list:
    """Elements (or strings, for XPath text/attribute selections) matched by a selector."""
    if not selector:
        return []
    return list(compile_selector(selector)(root))


def first_text(root: etree._Element, selector: str | None) -> str | None:
    """Plain text of the first non-empty match, whitespace collapsed to single spaces."""
    for match in select(root, selector):
        text = match if isinstance(match, str) else element_text(match)
        text = _CJK_BREAK.sub("", text.strip())  # a <br> inside a Chinese heading is no space
        text = " ".join(text.split())
        if text:
            return text
    return None


def all_texts(root: etree._Element, selector: str | None) -> list[str]:
    """Plain text of every non-empty match, whitespace collapsed, in document order."""
    out = []
    for match in select(root, selector):
        text = match if isinstance(match, str) else element_text(match)
        text = " ".join(_CJK_BREAK.sub("", text.strip()).split())
        if text:
            out.append(text)
    return out


def first_element(root: etree._Element, selector: str | None) -> etree._Element | None:
    """The first match with any text in it."""
    for match in select(root, selector):
        if not isinstance(match, str) and element_text(match).strip():
            return match
    return None
