"""Rebuild the bundled sample archive files from ../shared/data (deterministic output).

Usage: python db/sample/make_sample.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent.parent.parent / "shared" / "data"


def read(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def write(name: str, records: Iterable[dict]) -> int:
    buffer = io.BytesIO()
    count = 0
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        for record in records:
            gz.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            count += 1
    part = HERE / f".{name}.part"  # whole or not at all: a full disk leaves the old file
    part.write_bytes(buffer.getvalue())
    os.replace(part, HERE / name)
    print(f"{name}: {count} records, {len(buffer.getvalue()):,} bytes")
    return count


def pick(path: Path, keep: Callable[[dict], bool], drop_html: bool = True) -> Iterator[dict]:
    for record in read(path):
        if keep(record):
            if drop_html:
                record.pop("html", None)
            yield record


def edited(shared: Path) -> Iterator[dict]:
    """Every edited feed item with all its versions, its metadata joined from the corpus by guid."""
    meta: dict[str, dict] = {}
    for name in ("whitehouse-press-2021-2022", "state-press-2021-2022"):
        for record in read(shared / "corpus" / f"{name}.jsonl.gz"):
            guid = record["origin"].split(" guid=", 1)[1]
            record.pop("html", None)
            record.pop("text", None)
            meta[guid] = record
    for name in ("whitehouse-versions", "state-versions"):
        for item in read(shared / "edits" / f"{name}.jsonl.gz"):
            record = dict(meta[item["guid"]])
            record["url"] = item["url"]
            record["guid"] = item["guid"]
            record["versions"] = [
                {"seen_at": v["seen_at"], "text": v["text"]} for v in item["versions"]
            ]
            yield record


def fmprc(shared: Path) -> Iterator[dict]:
    """The fmprc.gov.cn press conferences, extracted by the scraper from the real 2020 WARC."""
    import subprocess
    import tempfile

    root = HERE.parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        run = [sys.executable, str(root / "main.py"), "--archive", tmp]
        warc = shared / "captures" / "fmprc-2020-dev.warc.gz"
        subprocess.run(
            [*run, "scrape", "--replay", str(warc), "cn-mfa-en", "cn-mfa-zh"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        out = Path(tmp) / "fmprc.jsonl"
        subprocess.run([*run, "export", str(out)], check=True, stderr=subprocess.DEVNULL)
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for record in records:
        record.pop("html", None)
        # seen_at stays: it is the WARC-Date of the capture, the record's real first-seen time
        # (its `origin` names the capture and its payload hash), so an archive made from the
        # sample says "imported from …, first seen 2020-07-04", never the day of the import.
        yield record


# ------------------------------------------------------------------ autumn 2022 (raw-2022/)
RAW = "raw-2022"
_KREMLIN = "President of the Russian Federation"
_UKRAINE = "President of Ukraine"


def _rows(path: Path) -> list[dict]:
    import csv

    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(raw: str, language: str, timezone: str) -> str | None:
    sys.path.insert(0, str(HERE.parent.parent))
    from scraper.extract.dates import in_zone, parse_date

    if raw.endswith("Z"):  # PeiYiZhuo wrote local wall-clock time with a "Z" (PROVENANCE.md)
        return in_zone(raw[:-1], timezone)
    return parse_date(raw, [language], timezone=timezone)


def _in(published: str | None, first: str, last: str) -> bool:
    return bool(published) and first <= published[:10] <= last


def _record(**fields) -> dict:
    """A record without empty keys, with the edition key its source's rules give it."""
    record = {k: v for k, v in fields.items() if v not in (None, "")}
    sys.path.insert(0, str(HERE.parent.parent))
    from scraper.editions import edition_key
    from scraper.sources import load_sources

    source = load_sources().get(record["source"])
    edition = source and edition_key(
        source, record.get("url", ""), record.get("published"), record.get("kind")
    )
    if edition:
        record["edition"] = edition  # kremlin.ru / en.kremlin.ru editions of one text
    return record


def zelenskyy_autumn(shared: Path) -> Iterator[dict]:
    """President Zelenskyy's addresses, Sep–Dec 2022, English, as scraped (no URL kept)."""
    name = "president-gov-ua-zelensky-2022/2022_jul_dec.csv"
    for n, row in enumerate(_rows(shared / RAW / name), 1):
        published = _date(row["date"].strip(), "en", "Europe/Kyiv")
        if not _in(published, "2022-09-01", "2022-12-31"):
            continue
        yield _record(
            source="ua-president-en",
            institution=_UKRAINE,
            country="UA",
            language="en",
            kind="speech",
            speaker="Volodymyr Zelenskyy",
            title=row["title"],
            published=published,
            published_raw=row["date"],
            text=row["speech"],
            origin=f"github:john-h-knight/dav-capstone-ukraine-speeches@5395e526 data/2022_jul_dec.csv row {n}",
        )


def invasion_week_news(shared: Path, skip_urls: set[str]) -> Iterator[dict]:
    """en.kremlin.ru and president.gov.ua/en news of 21 Feb – 3 Mar 2022, with their URLs."""
    folder = "kremlin-en-and-president-gov-ua-news-2022H1"
    for file, source, institution, country, zone in (
        ("putin_2022.csv", "ru-kremlin-en", _KREMLIN, "RU", "Europe/Moscow"),
        ("zelenskyy_2022.csv", "ua-president-en", _UKRAINE, "UA", "Europe/Kyiv"),
    ):
        for n, row in enumerate(_rows(shared / RAW / folder / file), 1):
            published = _date(row["date"], "en", zone)
            if not _in(published, "2022-02-21", "2022-03-03") or row["link"] in skip_urls:
                continue
            yield _record(
                url=row["link"],
                source=source,
                institution=institution,
                country=country,
                language="en",
                kind="news",
                title=row["headline"],
                published=published,
                published_raw=row["date"],
                text=row["body"],
                origin=f"github:PeiYiZhuo/zelenskyy-putin@134450b5 press_release_data/{file.replace('_2022', '')} row {n}",
            )


def kremlin_speeches_2022(shared: Path) -> Iterator[dict]:
    """President Putin's 2022 texts on Ukraine, English, from en.kremlin.ru (hsnczl's docx)."""
    import re

    path = (
        shared / RAW / "kremlin-en-ukraine-speeches-2022" / "kremlin_en_ukraine_speeches_2022.jsonl"
    )
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        title = re.sub(r" \(\d+\)$", "", row["title"])  # the curator's running number
        yield _record(
            url=row["url"],
            source="ru-kremlin-en",
            institution=_KREMLIN,
            country="RU",
            language="en",
            kind="speech" if title.startswith("Address") else "remarks",
            speaker="Vladimir Putin",
            title=title,
            published=_date(row["date"], "en", "Europe/Moscow"),
            published_raw=row["date"],
            text=row["text"],
            origin=f"github:hsnczl/Enhanced-LDA-Modelling@c8729c5c speech.docx record {row['docx_record']}",
        )


def _wayback_original(url: str) -> str:
    """The original address inside a Wayback Machine URL (…/web/<time>/<original>)."""
    import re

    match = re.match(r"https?://web\.archive\.org/web/\d+[a-z_]*/(.+)$", url)
    return match.group(1) if match else url


def russian_texts_2022(shared: Path) -> Iterator[dict]:
    """kremlin.ru (Russian) and mid.ru texts of 2022 from bikovoy's Wayback copies."""
    import re

    folder = shared / RAW / "kremlin-ru-and-mid-ru-wayback-2022"
    commit = "github:bikovoy/narrative_analysis@2519e7c5"
    for n, row in enumerate(_rows(folder / "russia_ukraine_putin.csv"), 1):
        stamp = re.search(r"Дата публикации:\s*([^\n]+)", row["text"])
        published = _date(stamp.group(1), "ru", "Europe/Moscow") if stamp else None
        if not _in(published, "2022-01-01", "2022-12-31"):
            continue
        title = row["title"].rsplit(" • ", 1)[0]  # the site name after " • "
        yield _record(
            url=_wayback_original(row["url"]),
            source="ru-kremlin",
            institution="Президент Российской Федерации",
            country="RU",
            language="ru",
            kind="speech" if title.startswith("Обращение") else "news",
            speaker="Vladimir Putin",
            title=title,
            published=published,
            published_raw=" ".join(stamp.group(1).split()),
            text=row["text"],
            origin=f"{commit} data/russia_ukraine_putin.csv row {n} ({row['url']})",
        )
    for n, row in enumerate(_rows(folder / "lavrov_ukraine_combined.csv"), 1):
        url = _wayback_original(row["url"]).rstrip("?")
        if "mid.ru" not in url:
            continue  # not an official source
        english = "/en/" in url
        if row["date"] != "NA":
            month, day, year = row["date"].split("/")
            raw, published = row["date"], f"{year}-{month}-{day}"
        else:  # the page's own id line "2439-26-11-2022" holds the day; no date string
            head = re.match(r"\d+-(\d{2})-(\d{2})-(\d{4})", row["text"])
            raw = None
            published = f"{head.group(3)}-{head.group(2)}-{head.group(1)}" if head else None
        if not _in(published, "2022-01-01", "2022-12-31"):
            continue
        yield _record(
            url=url,
            source="ru-mfa-en" if english else "ru-mfa",
            institution="Ministry of Foreign Affairs of the Russian Federation"
            if english
            else "Министерство иностранных дел Российской Федерации",
            country="RU",
            language="en" if english else "ru",
            kind="remarks",
            speaker=row["speaker"],
            title=row["title"].rsplit(" - Министерство", 1)[0].strip(),
            published=published,
            published_raw=raw,
            text=row["text"],
            origin=f"{commit} data/lavrov_ukraine_combined.csv row {n}"
            + (f" ({row['url']})" if "web.archive.org" in row["url"] else ""),
        )


def main(shared: Path) -> None:
    corpus = shared / "corpus"
    write(
        "us-whitehouse-2022-q4.jsonl.gz",
        pick(
            corpus / "whitehouse-briefings-2021-2026.jsonl.gz",
            lambda r: "2022-10" <= r.get("published", "")[:7] <= "2022-12",
        ),
    )
    write(
        "us-state-2022-07.jsonl.gz",
        pick(
            corpus / "state-press-2021-2022.jsonl.gz",
            lambda r: r["published"][:7] in ("2022-07", "2022-08"),
        ),
    )
    write(
        "un-general-debate-2022.jsonl.gz",
        pick(
            corpus / "un-general-debate-1946-2024.jsonl.gz", lambda r: r.get("published") == "2022"
        ),
    )
    write("ru-kremlin-2025.jsonl.gz", pick(corpus / "kremlin-ru-2025.jsonl.gz", lambda r: True))
    write(
        "ru-mfa-telegram-2025-2026.jsonl.gz",
        pick(corpus / "ru-mfa-telegram-2025-2026.jsonl.gz", lambda r: True),
    )
    write("edits-whitehouse-state-2021-2022.jsonl.gz", edited(shared))
    write("cn-mfa-2020.jsonl.gz", fmprc(shared))
    write("ua-president-2022-autumn.jsonl.gz", zelenskyy_autumn(shared))
    speeches = list(kremlin_speeches_2022(shared))
    write("ru-kremlin-2022.jsonl.gz", [*speeches, *russian_texts_2022(shared)])
    write(
        "invasion-week-2022.jsonl.gz",
        invasion_week_news(shared, {r["url"] for r in speeches}),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED)
