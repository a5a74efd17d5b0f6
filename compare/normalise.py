"""What counts as noise: whitespace, NBSP, invisible format characters, curly vs straight quotes."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_quotes", "normalise_text", "is_cjk", "CJK_CLASS", "INVISIBLE_CLASS"]

# Typographic variants that publishers swap silently; folding them keeps them out of diffs.
_QUOTES = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark (also the typographic apostrophe)
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",  # prime, often used as an apostrophe
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
_QUOTE_TABLE = str.maketrans(_QUOTES)

# Chinese/Japanese characters are compared one by one: these scripts do not separate words.
CJK_CLASS = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u31f0-\u31ff"
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
# Zero-width and format characters (word joiner, ZWSP, BOM, soft hyphen): invisible, never a change.
INVISIBLE_CLASS = "\u00ad\u200b-\u200f\u2060-\u2064\ufeff"

_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_SPACE_RE = re.compile(f"[\\s{INVISIBLE_CLASS}]+")


def fold_quotes(text: str) -> str:
    """Replace curly, angled and prime quotes by their straight ASCII forms."""
    return text.translate(_QUOTE_TABLE)


def normalise_text(text: str) -> str:
    """Text with the noise removed: quotes folded, whitespace (NBSP too) collapsed, NFC."""
    text = unicodedata.normalize("NFC", fold_quotes(text))
    return _SPACE_RE.sub(" ", text).strip()


def is_cjk(text: str) -> bool:
    """True when more than a third of the letters are Chinese/Japanese characters."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return False
    return len(_CJK_RE.findall(text)) * 3 > letters
