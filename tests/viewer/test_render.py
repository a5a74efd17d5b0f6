"""Rich-text building: escaping, highlights (Latin and CJK), snippets, safe markup, direction."""

from db import HIGHLIGHT_END, HIGHLIGHT_START
from viewer import render

MARK = f'<span style="{render.HIGHLIGHT_STYLE}">'


def test_snippet_markers_become_highlights_after_escaping():
    start, end = HIGHLIGHT_START, HIGHLIGHT_END
    snippet = f"…a <b>bold</b> & {start}drones{end} from {start}Iran{end}…"
    html = render.snippet_to_html(snippet, HIGHLIGHT_START, HIGHLIGHT_END)
    assert html == f"…a &lt;b&gt;bold&lt;/b&gt; &amp; {MARK}drones</span> from {MARK}Iran</span>…"
    assert render.snippet_plain(snippet, HIGHLIGHT_START, HIGHLIGHT_END) == (
        "…a <b>bold</b> & drones from Iran…"
    )


def test_unbalanced_marker_is_dropped_not_rendered():
    html = render.snippet_to_html(f"x {HIGHLIGHT_START}y", HIGHLIGHT_START, HIGHLIGHT_END)
    assert html == "x y"


def test_query_terms_drop_operators_and_quotes():
    assert render.query_terms('"Iran and Russia" OR drone* NOT') == [
        "Iran",
        "and",
        "Russia",
        "drone",
    ]


def test_highlight_latin_word_and_its_inflections():
    html = render.highlight_escaped("Drones & drone <strikes>", ["drone"])
    assert html == f"{MARK}Drones</span> &amp; {MARK}drone</span> &lt;strikes&gt;"


def test_highlight_cjk_marks_only_the_term():
    html = render.highlight_escaped("据报道，美国国务卿蓬佩奥", ["美国"])
    assert html == f"据报道，{MARK}美国</span>国务卿蓬佩奥"


def test_paragraphs_and_line_breaks_kept():
    html = render.text_to_html("One\nline two\n\nPara <2>")
    assert html == "<p>One<br/>line two</p>\n<p>Para &lt;2&gt;</p>"


def test_safe_markup_keeps_structure_drops_everything_active():
    html = render.safe_markup(
        '<p onclick="x()" style="background:url(http://t/a.png)">Hi <img src="http://t/p.gif">'
        '<a href="javascript:alert(1)">js</a> <a href="https://ok.example/">ok</a></p>'
        "<script>alert(1)</script><style>p{}</style><iframe src='http://t/f'></iframe>"
        "<ul><li>one</li></ul>"
    )
    # The archive's one sanitiser marks every link rel="noopener noreferrer nofollow".
    rel = 'rel="noopener noreferrer nofollow"'
    assert html == (
        f'<p>Hi <a {rel}>js</a> <a href="https://ok.example/" {rel}>ok</a></p><ul><li>one</li></ul>'
    )


def test_right_to_left_languages():
    assert [render.is_rtl(code) for code in ("fa", "ar", "he", "fa-IR", "en", "zh", None)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_long_lead_before_the_match_is_shortened_to_keep_it_visible():
    start, end = HIGHLIGHT_START, HIGHLIGHT_END
    snippet = f"…a long lead of text that goes on and on about things {start}Ukraine{end} tail"
    html = render.snippet_to_html(snippet, start, end, lead=24)
    assert html == f"…goes on and on about things {MARK}Ukraine</span> tail"
    short = render.snippet_to_html(f"short {start}x{end} y", start, end, lead=24)
    assert short == f"short {MARK}x</span> y"


def test_safe_markup_is_the_archives_one_sanitiser_with_its_depth_limit():
    from scraper.extract.sanitise import MAX_DEPTH, sanitise_html

    hostile = "<div>" * 5000 + "<p>deep words</p>" + "</div>" * 5000
    html = render.safe_markup(hostile)
    assert html == sanitise_html(hostile)
    assert html.count("<div>") == MAX_DEPTH
    assert "deep words" in html
