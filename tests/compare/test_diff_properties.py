"""Invariants of the diff on many seeded random edits of a real text (moves, inserts, noise)."""

import random

import pytest

from compare import diff_texts, normalise_text, summarise
from compare.rows import diff_rows
from compare.tokens import tokenize

from .test_diff import assert_tiles


def edit(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n")
    for _ in range(rng.randrange(0, 6)):
        action = rng.choice(["word", "insert", "delete", "move", "split", "noise"])
        k = rng.randrange(len(paras))
        if action == "word":
            words = paras[k].split(" ")
            words[rng.randrange(len(words))] = rng.choice(["Kyiv", "not", "“quoted”", "—"])
            paras[k] = " ".join(words)
        elif action == "insert":
            paras.insert(k, "A paragraph added later, with several words in it.")
        elif action == "delete" and len(paras) > 2:
            del paras[k]
        elif action == "move" and len(paras) > 2:
            paras.insert(rng.randrange(len(paras)), paras.pop(k))
        elif action == "split":
            paras[k] = paras[k].replace(". ", ".\n\n", 1)
        else:
            paras[k] = paras[k].replace("’", "'").replace(" ", "\u00a0", 3)
    return "\n\n".join(paras)


def words(text: str) -> list[str]:
    tokens = tokenize(text)
    return tokens.keys


@pytest.mark.parametrize("seed", range(40))
def test_ops_tile_both_texts_and_equal_means_equal(macron, nominations, seed):
    rng = random.Random(seed)
    base = macron[0] if seed % 2 else nominations[0][:6000]
    left, right = edit(base, rng), edit(base, rng)
    diff = diff_texts(left, right)
    assert_tiles(diff)
    # Equal and moved text is the same up to noise; all tokens of changes are accounted for.
    for o in diff.ops:
        if o.op in ("equal", "move"):
            assert words(left[o.left_start : o.left_end]) == words(
                right[o.right_start : o.right_end]
            )
    if normalise_text(left).split() == normalise_text(right).split():
        assert not diff.changed
    kept = [
        w
        for o in sorted(diff.ops, key=lambda o: o.left_start)
        if o.op != "insert"
        for w in words(left[o.left_start : o.left_end])
    ]
    assert kept == words(left)
    summary = summarise(diff)
    assert 0 <= summary["changed_share"] <= 1
    rows = diff_rows(diff)
    lefts = [r.left for r in rows if r.left]
    assert lefts == sorted(lefts)
