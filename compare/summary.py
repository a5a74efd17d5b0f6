"""Edit summary: words added, removed, changed and moved, and the share of the text changed."""

from __future__ import annotations

from compare.diff import Diff

__all__ = ["summarise"]


def summarise(diff: Diff) -> dict[str, int | float | bool]:
    """Counts over a diff. Words are word tokens (each Chinese/Japanese character counts one).

    A replacement of L words by R words counts min(L, R) as changed and the rest as added
    (R > L) or removed (L > R). Moved paragraphs count as moved, not as added or removed.
    `changed_share` = words outside equal and move ops on both sides / all words on both sides.
    """
    lt, rt = diff.left_tokens, diff.right_tokens
    added = removed = changed = moved = 0
    touched = 0
    changes = 0
    marks = 0
    for tag, a1, a2, b1, b2 in diff.token_ops:
        if tag == "equal":
            continue
        changes += 1
        left_words, right_words = lt.words(a1, a2), rt.words(b1, b2)
        if tag == "move":
            moved += left_words
            continue
        touched += left_words + right_words
        marks += max((a2 - a1) - left_words, (b2 - b1) - right_words)
        common = min(left_words, right_words)
        changed += common
        added += right_words - common
        removed += left_words - common
    total = sum(lt.is_word) + sum(rt.is_word)
    return {
        "words_added": added,
        "words_removed": removed,
        "words_changed": changed,
        "words_moved": moved,
        "punctuation_changed": marks,
        "left_words": sum(lt.is_word),
        "right_words": sum(rt.is_word),
        "changes": changes,
        "changed_share": round(touched / total, 4) if total else 0.0,
        "identical": changes == 0,
    }
