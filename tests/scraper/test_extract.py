"""Text conventions, sanitising, charsets, dates, kinds, speakers and bot challenges."""

from __future__ import annotations

import gzip

import pytest

from scraper.decode import BodyTooLarge, decode_content, decode_text
from scraper.extract.challenge import unusable_reason
from scraper.extract.dates import parse_date
from scraper.extract.html_clean import html_to_text
from scraper.extract.kinds import kind_for, speaker_for, speaker_from_title
from scraper.extract.sanitise import sanitise_html
from scraper.sources import load_sources


def test_text_follows_the_interchange_conventions():
    html = (
        "<div><p>One&nbsp;&nbsp; two\tthree</p><p>  </p><p>Line<br>break</p>"
        "<p>Para<br><br>split</p><ul><li>a</li><li><a href='x'>b</a> c</li></ul>"
        "<script>var x = 1;</script><style>p{}</style><img src='i.png'>"
        "<h2>Head</h2>tail text</div>"
    )
    assert (
        html_to_text(html)
        == "One two three\n\nLine\nbreak\n\nPara\n\nsplit\n\na\n\nb c\n\nHead\n\ntail text"
    )


def test_sanitised_html_has_no_active_or_remote_content():
    html = (
        '<p onclick="evil()">Hi <a href="javascript:alert(1)">x</a> <a href="https://ok.example/">y</a>'
        '<img src="https://tracker.example/p.gif"><iframe src="https://x"></iframe>'
        '<form action="/post"><input name="q">search</form><style>p{}</style>'
        "<script>alert(1)</script></p>"
    )
    clean = sanitise_html(html)
    for banned in (
        "onclick",
        "javascript:",
        "<img",
        "<iframe",
        "<form",
        "<input",
        "<script",
        "<style",
        "tracker.example",
        "alert",
    ):
        assert banned not in clean
    assert '<a href="https://ok.example/" rel="noopener noreferrer nofollow">y</a>' in clean
    assert clean.startswith("<p>Hi ")


def test_charset_header_then_meta_then_detection():
    russian = "<html><head><meta charset='windows-1251'></head><body>Заявление МИД</body></html>"
    body = russian.encode("cp1251")
    assert decode_text(body, "text/html; charset=utf-8") == (
        russian,
        "windows-1251",
    )  # wrong header
    assert decode_text(body, "text/html")[0] == russian  # no header: <meta>
    plain = "<p>Заявление Министерства иностранных дел Российской Федерации</p>" * 5
    text, encoding = decode_text(plain.encode("cp1251"), None)  # neither: detection
    assert text == plain
    assert encoding in ("windows-1251", "cp1251")
    chinese = "<meta charset='utf-8'><p>外交部发言人</p>".encode()
    assert decode_text(chinese, "text/html; charset=iso-8859-1")[0].endswith("外交部发言人</p>")


def test_decompression_is_capped():
    bomb = gzip.compress(b"0" * (30 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(BodyTooLarge, match="compression bomb"):
        decode_content(bomb, "gzip", max_bytes=10 * 1024 * 1024)
    assert decode_content(gzip.compress(b"hello"), "gzip", max_bytes=10) == b"hello"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Sat, 22 May 2021 12:00:47 +0000", "2021-05-22T12:00:47+00:00"),
        ("2021-05-22T08:00:47-04:00", "2021-05-22T08:00:47-04:00"),
        ("2018-11-07", "2018-11-07"),
        ("January 9, 2019", "2019-01-09"),
        ("2018年11月7日", "2018-11-07"),
        ("8 мая 2025 года, 10:10", "2025-05-08T10:10:00"),
        ("not a date at all", None),
    ],
)
def test_dates_keep_the_zone_and_give_date_only_when_no_time(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        (
            "Statement by NSC Spokesperson Adrienne Watson on the Visit of Prime Minister Suga",
            "NSC Spokesperson Adrienne Watson",
        ),
        ("Remarks by President Biden Before Marine One Departure", "President Biden"),
        ("Press Briefing by Press Secretary Jen Psaki, May 24, 2021", "Press Secretary Jen Psaki"),
        ("Statement by the White House Press Secretary on Egypt", "White House Press Secretary"),
        ("Background Press Call by Senior Administration Officials on the G7", None),
        ("Readout of President Biden’s Call with President Moon", None),
    ],
)
def test_speaker_from_white_house_titles(title, speaker):
    source = load_sources()["us-whitehouse"]
    assert speaker_for(source, title=title) == speaker


def test_kinds_from_titles_then_categories():
    sources = load_sources()
    wh, state = sources["us-whitehouse"], sources["us-state"]
    assert kind_for(wh, "FACT SHEET: Something", ["Statements and Releases"]) == "fact-sheet"
    assert kind_for(wh, "Statement by President Biden", ["Statements and Releases"]) == "statement"
    assert (
        kind_for(wh, "A Proclamation on Memorial Day", ["Presidential Actions"])
        == "presidential-action"
    )
    assert (
        kind_for(wh, "Press Briefing by Press Secretary Jen Psaki", ["Press Briefings"])
        == "press-briefing"
    )
    assert (
        kind_for(state, "Secretary Blinken’s Call with Israeli Foreign Minister Ashkenazi", [])
        == "readout"
    )
    assert (
        kind_for(state, "Secretary Antony J. Blinken on CNN’s State of the Union", []) == "remarks"
    )
    assert kind_for(state, "DEPARTMENT PRESS BRIEFING – June 17, 2021", []) == "press-briefing"
    assert kind_for(state, "Yemen National Day", []) == "statement"
    assert speaker_from_title("Yemen National Day") is None


def test_state_speaker_is_the_creator_unless_an_office():
    state = load_sources()["us-state"]
    assert (
        speaker_for(state, title="x", creator="Antony J. Blinken, Secretary of State")
        == "Antony J. Blinken, Secretary of State"
    )
    assert speaker_for(state, title="x", creator="Office of the Spokesperson") is None


def test_error_empty_and_challenge_pages_are_not_statements():
    assert unusable_reason(503, b"<p>text</p>") == "HTTP 503"
    assert unusable_reason(200, b"  \n") == "empty body"
    f5 = b'<html><head><script>window["bobcmn"] = "1011";</script><script src="/TSPD/08ab12cd34ef56?type=9"></script></head></html>'
    assert unusable_reason(200, f5) == "F5 bot challenge page"
    arvan = b"<html><script>document.cookie='__arcsjs=abc'; location.reload();</script><p>ArvanCloud</p></html>"
    assert unusable_reason(200, arvan) == "ArvanCloud cookie gate"
    real = (
        b"<html><p>"
        + b"Statement text. " * 4000
        + b"</p><script src='https://cdn.arvancloud.ir/x.js'></script></html>"
    )
    assert unusable_reason(200, real) is None


def test_atom_entries_keep_content_and_the_declared_update():
    from scraper.discover.feed import parse_feed
    from scraper.exchange import Exchange

    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>MFA</title><id>urn:x</id>
<updated>2024-03-02T09:00:00+03:00</updated>
<entry><title>Statement on X</title><id>urn:mfa:1</id><link href="https://mfa.example/1"/>
<published>2024-03-01T10:00:00+03:00</published><updated>2024-03-02T09:00:00+03:00</updated>
<author><name>Maria Zakharova</name></author><category term="Statements"/>
<content type="html">&lt;p&gt;First.&lt;/p&gt;&lt;p&gt;Second &lt;b&gt;bold&lt;/b&gt;.&lt;/p&gt;</content></entry>
</feed>"""
    [entry] = parse_feed(Exchange(url="https://mfa.example/feed", fetched_at="x", body=atom))
    assert (entry.key, entry.url, entry.title) == (
        "urn:mfa:1",
        "https://mfa.example/1",
        "Statement on X",
    )
    assert entry.published == "2024-03-01T10:00:00+03:00"
    assert entry.modified == "2024-03-02T09:00:00+03:00"
    assert entry.html == "<p>First.</p><p>Second <b>bold</b>.</p>"
    assert (entry.creator, entry.categories) == ("Maria Zakharova", ["Statements"])
    assert html_to_text(entry.html) == "First.\n\nSecond bold."


def test_xhtml_with_an_xml_declaration_parses():
    from scraper.extract.page import extract_page

    source = load_sources()["cn-mfa-en"]
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        '<body><div class="content_mod"><h2 class="title">A title</h2>'
        '<div class="content"><p>Body text.</p></div></div></body></html>'
    )
    found = extract_page(source, page, "https://www.fmprc.gov.cn/mfa_eng/x/t1.shtml")
    assert (found.title, found.text) == ("A title", "Body text.")
