"""Version diff on real edits: exact offsets, noise ignored, moves, Chinese at character level."""

from compare import diff_texts, normalise_text, summarise
from compare.tokens import paragraphs, tokenize


def changes(diff):
    return [
        (o.op, diff.left[o.left_start : o.left_end], diff.right[o.right_start : o.right_end])
        for o in diff.ops
        if o.op != "equal"
    ]


def assert_tiles(diff):
    """Left spans (sorted) tile the left text exactly, right spans the right text."""
    for text, spans in (
        (diff.left, [(o.left_start, o.left_end) for o in diff.ops]),
        (diff.right, [(o.right_start, o.right_end) for o in diff.ops]),
    ):
        pos = 0
        for start, end in sorted(spans):
            assert start == pos
            pos = end
        assert pos == len(text)
    for o in diff.ops:
        if o.op in ("equal", "move"):
            left = normalise_text(diff.left[o.left_start : o.left_end])
            right = normalise_text(diff.right[o.right_start : o.right_end])
            assert left.split() == right.split() or left.replace(" ", "") == right.replace(" ", "")


def test_biden_macron_edit(macron):
    diff = diff_texts(macron[0], macron[1])
    assert changes(diff) == [
        ("replace", "are", "have"),
        ("replace", "that your allies in the United States are", "allies that America is"),
    ]
    replace = [o for o in diff.ops if o.op == "replace"][1]
    assert macron[0][: replace.left_start].endswith("Mr. President, are you convinced ")
    assert macron[0][replace.left_start :].startswith("that your allies in the United States are")
    assert macron[1][replace.right_start :].startswith("allies that America is back?")
    assert_tiles(diff)
    summary = summarise(diff)
    assert (summary["words_added"], summary["words_removed"], summary["words_changed"]) == (0, 4, 5)
    assert summary["changes"] == 2
    assert summary["identical"] is False
    assert 0.01 < summary["changed_share"] < 0.03


def test_nominations_name_fixed(nominations):
    diff = diff_texts(nominations[0], nominations[1])
    assert changes(diff) == [("replace", "Bradenburg", "Brandenburg")] * 2 + [
        ("replace", "Harris", "Harry"),
        ("replace", "Fund", "Foundation"),
    ]
    assert_tiles(diff)
    later = diff_texts(nominations[1], nominations[2])
    assert changes(later) == [("replace", "Harris", "Harry"), ("replace", "Fund", "Foundation")] * 3
    assert summarise(later)["words_changed"] == 6


def test_offsets_point_into_exact_texts(nominations):
    diff = diff_texts(nominations[0], nominations[1])
    op = next(o for o in diff.ops if o.op == "replace")
    assert nominations[0][op.left_start : op.left_end] == "Bradenburg"
    assert nominations[1][op.right_start : op.right_end] == "Brandenburg"
    assert nominations[0][: op.left_start] == nominations[1][: op.right_start]


def test_noise_only_real_pair(noise_pair):
    texts = [noise_pair["whitehouse-press"]["text"], noise_pair["whitehouse-briefings"]["text"]]
    assert texts[0] != texts[1]
    diff = diff_texts(texts[0], texts[1])
    assert not diff.changed
    assert {o.op for o in diff.ops} == {"equal"}
    assert summarise(diff)["identical"] is True
    assert_tiles(diff)


def test_noise_quotes_spaces_nbsp_invisible(macron):
    text = macron[0]
    noisy = (
        text.replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace(". ", ".\u00a0 ")
        .replace("\n\n", "\n \n\n")
        .replace("Biden", "\u2060Biden")
    )
    assert noisy != text
    diff = diff_texts(text, noisy)
    assert changes(diff) == []
    assert summarise(diff)["identical"] is True


def test_real_change_among_noise(macron):
    noisy = macron[1].replace("\u2019", "'").replace(" ", "\u00a0", 30)
    assert changes(diff_texts(macron[0], noisy)) == changes(diff_texts(macron[0], macron[1]))


def test_case_and_punctuation_are_changes():
    diff = diff_texts("We condemn the attack.", "We Condemn the attack!")
    assert changes(diff) == [("replace", "condemn", "Condemn"), ("replace", ".", "!")]


def test_moved_paragraph_is_a_move(nominations):
    text = nominations[0]
    paras = text.split("\n\n")
    moved = paras.pop(3)
    reordered = "\n\n".join(paras[:10] + [moved] + paras[10:])
    diff = diff_texts(text, reordered)
    assert changes(diff) == [("move", moved, moved)]
    move = next(o for o in diff.ops if o.op == "move")
    assert text.index(moved) == move.left_start
    assert reordered.index(moved) == move.right_start
    summary = summarise(diff)
    assert summary["words_moved"] == len(tokenize(moved).keys) - sum(
        not w for w in tokenize(moved).is_word
    )
    assert summary["words_moved"] > 5
    assert (summary["words_added"], summary["words_removed"], summary["changed_share"]) == (0, 0, 0)
    assert_tiles(diff)


def test_move_with_edits_elsewhere(macron):
    paras = macron[1].split("\n\n")
    moved = paras.pop(2)
    paras.append(moved)
    paras[5] = paras[5] + " Added words here."
    diff = diff_texts(macron[0], "\n\n".join(paras))
    kinds = [op for op, _, _ in changes(diff)]
    assert kinds.count("move") == 1
    assert ("insert", "", "Added words here.") in changes(diff)
    assert (
        "replace",
        "that your allies in the United States are",
        "allies that America is",
    ) in changes(diff)
    assert_tiles(diff)


def test_inserted_and_deleted_paragraphs(macron):
    paras = macron[0].split("\n\n")
    added = "PRESIDENT BIDEN: This paragraph was added after publication."
    edited = "\n\n".join(paras[:4] + [added] + paras[5:])
    diff = diff_texts(macron[0], edited)
    got = changes(diff)
    assert paras[4].startswith("PRESIDENT BIDEN: ")  # the speaker label is kept as equal
    assert got == [
        (
            "replace",
            paras[4].removeprefix("PRESIDENT BIDEN: "),
            added.removeprefix("PRESIDENT BIDEN: "),
        )
    ]
    only_insert = diff_texts(macron[0], "\n\n".join(paras[:4] + [added] + paras[4:]))
    ins = [o for o in only_insert.ops if o.op != "equal"]
    assert [o.op for o in ins] == ["insert"]
    assert ins[0].left_start == ins[0].left_end == macron[0].index(paras[4])
    assert only_insert.right[ins[0].right_start : ins[0].right_end] == added
    assert summarise(only_insert)["words_added"] == 8


def test_chinese_is_compared_by_character(zh_paragraphs):
    v1 = "\n\n".join(zh_paragraphs)
    v2 = v1.replace("我们对此表示赞赏和欢迎", "我们对此表示欢迎")
    v2 = v2.replace("两次通电话", "三次通电话")
    diff = diff_texts(v1, v2)
    assert changes(diff) == [("delete", "赞赏和", ""), ("replace", "两", "三")]
    summary = summarise(diff)
    assert (summary["words_removed"], summary["words_changed"]) == (3, 1)


def test_tokens_and_paragraphs():
    tokens = tokenize("G20峰会 don’t\u00a0stop.\n\nNext")
    assert tokens.keys == ["G20", "峰", "会", "don't", "stop", ".", "Next"]
    assert tokens.text[tokens.starts[3] : tokens.ends[3]] == "don’t"
    paras = paragraphs(tokens)
    assert [(p.lo, p.hi) for p in paras] == [(0, 6), (6, 7)]


def test_empty_and_identical_texts():
    assert not diff_texts("", "").changed
    diff = diff_texts("", "New text.")
    assert [(o.op, o.right_start, o.right_end) for o in diff.ops] == [("insert", 0, 9)]
    same = diff_texts("Same words.", "Same words.")
    assert [o.op for o in same.ops] == ["equal"]


def test_moved_and_edited_paragraph(nominations):
    text = nominations[0]
    paras = text.split("\n\n")
    moved = paras.pop(3)
    assert moved.startswith("Jack Markell, Nominee for Representative")
    edited = moved.replace("Markell", "Markel")
    reordered = "\n\n".join(paras[:10] + [edited] + paras[10:])
    diff = diff_texts(text, reordered)
    got = changes(diff)
    assert ("replace", "Markell", "Markel") in got
    assert {op for op, _, _ in got} == {"move", "replace"}
    assert "".join(b for op, _, b in got if op == "move").replace(" ", "") == edited.replace(
        "Markel", ""
    ).replace(" ", "")
    for o in diff.ops:
        if o.op != "equal":
            assert text.index(moved) <= o.left_start <= o.left_end <= text.index(moved) + len(moved)
    summary = summarise(diff)
    assert summary["words_changed"] == 1
    assert summary["words_moved"] == len(moved.split()) - 1
    assert_tiles(diff)


def test_one_long_paragraph_without_sentences_gives_exactly_the_edits():
    # 6,000 words in one paragraph and no sentence end: too large for the exact matcher, so the
    # word step runs on the whole region (it was quadratic here: seconds for 20,000 words).
    words = [f"w{(n * 7919) % 4001}" for n in range(6000)]
    edited = list(words)
    edited[1200] = "Ukraine"
    del edited[3000:3003]
    edited.insert(4500, "inserted")
    left, right = " ".join(words), " ".join(edited)
    diff = diff_texts(left, right)
    assert changes(diff) == [
        ("replace", words[1200], "Ukraine"),
        ("delete", " ".join(words[3000:3003]), ""),
        ("insert", "", "inserted"),
    ]
    assert_tiles(diff)


def test_edited_move_found_among_long_paragraphs():
    # Two 3,000-word paragraphs swap places and one of them is also edited: still a move.
    first = " ".join(f"a{n}" for n in range(3000))
    second = " ".join(f"b{n}" for n in range(3000))
    second_edited = second.replace("b1500 ", "changed ")
    diff = diff_texts(
        f"{first}\n\n{second}\n\nend of text here",
        f"{second_edited}\n\n{first}\n\nend of text here",
    )
    found = [(op, a.strip(), b.strip()) for op, a, b in changes(diff)]
    assert [op for op, _, _ in found] == ["move", "replace", "move"]
    assert found[1] == ("replace", "b1500", "changed")
    assert_tiles(diff)


def test_hundred_thousand_words_in_one_paragraph_give_exactly_the_edits():
    # Anchored on words found once on each side, then each gap diffed on its own.
    words = [f"w{n}" for n in range(100_000)]
    edited = list(words)
    edited[10] = "first"
    edited[50_000:50_002] = ["middle"]
    edited.insert(99_000, "late")
    diff = diff_texts(" ".join(words), " ".join(edited))
    assert [(op, a.strip(), b.strip()) for op, a, b in changes(diff)] == [
        ("replace", "w10", "first"),
        ("replace", "w50000 w50001", "middle"),
        ("insert", "", "late"),
    ]
    assert_tiles(diff)


def test_longest_increasing_run_of_anchors():
    from compare.seqdiff import _increasing

    assert _increasing([(0, 5), (1, 1), (2, 2), (3, 9), (4, 3), (5, 4)]) == [
        (1, 1),
        (2, 2),
        (4, 3),
        (5, 4),
    ]
    assert _increasing([]) == []
