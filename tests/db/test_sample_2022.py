"""The bundled sample tells autumn 2022: Kyiv, Moscow and Washington on the same days."""

from __future__ import annotations

from pathlib import Path

from db.importer import import_jsonl

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "db" / "sample"

FILES = (
    "ua-president-2022-autumn.jsonl.gz",
    "ru-kremlin-2022.jsonl.gz",
    "invasion-week-2022.jsonl.gz",
    "us-whitehouse-2022-q4.jsonl.gz",
)


def test_autumn_2022_side_by_side(archive):
    for name in FILES:
        report = import_jsonl(archive, SAMPLE_DIR / name)
        assert report.rejected == []
    # No source rules needed: the sample's records carry their edition keys (`edition`).
    rows = archive.conn.execute(
        "SELECT source_id, count(*) FROM statements WHERE substr(published, 1, 10) = '2022-10-10'"
        " GROUP BY source_id ORDER BY source_id"
    ).fetchall()
    by_source = dict(rows)
    assert by_source["ru-kremlin"] == 1  # the Security Council meeting after the strikes
    assert by_source["ua-president-en"] >= 1  # Zelenskyy's address of that evening
    assert by_source["us-whitehouse"] >= 1
    # Zelenskyy's addresses kept no URL in their data set: keyed by origin, address unknown.
    address = archive.conn.execute(
        "SELECT url, key, published, published_raw FROM statements"
        " WHERE source_id = 'ua-president-en' AND published LIKE '2022-12-31T23:55%'"
    ).fetchone()
    assert address[0] == ""
    assert address[1].startswith("github:john-h-knight/dav-capstone-ukraine-speeches@5395e526")
    assert address[2:] == ("2022-12-31T23:55:00+02:00", "31 December 2022  - 23:55 ")
    # The 21 September 2022 address in English and in Russian are editions of each other.
    en = archive.find_statement("ru-kremlin-en", "http://en.kremlin.ru/events/president/news/69390")
    ru = archive.find_statement("ru-kremlin", "http://kremlin.ru/catalog/countries/UA/events/69390")
    assert [e["id"] for e in archive.language_editions(en)] == [ru]
    assert archive.get_statement(ru).published == "2022-09-21T09:00:00+03:00"
