"""The whole comparison: JSON shape, rows, "changes only", self-contained HTML export."""

import json
import re
import subprocess
import sys
from pathlib import Path

from compare import Side, compare_sides, comparison_html, panes_html, to_json, visible_rows
from compare.comparison import edit_kind


def versions(texts, declared=(None, None)):
    return [
        Side(
            text=t,
            id="us-whitehouse:515cb7115237",
            version=n + 1,
            title="Remarks",
            source="us-whitehouse",
            source_name="The White House",
            declared_modified=declared[n],
        )
        for n, t in enumerate(texts)
    ]


def test_json_shape_versions(macron):
    c = compare_sides(*versions(macron))
    data = json.loads(json.dumps(to_json(c)))
    assert data["mode"] == "versions"
    assert set(data) == {"left", "right", "mode", "ops", "shared", "rows", "summary"}
    assert data["left"]["id"] == "us-whitehouse:515cb7115237"
    assert data["left"]["version"] == 1
    assert data["right"]["version"] == 2
    assert data["right"]["source"] == "us-whitehouse"
    changed = [o for o in data["ops"] if o["op"] != "equal"]
    assert changed[1]["left"]["text"] == "that your allies in the United States are"
    assert changed[1]["right"]["text"] == "allies that America is"
    for o in data["ops"]:
        assert macron[0][o["left"]["start"] : o["left"]["end"]] == o["left"]["text"]
        assert macron[1][o["right"]["start"] : o["right"]["end"]] == o["right"]["text"]
    assert "".join(o["right"]["text"] for o in data["ops"]) == macron[1]
    assert data["shared"] == []
    assert data["summary"]["edit"] == "silent"
    assert data["summary"]["words_removed"] == 4


def test_declared_edit(macron):
    left, right = versions(macron, declared=(None, "2021-06-12T22:00:00+00:00"))
    assert edit_kind(left, right) == "declared"
    assert compare_sides(left, right).summary["edit"] == "declared"
    assert edit_kind(*versions(macron, declared=("2021-06-12", "2021-06-12"))) == "silent"


def test_noise_only_versions_report_no_edit(noise_pair):
    texts = [noise_pair["whitehouse-press"]["text"], noise_pair["whitehouse-briefings"]["text"]]
    c = compare_sides(*versions(texts))
    assert c.summary["identical"] is True
    assert c.summary["edit"] is None


def test_json_shape_statements(shared_pair):
    wh, st = shared_pair["whitehouse"], shared_pair["state"]
    c = compare_sides(
        Side(wh["text"], id="us-whitehouse:aaaaaaaaaaaa", version=1),
        Side(st["text"], id="us-state:bbbbbbbbbbbb", version=1),
    )
    data = to_json(c)
    assert data["mode"] == "statements"
    assert len(data["shared"]) == 1
    s = data["shared"][0]
    assert wh["text"][s["left_start"] : s["left_end"]] == s["text"]
    assert st["text"][s["right_start"] : s["right_end"]] == s["text"]
    assert data["summary"]["shared_passages"] == 1
    assert data["summary"]["shared_words"] == 16
    assert data["summary"]["aligned_paragraphs"] == 1


def test_rows_pair_corresponding_paragraphs(macron):
    c = compare_sides(*versions(macron))
    assert len(c.rows) == len(macron[0].split("\n\n"))
    for row in c.rows:
        left = macron[0][row.left[0] : row.left[1]]
        right = macron[1][row.right[0] : row.right[1]]
        if "convinced" in left:
            assert right == "Q Mr. President, have you convinced allies that America is back?"
        else:
            assert left == right


def test_anchors_rise_on_both_sides(nominations):
    c = compare_sides(*versions(nominations[:2]))
    anchors = c.anchors()
    assert anchors[0] == (0, 0)
    assert anchors[-1] == (len(nominations[0]), len(nominations[1]))
    pairs = zip(anchors, anchors[1:], strict=False)
    assert all(a2 >= a1 and b2 >= b1 for (a1, b1), (a2, b2) in pairs)


def test_visible_rows_keep_three_rows_of_context():
    changed = [False] * 20
    changed[10] = True
    assert visible_rows(changed) == [("gap", 7), 7, 8, 9, 10, 11, 12, 13, ("gap", 6)]
    assert visible_rows([True, False, False]) == [0, 1, 2]
    assert visible_rows([False] * 4) == [("gap", 4)]


def test_html_export_is_self_contained(nominations):
    c = compare_sides(*versions(nominations[:2]))
    page = comparison_html(c)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert not re.search(r"(src|href)\s*=", page, re.I)
    assert "url(" not in page
    assert "us-whitehouse:515cb7115237@1" in page
    assert "us-whitehouse:515cb7115237@2" in page
    assert 'title="replaced">Bradenburg</span>' in page
    assert 'title="replaced">Brandenburg</span>' in page
    assert "silent edit" in page
    short = comparison_html(c, changes_only=True)
    assert "unchanged paragraphs ⋯" in short
    assert len(short) < len(page) / 2
    assert short.count("Bradenburg") == 2


def test_html_escapes_text():
    c = compare_sides(Side("<b>bold</b> & more text"), Side("<i>bold</i> & more text"))
    page = comparison_html(c)
    assert "<b>bold" not in page
    assert "&lt;b&gt;" in page


def test_panes_html_for_three_versions(nominations):
    sides = versions(nominations[:2]) + [
        Side(nominations[2], id="us-whitehouse:515cb7115237", version=3)
    ]
    chain = [compare_sides(sides[0], sides[1]), compare_sides(sides[1], sides[2])]
    page = panes_html(chain)
    assert page.count("<th>") == 3
    assert 'title="replaced">Foundation</span>' in page


def test_compare_package_never_imports_qt():
    code = (
        "import sys, compare, compare.load, compare.html_export; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'PyQt'))]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_html_export_marks_right_to_left_columns():
    sides = [Side("بیانیه امروز منتشر شد.", language="fa"), Side("Statement released today.")]
    page = comparison_html(compare_sides(*sides))
    assert '<td dir="rtl">' in page
    assert '<td dir="auto">' in page
