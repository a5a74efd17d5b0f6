"""Benchmark: diff two 20,000-word texts (target <= 200 ms), and compare two different statements.

Reads real White House transcripts from ../shared/data when present (else a generated text),
makes an edited copy (word edits, a sentence added and one removed, a paragraph moved, quote
and space noise), and prints the median of several runs.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import median_times  # noqa: E402

from compare import Side, compare_sides, diff_texts, shared_passages  # noqa: E402
from compare.align import align_paragraphs  # noqa: E402

CORPUS = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "data"
    / "corpus"
    / "whitehouse-briefings-2021-2026.jsonl.gz"
)
WORDS = 20_000
RUNS = 7


def real_texts(count: int) -> list[str]:
    """`count` texts of about WORDS words each, built from consecutive real transcripts."""
    texts: list[str] = []
    current: list[str] = []
    words = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record.get("kind") != "press-briefing" or "text" not in record:
                continue
            current.append(record["text"])
            words += len(record["text"].split())
            if words >= WORDS:
                texts.append("\n\n".join(current))
                current, words = [], 0
                if len(texts) == count:
                    break
    return texts


def generated_texts(count: int) -> list[str]:
    rng = random.Random(7)
    vocab = [f"w{n}" for n in range(3000)] + ["the", "of", "and", "to", "a", "in"] * 200
    out = []
    for _ in range(count):
        paras = [" ".join(rng.choice(vocab) for _ in range(60)) + "." for _ in range(WORDS // 60)]
        out.append("\n\n".join(paras))
    return out


def edited(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n")
    for _ in range(40):  # word edits
        k = rng.randrange(len(paras))
        words = paras[k].split(" ")
        words[rng.randrange(len(words))] = rng.choice(["Ukraine", "Congress", "today", "not"])
        paras[k] = " ".join(words)
    paras.insert(rng.randrange(len(paras)), "This sentence was added after publication.")
    del paras[rng.randrange(len(paras))]
    moved = paras.pop(rng.randrange(len(paras)))
    paras.insert(rng.randrange(len(paras)), moved)
    out = "\n\n".join(paras)
    return out.replace("’", "'").replace(". ", ".\u00a0", 50)  # noise: never a change


def one_paragraph(text: str) -> str:
    """The text with every paragraph and line break turned into a space."""
    return " ".join(text.split())


class timed(float):  # noqa: N801 (reads as a function at the call sites)
    """Median wall time in ms of RUNS calls; formats as "wall ms (cpu ms)"."""

    def __new__(cls, fn):
        wall, cpu = median_times(fn, RUNS)
        value = super().__new__(cls, wall)
        value.cpu = cpu
        return value

    def __format__(self, spec: str) -> str:
        return f"{format(float(self), spec)} ms (cpu {self.cpu:6.1f})"


def main() -> None:
    source = "real transcripts" if CORPUS.exists() else "generated text"
    texts = real_texts(2) if CORPUS.exists() else generated_texts(2)
    a = texts[0]
    b = edited(a, random.Random(1))
    c = texts[1]
    print(
        f"texts: {source}; left {len(a.split()):,} words, right {len(b.split()):,} words, "
        f"other {len(c.split()):,} words"
    )
    d = diff_texts(a, b)
    changes = sum(o.op != "equal" for o in d.ops)
    moves = sum(o.op == "move" for o in d.ops)
    print(f"  version diff: {len(d.ops)} ops, {changes} changes, {moves} moves")
    ms = timed(lambda: diff_texts(a, b))
    print(f"diff_texts, edited copy (20k vs 20k words):        {ms:7.1f}  (target <= 200 ms)")
    ms = timed(lambda: compare_sides(Side(a, id="x:1", version=1), Side(b, id="x:1", version=2)))
    print(f"compare_sides versions (diff + summary + rows):    {ms:7.1f}")
    ms = timed(lambda: diff_texts(a, c))
    print(f"diff_texts, two different 20k-word texts:          {ms:7.1f}")
    # Scraped pages sometimes lose every paragraph break: one 20k-word paragraph each side.
    a1, b1 = one_paragraph(a), one_paragraph(b)
    ms = timed(lambda: diff_texts(a1, b1))
    print(f"diff_texts, edited copy as ONE paragraph:          {ms:7.1f}  (target <= 200 ms)")
    a2, c2 = one_paragraph(a), one_paragraph(c)
    ms = timed(lambda: diff_texts(a2, c2))
    print(f"diff_texts, two different texts as ONE paragraph:  {ms:7.1f}  (target <= 200 ms)")
    # Five times longer, still one paragraph, no sentence punctuation: near-linear, not 25x.
    big = " ".join(f"{w}{n % 7}" for n, w in enumerate(one_paragraph(a * 5).split()))
    rng = random.Random(3)
    words = big.split()
    for _ in range(50):
        words[rng.randrange(len(words))] = "edited"
    big_b = " ".join(words)
    ms = timed(lambda: diff_texts(big, big_b))
    print(f"diff_texts, {len(words):,} words as ONE paragraph, 50 edits: {ms:7.1f}")
    ms = timed(lambda: shared_passages(a, c))
    print(f"shared_passages, two different 20k-word texts:     {ms:7.1f}")
    ms = timed(lambda: align_paragraphs(a, c))
    print(f"align_paragraphs, two different 20k-word texts:    {ms:7.1f}")
    ms = timed(lambda: compare_sides(Side(a), Side(c)))
    print(f"compare_sides statements (all of the above):       {ms:7.1f}")


if __name__ == "__main__":
    main()
