"""Version diff on exact texts: paragraphs first, moved paragraphs as moves, then words within."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from compare.seqdiff import Opcode, opcodes
from compare.tokens import Paragraph, Tokens, paragraphs, tokenize

__all__ = ["Op", "Diff", "diff_texts", "MIN_MOVE_WORDS"]

# A paragraph shorter than this ("###", "Q") is too common to call its reappearance a move.
MIN_MOVE_WORDS = 4
# A paragraph that reappears elsewhere this similar (word-level ratio) moved and was edited.
MOVE_SIMILARITY = 0.75
_MAX_MOVE_CANDIDATES = 20_000  # pairs compared for edited moves; beyond, only exact moves
# Token pairs one edited-move comparison may cost (two 30,000-word paragraphs, ~0.1 s);
# longer pairs are only exact moves.
_MAX_MOVE_PAIR = 900_000_000


@dataclass(frozen=True)
class Op:
    """One operation: `left_*`/`right_*` are character offsets into the exact left/right texts.

    equal: same text (up to noise); insert: only on the right (left span empty, placed where
    the text would go); delete: only on the left; replace: left text became right text;
    move: text of a paragraph that stands at `left_*` on the left and at `right_*` on the
    right. A paragraph that moved and was also edited gives `move` ops for its unchanged runs
    and insert/delete/replace ops (at both places) for the edits inside it.
    """

    op: str
    left_start: int
    left_end: int
    right_start: int
    right_end: int


@dataclass(frozen=True)
class Diff:
    """The ops between two texts, in reading order of the right text."""

    left: str
    right: str
    ops: list[Op]
    left_tokens: Tokens
    right_tokens: Tokens
    token_ops: list[Opcode]  # same order as `ops`, in token positions
    moves: list[tuple[int, int, int, int]] = ()  # moved paragraphs: token ranges left, right

    @property
    def changed(self) -> bool:
        """True when anything other than noise differs."""
        return any(op.op != "equal" for op in self.ops)


def diff_texts(left: str, right: str) -> Diff:
    """Diff two exact texts; whitespace, NBSP, invisible characters and quote style never count."""
    lt, rt = tokenize(left), tokenize(right)
    lp, rp = paragraphs(lt), paragraphs(rt)
    lkeys = [_para_key(lt, p) for p in lp]
    rkeys = [_para_key(rt, p) for p in rp]
    blocks = SequenceMatcher(None, lkeys, rkeys, autojunk=False).get_opcodes()
    moves = _find_moves(blocks, lt, lp, lkeys, rkeys)
    moved_left = {i for i, _ in moves}
    moved_right = {j for _, j in moves}

    token_ops: list[Opcode] = []
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "equal":
            token_ops.extend(_equal_paragraphs(lp, rp, i1, i2, j1, j2))
            continue
        a_idx = _token_indices(lp, i1, i2, moved_left)
        b_idx = _token_indices(rp, j1, j2, moved_right)
        a_at = _start_position(lp, i1, len(lt))
        b_at = _start_position(rp, j1, len(rt))
        sub = opcodes([lt.keys[i] for i in a_idx], [rt.keys[j] for j in b_idx])
        token_ops.extend(_unpack(sub, a_idx, b_idx, a_at, b_at))
    for i, j in moves:
        sub = opcodes(lt.keys[lp[i].lo : lp[i].hi], rt.keys[rp[j].lo : rp[j].hi])
        token_ops.extend(
            (
                "move" if tag == "equal" else tag,
                a1 + lp[i].lo,
                a2 + lp[i].lo,
                b1 + rp[j].lo,
                b2 + rp[j].lo,
            )
            for tag, a1, a2, b1, b2 in sub
        )
    # Reading order of the right text; a deletion comes before what follows it on the right.
    token_ops.sort(key=lambda o: (o[3], o[4] > o[3]))
    if not token_ops:
        token_ops = [("equal", 0, 0, 0, 0)]
    left_spans = _char_spans([(o[1], o[2]) for o in token_ops], token_ops, lt)
    right_spans = _char_spans([(o[3], o[4]) for o in token_ops], token_ops, rt)
    ops = [
        Op(o[0], ls[0], ls[1], rs[0], rs[1])
        for o, ls, rs in zip(token_ops, left_spans, right_spans, strict=True)
    ]
    moved = [(lp[i].lo, lp[i].hi, rp[j].lo, rp[j].hi) for i, j in moves]
    return Diff(left, right, ops, lt, rt, token_ops, moved)


def _para_key(tokens: Tokens, p: Paragraph) -> str:
    return "\x00".join(tokens.keys[p.lo : p.hi])


def _find_moves(
    blocks: list[Opcode], lt: Tokens, lp: list[Paragraph], lkeys: list[str], rkeys: list[str]
) -> list[tuple[int, int]]:
    """(left paragraph, right paragraph) pairs that left one place and reappear elsewhere:
    unchanged, or (in another block of changes) edited but still mostly the same."""
    gone: dict[str, list[int]] = defaultdict(list)
    came: dict[str, list[int]] = defaultdict(list)
    block_of_left: dict[int, int] = {}
    block_of_right: dict[int, int] = {}
    for n, (tag, i1, i2, j1, j2) in enumerate(blocks):
        if tag != "equal":
            for i in range(i1, i2):
                gone[lkeys[i]].append(i)
                block_of_left[i] = n
            for j in range(j1, j2):
                came[rkeys[j]].append(j)
                block_of_right[j] = n
    pairs = []
    for key, lefts in gone.items():
        rights = came.get(key)
        if rights and lt.words(lp[lefts[0]].lo, lp[lefts[0]].hi) >= MIN_MOVE_WORDS:
            pairs.extend(zip(lefts, rights, strict=False))
    paired_left = {i for i, _ in pairs}
    paired_right = {j for _, j in pairs}
    lefts = [
        i
        for i in block_of_left
        if i not in paired_left and lt.words(lp[i].lo, lp[i].hi) >= MIN_MOVE_WORDS
    ]
    rights = [j for j in block_of_right if j not in paired_right]
    if lefts and rights and len(lefts) * len(rights) <= _MAX_MOVE_CANDIDATES:
        pairs.extend(_edited_moves(lefts, rights, lkeys, rkeys, block_of_left, block_of_right))
    return sorted(pairs)


def _edited_moves(
    lefts: list[int],
    rights: list[int],
    lkeys: list[str],
    rkeys: list[str],
    block_of_left: dict[int, int],
    block_of_right: dict[int, int],
) -> list[tuple[int, int]]:
    """Pairs of paragraphs that are each other's most similar counterpart and stand in
    different blocks of changes (a best match in the same block is an in-place edit)."""
    split_r = {j: rkeys[j].split("\x00") for j in rights}
    best_for_left: dict[int, tuple[float, int]] = {}
    best_for_right: dict[int, tuple[float, int]] = {}
    for i in lefts:
        words = lkeys[i].split("\x00")
        for j in rights:
            if len(words) * len(split_r[j]) > _MAX_MOVE_PAIR:
                continue  # a paragraph this long is a move only if unchanged (found above)
            # Indel similarity = 2 * common tokens / total (difflib's ratio on the longest common
            # subsequence), bit-parallel: two 20,000-word paragraphs in ms, not seconds.
            ratio = Indel.normalized_similarity(words, split_r[j], score_cutoff=MOVE_SIMILARITY)
            if ratio >= MOVE_SIMILARITY:
                if ratio > best_for_left.get(i, (0.0, -1))[0]:
                    best_for_left[i] = (ratio, j)
                if ratio > best_for_right.get(j, (0.0, -1))[0]:
                    best_for_right[j] = (ratio, i)
    return [
        (i, j)
        for i, (_r, j) in best_for_left.items()
        if best_for_right[j][1] == i and block_of_left[i] != block_of_right[j]
    ]


def _equal_paragraphs(
    lp: list[Paragraph], rp: list[Paragraph], i1: int, i2: int, j1: int, j2: int
) -> list[Opcode]:
    return [("equal", lp[i1].lo, lp[i2 - 1].hi, rp[j1].lo, rp[j2 - 1].hi)]


def _token_indices(paras: list[Paragraph], p1: int, p2: int, skip: set[int]) -> list[int]:
    return [t for p in range(p1, p2) if p not in skip for t in range(paras[p].lo, paras[p].hi)]


def _start_position(paras: list[Paragraph], p: int, n_tokens: int) -> int:
    return paras[p].lo if p < len(paras) else n_tokens


def _unpack(
    sub: list[Opcode], a_idx: list[int], b_idx: list[int], a_at: int, b_at: int
) -> list[Opcode]:
    """Map opcodes over index lists back to token positions, splitting at skipped (moved) gaps."""
    out: list[Opcode] = []
    a_pos, b_pos = a_at, b_at
    for tag, i1, i2, j1, j2 in sub:
        a_runs = _runs(a_idx[i1:i2]) or [(a_pos, a_pos)]
        b_runs = _runs(b_idx[j1:j2]) or [(b_pos, b_pos)]
        if tag == "equal":
            # Equal parts have the same length on both sides: cut both at every gap of either.
            cuts = sorted({0, i2 - i1} | _cut_points(a_idx[i1:i2]) | _cut_points(b_idx[j1:j2]))
            for c1, c2 in zip(cuts, cuts[1:], strict=False):
                out.append(
                    (
                        "equal",
                        a_idx[i1 + c1],
                        a_idx[i1 + c2 - 1] + 1,
                        b_idx[j1 + c1],
                        b_idx[j1 + c2 - 1] + 1,
                    )
                )
        else:
            for lo, hi in a_runs[:-1]:
                out.append(("delete", lo, hi, b_runs[0][0], b_runs[0][0]))
            for lo, hi in b_runs[:-1]:
                out.append(("insert", a_runs[-1][0], a_runs[-1][0], lo, hi))
            out.append((tag, *a_runs[-1], *b_runs[-1]))
        a_pos, b_pos = a_runs[-1][1], b_runs[-1][1]
    return out


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _cut_points(indices: list[int]) -> set[int]:
    return {k for k in range(1, len(indices)) if indices[k] != indices[k - 1] + 1}


def _char_spans(
    ranges: list[tuple[int, int]], token_ops: list[Opcode], tokens: Tokens
) -> list[tuple[int, int]]:
    """Character spans that tile the exact text; whitespace between an edit and equal text
    goes to the equal side so highlights hug the changed words."""
    n_chars = len(tokens.text)
    order = sorted(range(len(ranges)), key=lambda k: ranges[k])
    filled = [k for k in order if ranges[k][1] > ranges[k][0]]
    spans: list[tuple[int, int]] = [(0, 0)] * len(ranges)
    if not filled:
        for k in order:
            spans[k] = (0, n_chars) if k == order[0] else (n_chars, n_chars)
        return spans
    starts = [0] * len(filled)
    for n in range(1, len(filled)):
        prev, cur = filled[n - 1], filled[n]
        prev_core_end = tokens.ends[ranges[prev][1] - 1]
        cur_core_start = tokens.starts[ranges[cur][0]]
        if token_ops[prev][0] != "equal" and token_ops[cur][0] == "equal":
            starts[n] = prev_core_end
        else:
            starts[n] = cur_core_start
    ends = starts[1:] + [n_chars]
    for n, k in enumerate(filled):
        spans[k] = (starts[n], ends[n])
    # Empty ranges sit at the start of the next filled op (or at the very end).
    next_start = n_chars
    position = {k: n for n, k in enumerate(filled)}
    for k in reversed(order):
        if k in position:
            next_start = starts[position[k]]
        else:
            spans[k] = (next_start, next_start)
    return spans
