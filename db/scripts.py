"""Writing systems, defined once for the whole project: which characters are Chinese/Japanese
(compared and searched character by character), which languages are CJK, which are written
right to left. Standard library only, so db/, compare/, scraper/ and viewer/ all import it."""

from __future__ import annotations

import re

__all__ = [
    "CJK_CLASS",
    "HANGUL_CLASS",
    "CJK_SEARCH_RE",
    "CJK_LANGUAGES",
    "RTL_LANGUAGES",
    "is_rtl",
]

# Chinese and Japanese characters: these scripts do not put spaces between words, so a diff
# compares them one character at a time (a regex character-class body, without brackets).
CJK_CLASS = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK unified ideographs extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B to G
)
# Korean syllables: words are spaced, but the trigram index serves Korean search too.
HANGUL_CLASS = "\uac00-\ud7af"
# A search term containing one of these goes to the trigram index (or a substring scan).
CJK_SEARCH_RE = re.compile(f"[{CJK_CLASS}{HANGUL_CLASS}]")

# Languages (BCP 47 tags as the archive stores them) whose statements the trigram index holds.
# Migration 3 of db/schema.py was written with exactly this tuple: extend it only together with
# a new migration that re-indexes.
CJK_LANGUAGES = ("zh", "ja", "ko", "zh-Hans", "zh-Hant", "zh-CN", "zh-TW")

# Primary language subtags written right to left ("iw" is the old code for Hebrew).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})


def is_rtl(language: str | None) -> bool:
    """True when the language (a BCP 47 tag such as `fa-IR`) is written right to left."""
    if not language:
        return False
    return language.split("-")[0].lower() in RTL_LANGUAGES
