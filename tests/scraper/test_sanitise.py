"""The one sanitiser: safe markup, and untrusted nesting bounded before any parser sees it."""

import re

import lxml.html

from scraper.extract.sanitise import MAX_DEPTH, MAX_TABLES, flatten_markup, sanitise_html


def words(markup: str) -> list[str]:
    """The words in `markup` (entities decoded); a tag boundary separates words, so only text
    that really runs together in one text node makes one word."""
    return " ".join(lxml.html.fromstring(f"<div>{markup}</div>").itertext()).split()


def depth(markup: str) -> int:
    """Deepest element nesting in sanitised (well-formed) markup."""
    deepest = level = 0
    for m in re.finditer(r"<(/?)([a-z0-9]+)[^>]*?(/?)>", markup):
        if m.group(2) in ("br", "hr", "col", "wbr"):
            continue
        level += -1 if m.group(1) else 1
        deepest = max(deepest, level)
    return deepest


def nested_tables(n: int) -> str:
    cells = "<table><tr><td>cell{i} left</td><td>"
    return "".join(cells.format(i=i) for i in range(n)) + "core" + "</td></tr></table>" * n


def test_fifteen_and_twenty_nested_tables_keep_every_word_in_at_most_max_tables():
    for n in (15, 20):
        clean = sanitise_html(nested_tables(n))
        assert clean.count("<table>") == MAX_TABLES
        assert words(clean) == [w for i in range(n) for w in (f"cell{i}", "left")] + ["core"]


def test_five_thousand_nested_divs_keep_the_text_at_bounded_depth():
    markup = "<div>" * 5000 + "deep words here" + "</div>" * 5000 + "<p>after</p>"
    clean = sanitise_html(markup)
    assert words(clean) == ["deep", "words", "here", "after"]
    assert depth(clean) == MAX_DEPTH


def test_hundred_thousand_nested_divs_with_text_at_every_level():
    n = 100_000
    markup = "".join(f"<div>w{i} " for i in range(n)) + "</div>" * n
    clean = sanitise_html(markup)
    assert words(clean) == [f"w{i}" for i in range(n)]
    assert depth(clean) <= MAX_DEPTH


def test_text_beyond_the_parsers_depth_limit_is_not_lost():
    # lxml's parser drops everything below depth 256; flattening first keeps it.
    markup = "<span>" * 300 + "<b>bottom</b> text" + "</span>" * 300
    assert words(sanitise_html(markup)) == ["bottom", "text"]


def test_two_hundred_thousand_entities():
    clean = sanitise_html("<p>" + "&amp; " * 200_000 + "end</p>")
    assert words(clean) == ["&"] * 200_000 + ["end"]


def test_unwrapped_blocks_and_cells_never_glue_words_together():
    markup = "<div>" * 40 + "<div>one</div><div>two</div><p>three</p>" + "</div>" * 40
    assert words(sanitise_html(markup)) == ["one", "two", "three"]


def test_flatten_follows_implied_end_tags_so_sloppy_markup_is_not_flattened():
    # Unclosed <p> and <li>, as many pages have them: siblings, not ever deeper nesting.
    markup = "<div>" + "<p>para" * 100 + "<ul>" + "<li>item" * 100 + "</ul></div>"
    flat = flatten_markup(markup)
    assert flat.count("<p>") == 100
    assert flat.count("<li>") == 100
    assert depth(sanitise_html(markup)) <= 3


def test_raw_text_and_comments_are_not_read_as_tags():
    markup = "<div><script>var s = '<div><div>';</script><!-- <div> -->kept</div>"
    assert flatten_markup(markup, max_depth=1) == markup
    assert sanitise_html(markup) == "<div>kept</div>"


def test_links_only_web_mail_and_fragments():
    clean = sanitise_html(
        '<a href="https://a.example/x">web</a><a href="/relative">rel</a>'
        '<a href="mailto:x@example.org">mail</a><a href="#n1">note</a><a href="data:x">data</a>'
    )
    hrefs = re.findall(r'href="([^"]*)"', clean)
    assert hrefs == ["https://a.example/x", "mailto:x@example.org", "#n1"]
    assert words(clean) == ["web", "rel", "mail", "note", "data"]


def test_entities_come_out_as_the_parser_reads_them():
    markup = (
        "<p>a &amp; b &lt;c&gt; &#38; d & e &nbsp;f &amp;lt; "
        '<a href="https://x.example/?a=1&amp;b=2">l</a></p>'
    )
    assert sanitise_html(markup) == (
        "<p>a &amp; b &lt;c&gt; &amp; d &amp; e &nbsp;f &amp;lt; "
        '<a href="https://x.example/?a=1&amp;b=2" rel="noopener noreferrer nofollow">l</a></p>'
    )


def test_plain_text_of_markup_nested_beyond_the_parser_limit_is_kept():
    from scraper.extract.html_clean import html_to_text

    markup = "<div>" * 1000 + "<p>deep words</p><p>second</p>" + "</div>" * 1000 + "<p>after</p>"
    assert html_to_text(markup).split() == ["deep", "words", "second", "after"]
    shallow = "<div>" * 50 + "<p>deep words</p><p>second</p>" + "</div>" * 50 + "<p>after</p>"
    assert html_to_text(shallow) == "deep words\n\nsecond\n\nafter"


def test_import_stores_a_hundred_thousand_deep_record_with_all_its_words(tmp_path):
    import json

    from db import Archive, SearchQuery
    from db.importer import import_jsonl

    n = 100_000
    html = "<div>" * n + "<p>Deep statement text.</p>" + "</div>" * n
    record = {
        "url": "https://www.state.gov/deep/",
        "source": "us-state",
        "title": "Deep",
        "published": "2022-07-01",
        "language": "en",
        "text": "Deep statement text.",
        "html": html,
    }
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Archive.open(tmp_path / "a", create=True) as arc:
        report = import_jsonl(arc, path, clean_html=sanitise_html)
        assert report.new == 1
        hit = arc.search(SearchQuery("deep")).hits[0]
        stored = arc.get_statement(hit.archive_id).current.html
    assert words(stored) == ["Deep", "statement", "text."]
    assert depth(stored) <= MAX_DEPTH


def test_tag_soup_that_never_closes_a_tag_is_copied_as_text():
    # "<a <a <a…" and unterminated quotes: no tag is read across a "<" (this was quadratic).
    soup = "<a " * 200_000 + 'x <b title="' + "<i " * 100_000 + "y"
    assert flatten_markup(soup) == soup
    deep = "<div>" * 100 + "<a <a <a " + "<p>words</p>" + "</div>" * 100
    flat = flatten_markup(deep)
    assert flat.count("<div>") == MAX_DEPTH
    # The broken tag stays text, so it cannot swallow the words once <p> is unwrapped.
    assert words(sanitise_html(deep)) == ["<a", "<a", "<a", "words"]
    assert sanitise_html('<p title="a<b">x</p>') == "<p>x</p>"  # "<" inside a value is no text
