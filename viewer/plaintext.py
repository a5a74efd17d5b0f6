"""Page-derived values (titles, speakers, URLs, ids) as plain text, whatever they contain.

A value from a government page may be 5 million characters long or look like markup
(`<img src=file:///…>`): Qt would guess it is rich text in a tooltip or a label in AutoText mode,
and lay out all of it. Everything here caps and escapes before Qt sees the value (no Qt here).
"""

from __future__ import annotations

import html

# Longest value a label or tooltip lays out; the full value stays in the record (and is copied).
MAX_SHOWN_CHARS = 2000
TOOLTIP_LINE_CHARS = 100


def capped(text: str | None, limit: int = MAX_SHOWN_CHARS) -> str:
    """`text` cut to `limit` characters (… and the number left out when cut)."""
    text = text or ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def plain_tooltip(text: str | None, limit: int = MAX_SHOWN_CHARS) -> str:
    """A tooltip that shows `text` literally: escaped rich text (Qt guesses the format of a
    tooltip, so plain text that looks like markup would be rendered), capped, wrapping."""
    if not text:
        return ""
    escaped = html.escape(capped(text, limit), quote=False).replace("\n", "<br>")
    # wrap-anywhere keeps a 2,000-character URL with no spaces inside the screen
    return f"<p style='white-space:pre-wrap; word-break:break-all'>{escaped}</p>"


def one_line(text: str | None, limit: int = MAX_SHOWN_CHARS) -> str:
    """A value for a one-line label: capped, line breaks and tabs as spaces."""
    return " ".join(capped(text, limit).split())


_BREAK_EVERY = 40  # characters without a space before a line may break (a zero-width space)


def breakable(text: str, every: int = _BREAK_EVERY, longer_than: int | None = None) -> str:
    """`text` with a break opportunity (U+200B) every `every` characters in each run without a
    space longer than `longer_than` (default `every`), so a word-wrapping label can wrap a
    10,000-character URL or title instead of growing to its width (QLabel wraps only at
    spaces), and Qt's line breaking stays fast (one 200,000-character run: 20 s)."""
    limit = every if longer_than is None else longer_than
    if len(text) <= limit:
        return text
    out: list[str] = []
    for word in text.split(" "):
        if len(word) > limit:
            word = "\u200b".join(word[i : i + every] for i in range(0, len(word), every))
        out.append(word)
    return " ".join(out)
