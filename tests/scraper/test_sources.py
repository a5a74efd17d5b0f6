"""The sources file: shipped sources, user overrides, and clear errors naming file, source and key."""

from __future__ import annotations

import json

import pytest

from scraper.sources import SourcesError, load_file, load_sources

GOOD = """
[[source]]
id = "ir-mfa"
name = "Ministry of Foreign Affairs of Iran"
institution = "Ministry of Foreign Affairs of the Islamic Republic of Iran"
country = "IR"
language = "fa"
listing = "https://mfa.ir/portal/newsagency/{page}"
links = "//div[@class='news']//a/@href"
title = "h1.title"
date = ".date"
body = "div.body"
delay = 2.5
max_pages = 3
kinds = [{ title = "^بیانیه", kind = "statement" }]
"""


def write(tmp_path, text: str):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sources_load():
    sources = load_sources()
    assert list(sources) == [
        "us-whitehouse",
        "us-state",
        "cn-mfa-en",
        "cn-mfa-zh",
        "ru-kremlin",
        "ru-kremlin-en",
        "ru-mfa",
        "ru-mfa-en",
        "ir-mfa-en",
        "ir-mfa-fa",
        "ua-president",
        "ua-president-en",
        "ua-mfa",
        "gb-fcdo",
        "fr-mfa",
        "int-nato",
        "int-un-press",
        "int-un-press-fr",
        "int-un-news-ar",
        "int-un-news-es",
    ]
    languages = {s.language for s in sources.values()}
    assert languages == {"en", "zh", "ru", "fa", "uk", "fr", "ar", "es"}
    countries = {s.country for s in sources.values()}
    assert countries == {"US", "CN", "RU", "IR", "UA", "GB", "FR", None}
    assert sources["int-nato"].country is None  # an international body
    assert sources["ru-mfa-en"].hosts == ["mid.ru", "t.me"]
    assert sources["ir-mfa-fa"].calendar == "jalali"
    assert sources["ru-kremlin"].timezone == "Europe/Moscow"
    state = sources["us-state"]
    assert state.feed == "https://www.state.gov/rss-feed/press-releases/feed/"
    assert state.wp_api.endswith("/wp-json/wp/v2/posts")
    assert state.delay == 1.0
    assert sources["cn-mfa-zh"].hosts == ["www.fmprc.gov.cn"]


def test_user_file_adds_and_overrides_by_id(tmp_path):
    path = write(tmp_path, GOOD + GOOD.replace('"ir-mfa"', '"us-state"').replace("IR", "US"))
    sources = load_sources(path)
    assert sources["ir-mfa"].delay == 2.5
    assert sources["ir-mfa"].max_pages == 3
    assert sources["ir-mfa"].kinds[0].kind == "statement"
    assert sources["us-state"].name == "Ministry of Foreign Affairs of Iran"  # the user's wins
    assert sources["us-state"].origin == str(path)
    assert len(sources) == len(load_sources()) + 1  # ir-mfa added, us-state replaced


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('id = "ir-mfa"', 'id = "ir-mfa"\ncolour = "red"'),
            "source 'ir-mfa': colour: unknown key",
        ),
        (('country = "IR"\n', ""), "source 'ir-mfa': country: missing required key"),
        (('country = "IR"', 'country = "Iran"'), "source 'ir-mfa': country: must be an ISO 3166-1"),
        (
            (
                'listing = "https://mfa.ir/portal/newsagency/{page}"',
                'listing = "https://mfa.ir/news"',
            ),
            "source 'ir-mfa': listing: must contain {page}",
        ),
        (
            ('title = "h1.title"', 'title = "h1[["'),
            "source 'ir-mfa': title: not a valid CSS selector",
        ),
        (
            ("links = \"//div[@class='news']//a/@href\"", 'links = "//div[@"'),
            "source 'ir-mfa': links: not a valid XPath selector",
        ),
        (("delay = 2.5", 'delay = "slow"'), "source 'ir-mfa': delay: must be a number"),
        (
            ('kind = "statement"', 'kind = "tweet"'),
            "source 'ir-mfa': kinds[1].kind: must be one of",
        ),
    ],
)
def test_errors_name_file_source_and_key(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(SourcesError) as err:
        load_file(path)
    assert str(err.value).startswith(f"{path}: {message}")


def test_no_discovery_and_bad_toml(tmp_path):
    path = write(
        tmp_path, GOOD.replace('listing = "https://mfa.ir/portal/newsagency/{page}"\n', "")
    )
    with pytest.raises(SourcesError, match="needs at least one of feed, wp_api, sitemap, listing"):
        load_file(path)
    path = write(tmp_path, "[[source]\nid = 1")
    with pytest.raises(SourcesError, match=r"mine\.toml: not valid TOML"):
        load_file(path)
    with pytest.raises(SourcesError, match="no such file"):
        load_file(tmp_path / "missing.toml")


def test_sources_command(tmp_path, capsys):
    from cli import main

    assert main(["sources", "--sources", str(write(tmp_path, GOOD)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows][-1] == "ir-mfa"
    assert rows[-1]["listing"].endswith("{page}")
    bad = write(tmp_path, GOOD.replace('country = "IR"', 'country = "Iran"'))
    assert main(["sources", "--sources", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"communique: {bad}: source 'ir-mfa': country:")
    assert "\n" not in err


def test_scraper_imports_no_qt():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "import scraper.crawl, scraper.warcimport, cli.scrape_cmds\n"
        "assert not any(m.startswith('PySide6') and sys.modules[m] for m in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    assert result.returncode == 0, result.stderr
