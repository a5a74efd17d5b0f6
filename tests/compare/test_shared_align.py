"""Shared passages and paragraph alignment between two different real statements."""

from compare import align_paragraphs, shared_passages

QUOTE = "new investment, trade, and financing by U.S. persons to, from, or in the so-called"


def test_shared_sentence_white_house_and_state(shared_pair):
    wh, st = shared_pair["whitehouse"]["text"], shared_pair["state"]["text"]
    passages = shared_passages(wh, st)
    assert [p.text for p in passages] == [QUOTE]
    p = passages[0]
    assert (p.left_start, p.left_end) == (wh.index(QUOTE), wh.index(QUOTE) + len(QUOTE))
    assert st[p.right_start : p.right_end] == QUOTE
    assert p.words == 16


def test_shorter_minimum_finds_more(shared_pair):
    wh, st = shared_pair["whitehouse"]["text"], shared_pair["state"]["text"]
    texts = [p.text for p in shared_passages(wh, st, min_words=5)]
    assert texts == ["an Executive Order that will prohibit", QUOTE]


def test_robust_to_case_and_punctuation(shared_pair):
    wh, st = shared_pair["whitehouse"]["text"], shared_pair["state"]["text"]
    garbled = st.replace("investment, trade, and financing", "INVESTMENT; trade – and Financing")
    garbled = garbled.replace("to, from, or in", "to/from or in")
    passages = shared_passages(wh, garbled)
    assert len(passages) == 1
    right = garbled[passages[0].right_start : passages[0].right_end]
    assert right.startswith("new INVESTMENT; trade – and Financing by U.S. persons to/from or in")
    assert right.endswith("the so-called")


def test_unrelated_statements_share_nothing(macron, nominations):
    assert shared_passages(macron[0], nominations[0]) == []


def test_chinese_shared_passage(zh_paragraphs):
    quote = zh_paragraphs[1][:40]
    other = "外交部发言人表示：" + quote + "。这是另一份声明的内容，与前者无关。"
    passages = shared_passages("\n\n".join(zh_paragraphs), other)
    assert len(passages) == 1
    assert other[passages[0].right_start : passages[0].right_end] in quote + "。"
    assert passages[0].words >= 30


def test_alignment_pairs_the_executive_order_paragraphs(shared_pair):
    wh, st = shared_pair["whitehouse"]["text"], shared_pair["state"]["text"]
    rows = align_paragraphs(wh, st)
    matched = [
        (wh[r.left[0] : r.left[1]], st[r.right[0] : r.right[1]]) for r in rows if r.left and r.right
    ]
    assert len(matched) == 1
    assert matched[0][0].startswith("We have anticipated a move like this")
    assert matched[0][1].startswith("President Biden will sign an Executive Order")
    # every paragraph appears once, in its own order
    lefts = [r.left for r in rows if r.left]
    rights = [r.right for r in rows if r.right]
    assert lefts == sorted(lefts)
    assert len(lefts) == len(wh.split("\n\n"))
    assert rights == sorted(rights)
    assert len(rights) == len(st.split("\n\n"))


def test_alignment_keeps_order_of_similar_paragraphs(macron):
    a = macron[0]
    paras = a.split("\n\n")
    b = "\n\n".join(p.upper() for p in paras[:6])
    rows = align_paragraphs(a, b)
    pairs = [
        (a[r.left[0] : r.left[1]], b[r.right[0] : r.right[1]]) for r in rows if r.left and r.right
    ]
    long_pairs = [(x, y) for x, y in pairs if len(x.split()) > 3]
    assert long_pairs
    assert all(x.upper() == y for x, y in long_pairs)
