"""The shipped sources on real captures (en.kremlin.ru 2020) and on documented markup."""

from __future__ import annotations

import html as htmllib
import io
import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.crawl import Crawl, CrawlOptions
from scraper.discover import telegram
from scraper.discover.feed import parse_feed
from scraper.exchange import Exchange
from scraper.extract.page import extract_page
from scraper.items import ItemBuilder
from scraper.warcimport import import_warc
from tests.conftest import FIXTURES
from tests.scraper.conftest import local_source

KREMLIN = FIXTURES / "sites" / "kremlin-en-2020"
DOCUMENTED = FIXTURES / "sites" / "documented"
KREMLIN_IDS = ("63950", "63951", "63952", "63911", "34018")


def write_warc(path, pages: dict[str, bytes], content_type="text/html; charset=utf-8") -> None:
    """A WARC of HTTP 200 responses, one per URL, as a crawler would have written them."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages.items():
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def saved(url: str, path, content_type: str = "text/html; charset=utf-8") -> Exchange:
    """A fetched response made of a saved file."""
    return Exchange(
        url=url,
        fetched_at="2022-10-26T13:00:00Z",
        status=200,
        headers=[("Content-Type", content_type)],
        body=path.read_bytes(),
    )


def _expected(page: str) -> dict:
    """Title, date and body edges read from the page with regular expressions (no scraper code)."""
    title = re.search(r'<h1 class="entry-title p-name"[^>]*>(.*?)</h1>', page, re.S).group(1)
    day = re.search(r'class="read__published"[^>]*datetime="([\d-]+)"', page).group(1)
    clock = re.search(r'<div class="read__time">([\d:]+)</div>', page).group(1)
    body = page.split('itemprop="articleBody">', 1)[1].split("read__bottommeta", 1)[0]
    paragraphs = [
        " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", p)).split())
        for p in re.findall(r"<p[^>]*>(.*?)</p>", body, re.S)
    ]
    return {
        "title": " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", title)).split()),
        # Moscow time by the zone rules: UTC+3 since 2014 (UTC+4 in the summer of 2005)
        "published": datetime.fromisoformat(f"{day}T{clock}")
        .replace(tzinfo=ZoneInfo("Europe/Moscow"))
        .isoformat(),
        "first": next(p for p in paragraphs if p),
        "last": [p for p in paragraphs if p][-1],
    }


def test_warc_of_en_kremlin_pages_captured_over_http_imports_exact_statements(
    tmp_path, archive, shipped_sources
):
    pages = {
        f"http://en.kremlin.ru/events/president/news/{n}": (KREMLIN / f"{n}.html").read_bytes()
        for n in KREMLIN_IDS
    }
    warc = tmp_path / "kremlin.warc.gz"
    write_warc(warc, pages)
    summaries = import_warc(archive, warc, list(shipped_sources.values()))
    assert summaries["ru-kremlin-en"].new == len(KREMLIN_IDS)
    assert summaries["ru-kremlin-en"].failures == 0
    for url, raw in pages.items():
        expected = _expected(raw.decode("utf-8"))
        sid = archive.find_statement("ru-kremlin-en", url)
        st = archive.get_statement(sid)
        text = st.current.text
        assert st.title == expected["title"]
        assert st.published == expected["published"]  # Moscow time
        assert st.language == "en"
        assert expected["first"] in text
        assert text.rstrip().endswith(expected["last"])
        for furniture in ("Publication status", "Published in", "Direct link", "Topics"):
            assert furniture not in text
    assert archive.get_statement(
        archive.find_statement("ru-kremlin-en", "http://en.kremlin.ru/events/president/news/63952")
    ).published.endswith("+03:00")
    interview = archive.get_statement(
        archive.find_statement("ru-kremlin-en", "http://en.kremlin.ru/events/president/news/63951")
    )
    text = interview.current.text
    assert "\n\nVladimir Putin: Good afternoon." in text  # speaker labels kept, one per paragraph
    assert "Sergei Brilyov: Good afternoon, Mr President." in text
    # The lead paragraph printed above the body opens the statement, as in the site's feed.
    greeting = archive.get_statement(
        archive.find_statement("ru-kremlin-en", "http://en.kremlin.ru/events/president/news/63950")
    )
    assert greeting.current.text.startswith("Vladimir Putin sent a message of greetings")


def test_kremlin_feed_offset_is_replaced_by_moscow_time(shipped_sources):
    exchange = saved(
        "http://en.kremlin.ru/events/president/news/feed",
        KREMLIN / "feed.atom",
        "application/atom+xml",
    )
    entries = parse_feed(exchange)
    entry = next(e for e in entries if e.url.endswith("/63950"))
    assert entry.published == "2020-08-27T10:00:00+04:00"  # what the feed says, kept verbatim
    statement = ItemBuilder(shipped_sources["ru-kremlin-en"]).from_entry(entry)
    assert statement.published == "2020-08-27T10:00:00+04:00"
    assert statement.published_iso == "2020-08-27T10:00:00+03:00"
    assert statement.text.startswith("Vladimir Putin sent a message of greetings")


def test_kremlin_ru_tooltips_do_not_leak_and_speaker_labels_stay(shipped_sources):
    page = (DOCUMENTED / "kremlin-ru-article.html").read_text(encoding="utf-8")
    url = "http://kremlin.ru/events/president/news/69568"
    found = extract_page(shipped_sources["ru-kremlin"], page, url)
    assert found.title == "Заседание Совета Безопасности"
    assert found.published == "2022-10-10T13:00:00+03:00"
    assert found.published_raw == "2022-10-10 13:00"
    assert "Слово предоставляется Александру Бортникову." in found.text
    assert "Директор" not in found.text
    assert "Васильевич" not in found.text
    assert "read__tooltip" not in found.html
    assert "В.Путин: Добрый день, уважаемые коллеги!" in found.text
    assert "Статус публикации" not in found.text
    assert "Фото" not in found.text
    assert found.text.startswith("Владимир Путин провёл оперативное совещание")


def test_relative_date_yields_to_the_absolute_value_on_the_page(shipped_sources):
    from scraper.extract import rules
    from scraper.extract.dates import pick_date
    from scraper.extract.html_clean import parse_html
    from scraper.extract.page import source_date

    root = parse_html((DOCUMENTED / "kremlin-ru-listing.html").read_text(encoding="utf-8"))
    source = shipped_sources["ru-kremlin"]
    items = rules.select(root, "div.hentry")
    first = [*rules.all_texts(items[0], ".//time"), *rules.all_texts(items[0], "./div/@title")]
    assert first[0] == "1 день назад"
    assert source_date(source, pick_date(first)) == "2018-03-16T16:45:00+03:00"
    second = rules.all_texts(items[1], ".//time")
    assert source_date(source, pick_date(second)) == "2018-03-15T18:00:00+03:00"


def test_mid_briefing_loses_its_table_of_contents_and_back_links(shipped_sources):
    page = (DOCUMENTED / "mid-ru-briefing.html").read_text(encoding="utf-8")
    found = extract_page(
        shipped_sources["ru-mfa"], page, "https://mid.ru/ru/foreign_policy/news/1835002/"
    )
    assert found.text.split("\n\n") == [
        "О ситуации на Украине",
        "Продолжается специальная военная операция.",
        "К выборам в США",
        "Мы внимательно следим за ходом подготовки к выборам, см. заявление.",
    ]
    assert found.published == "2022-10-26"
    assert 'href="https://mid.ru/ru/foreign_policy/news/1835000/"' in found.html


def test_president_gov_ua_declares_ua_and_is_read_as_uk(shipped_sources):
    page = (DOCUMENTED / "president-gov-ua.html").read_text(encoding="utf-8")
    source = replace(shipped_sources["ua-president-en"], language="en")
    found = extract_page(source, page, "https://www.president.gov.ua/news/zvernennya-78901")
    assert found.language == "uk"
    assert found.published == "2022-10-10T21:05:00+03:00"  # Kyiv summer time
    assert found.text == "Доброго вечора!\n\nСлава Україні!"


@pytest.mark.parametrize(
    ("url", "https"),
    [
        (
            "http://en.kremlin.ru/events/president/news/63950",
            "https://en.kremlin.ru/events/president/news/63950",
        ),
        (
            "http://mid.ru/en/foreign_policy/news/1835001/",
            "https://mid.ru/en/foreign_policy/news/1835001/",
        ),
        (
            "http://www.president.gov.ua/en/news/address-78901",
            "https://www.president.gov.ua/en/news/address-78901",
        ),
    ],
)
def test_article_urls_are_recognised_over_http_and_https(shipped_sources, url, https):
    owners = [s.id for s in shipped_sources.values() if s.is_article(url)]
    assert owners
    assert owners == [s.id for s in shipped_sources.values() if s.is_article(https)]


def test_persian_listing_with_the_jalali_calendar_gets_gregorian_dates(
    archive, server, fast_settings, shipped_sources
):
    def html(name):
        return (
            200,
            [("Content-Type", "text/html; charset=utf-8")],
            (DOCUMENTED / name).read_bytes(),
        )

    server.routes["/portal/newsagencyshow/1"] = html("mfa-ir-fa-listing.html")
    for n in ("700001", "700002"):
        server.routes[f"/portal/newsview/{n}"] = html(f"mfa-ir-fa-article-{n}.html")
    base = server.base
    source = local_source(
        shipped_sources["ir-mfa-fa"],
        listing_first=f"{base}/portal/newsagencyshow/1",
        listing=f"{base}/portal/newsagencyshow/1?pageIndex={{page}}",
        articles=None,
        max_pages=1,
    )
    Crawl(archive, [source], CrawlOptions(settings=fast_settings, delay=0, parallel=False)).run()
    got = {}
    for n in ("700001", "700002"):
        st = archive.get_statement(
            archive.find_statement("ir-mfa-fa", f"{base}/portal/newsview/{n}")
        )
        got[n] = (st.published, st.published_raw, st.title, st.current.text)
    assert got["700001"][:3] == ("2022-11-02", "۱۱ آبان ۱۴۰۱", "بیانیه وزارت امور خارجه")
    assert got["700002"][:2] == ("2022-11-03T10:30:00+03:30", "۱۴۰۱/۰۸/۱۲ - ۱۰:۳۰")
    assert got["700002"][3] == "سخنگوی وزارت امور خارجه در نشست خبری هفتگی سخن گفت."  # no h4 title
    # --since compares the listing's Jalali dates as Gregorian ones: the older page is not fetched.
    archive2 = type(archive).open(archive.folder.parent / "since", create=True)
    hits = server.hits("/portal/newsview/700001")
    options = CrawlOptions(settings=fast_settings, delay=0, parallel=False, since="2022-11-03")
    summary = Crawl(archive2, [source], options).run()["ir-mfa-fa"]
    archive2.close()
    assert (summary.new, summary.skipped) == (1, 1)
    assert server.hits("/portal/newsview/700001") == hits


def test_telegram_preview_posts_become_statements(shipped_sources):
    exchange = saved("https://t.me/s/MFARussia", DOCUMENTED / "telegram-preview.html")
    entries = telegram.parse_preview(exchange)
    assert [e.url for e in entries] == ["https://t.me/MFARussia/15002"]  # a photo alone is skipped
    statement = ItemBuilder(shipped_sources["ru-mfa-en"]).from_entry(entries[0])
    assert statement.title == "🎙 Briefing by Foreign Ministry Spokeswoman Maria Zakharova"
    assert statement.published_iso == "2022-10-26T15:40:00+03:00"
    assert statement.kind == "post"
    assert "🔹 The situation in Ukraine" in statement.text
    pages = []

    def get(url):
        pages.append(url)
        return exchange if len(pages) == 1 else None

    assert [e.url for e in telegram.discover("MFARussia", get, max_pages=2)] == [
        "https://t.me/MFARussia/15002"
    ]
    assert pages == ["https://t.me/s/MFARussia", "https://t.me/s/MFARussia?before=15002"]


@pytest.mark.parametrize(
    ("raw", "options", "iso"),
    [
        ("۱۱ آبان ۱۴۰۱", {"calendar": "jalali"}, "2022-11-02"),
        ("1401/08/12 - 10:30", {"calendar": "jalali"}, "2022-11-03T10:30:00+03:30"),
        ("1394/9/9", {"calendar": "jalali"}, "2015-11-30"),
        ("۱۴۰۲/۰۱/۰۱", {"calendar": "jalali"}, "2023-03-21"),
        ("15 марта 2018 года, 18:00", {"timezone": "Europe/Moscow"}, "2018-03-15T18:00:00+03:00"),
        ("2020-08-27T15:20:00+04:00", {"timezone": "Europe/Moscow"}, "2020-08-27T15:20:00+03:00"),
        ("2020-08-27T12:20:00Z", {"timezone": "Europe/Moscow"}, "2020-08-27T15:20:00+03:00"),
        ("1 день назад", {"timezone": "Europe/Moscow"}, None),
        ("2 hours ago", {}, None),
    ],
)
def test_dates_as_sites_write_them(raw, options, iso):
    from scraper.extract.dates import parse_date

    languages = ["fa"] if options.get("calendar") else ["ru", "en"]
    assert parse_date(raw, languages, **options) == iso


def test_date_and_time_in_separate_elements_are_joined():
    from scraper.extract.dates import join_date_time

    assert join_date_time("2020-08-27", "15:20") == "2020-08-27 15:20"
    assert join_date_time("August 27, 2020, 15:20", "16:00") == "August 27, 2020, 15:20"
    assert join_date_time("2020-08-27", "Novo-Ogaryovo") == "2020-08-27"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('calendar = "hijri"\n', "calendar: must be 'gregorian' or 'jalali'"),
        ('timezone = "Mars/Olympus"\n', "timezone: unknown time zone 'Mars/Olympus'"),
        ('strip = ["p[["]\n', "strip[1]: not a valid CSS selector"),
        ('editions = { group = "x", url = "/news/" }\n', "editions.url: needs one group"),
        ('telegram = "t.me/x"\n', "telegram: must be a public channel name"),
        ("international = false\n", "international: must be true"),
    ],
)
def test_new_source_keys_are_checked(tmp_path, line, message):
    from scraper.sources import SourcesError, load_file

    path = tmp_path / "mine.toml"
    path.write_text(
        '[[source]]\nid = "x-one"\nname = "X"\ninstitution = "X"\ncountry = "FR"\n'
        'language = "fr"\nfeed = "https://example.org/feed"\n' + line,
        encoding="utf-8",
    )
    with pytest.raises(SourcesError, match=re.escape(f"source 'x-one': {message}")):
        load_file(path)


def test_govuk_pages_are_read_from_their_content_api_twin(tmp_path, archive, shipped_sources):
    import json

    from scraper.sites import rules_for

    folder = FIXTURES / "sites" / "govuk"
    pages, items = {}, {}
    for name in ("speech-translated.json", "world_news_story_news_article.json"):
        raw = (folder / name).read_bytes()
        item = json.loads(raw)
        pages["https://www.gov.uk/api/content" + item["base_path"]] = raw
        items["https://www.gov.uk" + item["base_path"]] = item
    source = shipped_sources["gb-fcdo"]
    public = next(iter(items))
    assert rules_for("gb-fcdo").page_url(public) == next(iter(pages))
    warc = tmp_path / "govuk.warc.gz"
    write_warc(warc, pages, content_type="application/json; charset=utf-8")
    summary = import_warc(archive, warc, [source])["gb-fcdo"]
    assert (summary.new, summary.failures) == (2, 0)
    for url, item in items.items():
        st = archive.get_statement(archive.find_statement("gb-fcdo", url))
        assert st.url == url  # the public page, not the API address
        assert st.title == item["title"]
        assert st.published_raw == item["first_published_at"]
        first = re.search(r"<p>(.*?)</p>", item["details"]["body"], re.S).group(1)
        assert st.current.text.startswith(htmllib.unescape(re.sub(r"<[^>]+>", "", first)))
    speech = archive.get_statement(archive.find_statement("gb-fcdo", public))
    assert (speech.language, speech.kind, speech.speaker) == (
        "ar",
        "speech",
        "The Rt Hon Boris Johnson MP",
    )
    assert speech.published == "2016-07-25T23:36:44+01:00"  # London summer time


@pytest.mark.parametrize(
    ("source_id", "name", "url", "title", "published", "text"),
    [
        (
            "ir-mfa-en",
            "mfa-ir-en-article.html",
            "https://en.mfa.ir/portal/newsview/690001",
            "Spokesman reacts to new sanctions",
            "2022-10-20T11:45:00+03:30",
            "The Foreign Ministry spokesman condemned the new sanctions.\n\nHe called them illegal.",
        ),
        (
            "ua-mfa",
            "mfa-gov-ua.html",
            "https://mfa.gov.ua/news/zayava-mzs",
            "Заява МЗС України щодо ударів по енергетичній інфраструктурі",
            "2022-10-18T12:10:00+03:00",
            "МЗС України рішуче засуджує удари іранськими дронами.\n\nЗакликаємо партнерів посилити санкції.",
        ),
        (
            "fr-mfa",
            "diplomatie-gouv-fr.html",
            "https://www.diplomatie.gouv.fr/fr/dossiers-pays/ukraine/article/ukraine-frappes",
            "Ukraine – Frappes russes sur les infrastructures civiles (10 octobre 2022)",
            "2022-10-10",
            "La France condamne avec la plus grande fermeté les frappes russes.\n\nElle réaffirme son soutien à l’Ukraine.",
        ),
        (
            "ua-president",
            "president-gov-ua.html",
            "https://www.president.gov.ua/news/zvernennya-prezidenta-78901",
            "Звернення Президента України",
            "2022-10-10T21:05:00+03:00",
            "Доброго вечора!\n\nСлава Україні!",
        ),
    ],
)
def test_documented_markup_of_each_site(
    shipped_sources, source_id, name, url, title, published, text
):
    source = shipped_sources[source_id]
    assert source.is_article(url)
    found = extract_page(source, (DOCUMENTED / name).read_text(encoding="utf-8"), url)
    assert (found.title, found.published, found.text) == (title, published, text)
    assert not found.generic


@pytest.mark.parametrize(
    ("source_id", "name", "kinds"),
    [
        ("int-nato", "nato-news-rss.xml", ["news", "statement"]),
        ("int-un-press", "un-press-rss.xml", ["statement", "remarks"]),
        ("int-un-news-ar", "un-news-ar-rss.xml", ["news"]),
    ],
)
def test_international_feeds_list_article_pages(shipped_sources, source_id, name, kinds):
    from scraper.extract.kinds import kind_for

    source = shipped_sources[source_id]
    entries = parse_feed(saved(source.feed, DOCUMENTED / name, "application/rss+xml"))
    assert [source.is_article(e.url) for e in entries] == [True] * len(kinds)
    assert [kind_for(source, e.title, e.categories, e.url) for e in entries] == kinds
    assert source.country is None


def test_en_kremlin_listing_links_articles(shipped_sources):
    from scraper.discover.listing import links_on

    source = shipped_sources["ru-kremlin-en"]
    url = "http://en.kremlin.ru/events/president/news/page/2"
    entries, _ = links_on(source, saved(url, KREMLIN / "page-2.html"))
    page = (KREMLIN / "page-2.html").read_text(encoding="utf-8")
    ids = re.findall(r'class="hentry[^"]*"[^>]*data-id="(\d+)"', page)
    assert len(ids) == 20
    assert [e.url for e in entries] == [
        f"http://en.kremlin.ru/events/president/news/{n}" for n in ids
    ]
    assert all(source.is_article(e.url) for e in entries)
    # Each item's date and time of day, read in Moscow time.
    first = re.search(r'datetime="([\d-]+)"[^>]*>([^<]+)</time>', page)
    assert entries[0].published == first.group(2).strip()
    iso = ItemBuilder(source).published_iso(entries[0].published)
    assert iso.startswith(first.group(1) + "T")
    assert iso.endswith("+03:00")


def test_listing_dates_relative_yield_to_absolute_and_jalali_become_gregorian(shipped_sources):
    from scraper.discover.listing import links_on

    kremlin = shipped_sources["ru-kremlin"]
    url = "http://kremlin.ru/"
    entries, _ = links_on(kremlin, saved(url, DOCUMENTED / "kremlin-ru-listing.html"))
    assert [(e.url, e.published) for e in entries] == [
        ("http://kremlin.ru/events/president/news/57079", "16.03.2018, 16:45"),
        ("http://kremlin.ru/events/president/news/57073", "15 марта 2018 года, 18:00"),
    ]
    builder = ItemBuilder(kremlin)
    assert [builder.published_iso(e.published) for e in entries] == [
        "2018-03-16T16:45:00+03:00",
        "2018-03-15T18:00:00+03:00",
    ]
    persian = shipped_sources["ir-mfa-fa"]
    url = "https://mfa.ir/portal/newsagencyshow/1"
    entries, _ = links_on(persian, saved(url, DOCUMENTED / "mfa-ir-fa-listing.html"))
    builder = ItemBuilder(persian)
    assert [(e.published, builder.published_iso(e.published)) for e in entries] == [
        ("۱۱ آبان ۱۴۰۱", "2022-11-02"),
        ("1401/08/12", "2022-11-03"),
    ]


def test_import_command_reads_an_http_warc_of_kremlin_pages(tmp_path, capsys):
    import json

    from cli import main

    warc = tmp_path / "kremlin.warc.gz"
    url = "http://en.kremlin.ru/events/president/news/63952"
    write_warc(warc, {url: (KREMLIN / "63952.html").read_bytes()})
    archive = str(tmp_path / "arc")
    assert main(["--archive", archive, "import", str(warc)]) == 0
    capsys.readouterr()
    assert main(["--archive", archive, "search", "", "--json"]) == 0
    hit = json.loads(capsys.readouterr().out)["results"][0]
    assert main(["--archive", archive, "show", "--json", hit["id"]]) == 0
    shown = json.loads(capsys.readouterr().out)
    expected = _expected((KREMLIN / "63952.html").read_text(encoding="utf-8"))
    assert (shown["url"], shown["source"], shown["title"]) == (
        url,
        "ru-kremlin-en",
        expected["title"],
    )
    assert shown["published"] == expected["published"]
    assert shown["language_editions"] == []


def test_telegram_channel_is_crawled_and_a_second_run_stops_at_known_posts(
    archive, server, fast_settings, shipped_sources, monkeypatch
):
    page = (DOCUMENTED / "telegram-preview.html").read_bytes()
    server.routes["/s/MFARussia"] = (200, [("Content-Type", "text/html; charset=utf-8")], page)
    monkeypatch.setattr(telegram, "PREVIEW", server.base + "/s/{channel}")
    source = local_source(
        shipped_sources["ru-mfa-en"], listing=None, listing_first=None, links=None, max_pages=3
    )
    options = CrawlOptions(settings=fast_settings, delay=0, parallel=False)
    first = Crawl(archive, [source], options).run()["ru-mfa-en"]
    assert (first.new, first.failures) == (1, 0)
    st = archive.get_statement(archive.find_statement("ru-mfa-en", "https://t.me/MFARussia/15002"))
    assert (st.kind, st.published) == ("post", "2022-10-26T15:40:00+03:00")
    assert "Key talking points:" in st.current.text
    requests = len(server.requests)
    again = Crawl(archive, [source], options).run()["ru-mfa-en"]
    assert (again.new, again.failures) == (0, 0)
    previews = [p for p, _ in server.requests[requests:] if p.startswith("/s/")]
    assert previews == ["/s/MFARussia"]  # every post on the newest page known: no older page


@pytest.mark.parametrize(
    ("source_id", "base", "expected"),
    [
        (
            "ru-mfa",
            "https://mid.ru/ru/foreign_policy/news/",
            [
                "https://mid.ru/ru/foreign_policy/news/1835002/",
                "https://mid.ru/ru/foreign_policy/news/1835001/",
            ],
        ),
        (
            "ir-mfa-en",
            "https://en.mfa.ir/portal/newsagencyshow/699",
            ["https://en.mfa.ir/portal/newsview/690001"],
        ),
        (
            "ua-president-en",
            "https://www.president.gov.ua/en/news/speeches",
            ["https://www.president.gov.ua/en/news/zvernennya-prezidenta-ukrayini-78901"],
        ),
        ("ua-mfa", "https://mfa.gov.ua/news", ["https://mfa.gov.ua/news/zayava-mzs"]),
        (
            "fr-mfa",
            "https://www.diplomatie.gouv.fr/fr/salle-de-presse/",
            ["https://www.diplomatie.gouv.fr/fr/dossiers-pays/ukraine/article/ukraine-frappes"],
        ),
    ],
)
def test_documented_listings_link_only_their_articles(shipped_sources, source_id, base, expected):
    from scraper.discover.listing import links_on

    source = shipped_sources[source_id]
    entries, _ = links_on(source, saved(base, DOCUMENTED / "listings.html"))
    assert [e.url for e in entries] == expected
    assert all(source.is_article(e.url) for e in entries)


@pytest.mark.parametrize(
    "url",
    [
        "http://kremlin.ru/events/president/news/page/2",
        "http://en.kremlin.ru/events/president/news/page/1198",
        "https://mid.ru/ru/foreign_policy/news/?PAGEN_1=2",
        "http://en.kremlin.ru/events/president/news/63950/photos",
    ],
)
def test_listing_and_photo_pages_are_not_articles(shipped_sources, url):
    assert [s.id for s in shipped_sources.values() if s.is_article(url)] == []
