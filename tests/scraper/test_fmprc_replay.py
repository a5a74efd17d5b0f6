"""Replay of real fmprc.gov.cn captures (Chinese and English press conferences), offline."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import socket
from datetime import datetime
from pathlib import Path

import pytest

from db import Archive
from scraper.crawl import Crawl, CrawlOptions
from scraper.warcstore import read_exchange
from tests.conftest import FIXTURES

WARC = FIXTURES / "scraper" / "fmprc-subset.warc.gz"
SPOKESPEOPLE = {
    "en": {"Zhao Lijian", "Hua Chunying", "Geng Shuang", "Lu Kang", "Wang Wenbin"},
    "zh": {"赵立坚", "华春莹", "耿爽", "陆慷", "汪文斌"},
}


def _articles() -> list[dict]:
    text = (FIXTURES / "scraper" / "fmprc-subset.manifest.csv").read_text(encoding="utf-8")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["kind"] == "article"]


def _expected_date(row: dict, body: str) -> str:
    """The date as the title states it, else the page's date line (parsed without scraper code)."""
    if row["lang"] == "en":
        raw = re.search(r" on ([A-Za-z]+) ?(\d{1,2})(?:, (\d{4}))?$", row["title"])
        month, day, year = raw.groups()
        if year is None:  # "… on September 14": the year is the one of the page's images
            year = re.search(r"W0(20\d\d)", body).group(1)
        return datetime.strptime(f"{month} {day} {year}", "%B %d %Y").date().isoformat()
    titled = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", row["title"])
    if titled is None:
        return re.search(r'id="News_Body_Time">(\d{4}-\d{2}-\d{2})<', body).group(1)
    y, m, d = titled.groups()
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _expected_speaker(row: dict) -> str | None:
    named = [name for name in SPOKESPEOPLE[row["lang"]] if name in row["title"]]
    return named[0] if named else None


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network call during replay: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def replayed(archive, shipped_sources, no_network):
    sources = [shipped_sources["cn-mfa-en"], shipped_sources["cn-mfa-zh"]]
    summaries = Crawl(archive, sources, CrawlOptions(replay=WARC)).run()
    return archive, summaries


def test_every_article_page_has_title_date_speaker_and_body(replayed):
    archive, summaries = replayed
    rows = _articles()
    assert len([r for r in rows if r["lang"] == "en"]) == 35
    assert len([r for r in rows if r["lang"] == "zh"]) == 70
    assert summaries["cn-mfa-en"].new == 35
    assert summaries["cn-mfa-zh"].new == 70
    assert summaries["cn-mfa-en"].failures == summaries["cn-mfa-zh"].failures == 0
    assert archive.stats()["statements"] == 105
    for row in rows:
        source_id = f"cn-mfa-{row['lang']}"
        statement = archive.get_statement(archive.find_statement(source_id, row["url"]))
        assert statement is not None, row["url"]
        assert statement.title == row["title"].removesuffix(" — 中华人民共和国外交部")
        body = read_exchange(
            archive.folder / statement.current.capture.warc_file,
            statement.current.capture.warc_offset,
        ).text()
        assert statement.published == _expected_date(row, body), row["url"]
        assert statement.speaker == _expected_speaker(row), row["url"]
        assert statement.language == row["lang"]
        conference = any(
            w in row["title"] for w in ("Regular Press Conference", "Daily Briefing", "例行记者会")
        )
        assert (statement.kind == "press-briefing") == conference, row["url"]
        assert statement.country == "CN"
        text = statement.current.text
        assert len(text) > (500 if conference else 50), row["url"]
        if conference:
            # The spokesperson's answers are in the body: "A:"/"答：" or "Zhao Lijian:"/"赵立坚：".
            answers = (
                ("A:", f"{statement.speaker}:")
                if row["lang"] == "en"
                else ("答：", f"{statement.speaker}：")
            )
            assert any(a in text for a in answers), row["url"]
        for junk in (
            "部长致辞",
            "移动客户端",
            "Français",
            "Copyright",
            "document.write",
            "displaySubMenu",
        ):
            assert junk not in text, (row["url"], junk)
        assert all(line == line.strip() for line in text.split("\n")), row["url"]
        assert "\n\n\n" not in text
        assert "  " not in text
        assert "<script" not in (statement.current.html or "")


def test_exact_fields_of_one_english_and_one_chinese_page(replayed):
    archive, _ = replayed
    en = archive.get_statement(
        archive.find_statement(
            "cn-mfa-en",
            "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1693811.shtml",
        )
    )
    assert (
        en.title
        == "Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on September 2, 2019"
    )
    assert (en.published, en.published_raw, en.speaker) == (
        "2019-09-02",
        "September 2, 2019",
        "Geng Shuang",
    )
    assert en.current.text.startswith(
        "At the invitation of Premier Li Keqiang of the State Council, Chancellor Angela Merkel of the "
        "Federal Republic of Germany will pay an official visit to China from September 6 to 7.\n\n"
        "Starting from today, Ambassador Zhai Jun will assume the office of Special Envoy"
    )
    assert en.current.text.endswith("jointly uphold peace and stability in the East China Sea.")
    zh = archive.get_statement(
        archive.find_statement(
            "cn-mfa-zh", "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1767417.shtml"
        )
    )
    assert zh.title == "2020年4月8日外交部发言人赵立坚主持例行记者会"
    assert (zh.published, zh.speaker) == ("2020-04-08", "赵立坚")
    assert zh.current.text.startswith(
        "为帮助缅甸应对新冠肺炎疫情，中国政府决定向缅甸派遣抗疫医疗专家组。"
    )
    assert "\n\n赵立坚：我们也注意到这份声明。" in zh.current.text
    assert zh.current.text.endswith("最后我想说：柬埔寨加油！")


def test_captures_hold_the_exact_bytes_and_resume_adds_nothing(replayed, shipped_sources):
    archive, _ = replayed
    by_url = {r["url"]: r for r in _articles()}
    statement = archive.get_statement(
        archive.find_statement("cn-mfa-zh", next(u for u, r in by_url.items() if r["lang"] == "zh"))
    )
    capture = statement.current.capture
    assert capture.warc_file.startswith("captures/replay-")
    assert capture.status == 200
    assert capture.fetched_at.startswith("2020-07-04T")
    exchange = read_exchange(archive.folder / capture.warc_file, capture.warc_offset)
    assert hashlib.sha256(exchange.body).hexdigest() == by_url[statement.url]["sha256"]
    assert capture.payload_sha256 == by_url[statement.url]["sha256"]

    counts = archive.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0]
    sources = [shipped_sources["cn-mfa-en"], shipped_sources["cn-mfa-zh"]]
    again = Crawl(archive, sources, CrawlOptions(replay=WARC, recheck=True)).run()
    assert again["cn-mfa-en"].new == again["cn-mfa-zh"].new == 0
    assert again["cn-mfa-en"].unchanged == 35
    assert again["cn-mfa-zh"].unchanged == 70
    assert archive.stats() == archive.stats()
    assert archive.stats()["versions"] == 105
    assert archive.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == counts


def test_import_warc_command_fills_a_fresh_archive(tmp_path, capsys, no_network):
    from cli import main

    status = main(["--archive", str(tmp_path / "arc"), "import", str(WARC)])
    out = capsys.readouterr().out
    assert status == 0
    assert "cn-mfa-en: 35 new" in out
    assert "cn-mfa-zh: 70 new" in out
    with Archive.open(tmp_path / "arc") as arc:
        assert arc.stats()["by_source"] == {"cn-mfa-en": 35, "cn-mfa-zh": 70}
        assert all(
            Path(arc.folder, c).exists()
            for (c,) in arc.conn.execute("SELECT DISTINCT warc_file FROM captures")
        )


def test_scrape_replay_command(tmp_path, capsys, no_network):
    from cli import main

    status = main(
        [
            "--archive",
            str(tmp_path / "arc"),
            "scrape",
            "--replay",
            str(WARC),
            "cn-mfa-en",
            "cn-mfa-zh",
            "--json",
        ]
    )
    assert status == 0
    import json

    summaries = {s["source_id"]: s for s in json.loads(capsys.readouterr().out)}
    assert summaries["cn-mfa-en"]["new"] == 35
    assert summaries["cn-mfa-zh"]["new"] == 70
