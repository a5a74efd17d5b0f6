"""What counts as noise is db.normalise's rule (the archive's too); this module adds only
`is_cjk`, the share of Chinese/Japanese characters that makes shared passages use characters."""

from __future__ import annotations

import re

from db.normalise import INVISIBLE_CLASS, fold_quotes, normalise_text
from db.scripts import CJK_CLASS

__all__ = ["fold_quotes", "normalise_text", "is_cjk", "CJK_CLASS", "INVISIBLE_CLASS"]

_CJK_RE = re.compile(f"[{CJK_CLASS}]")


def is_cjk(text: str) -> bool:
    """True when more than a third of the letters are Chinese/Japanese characters."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return False
    return len(_CJK_RE.findall(text)) * 3 > letters
