"""Rebuild the bundled sample archive files from ../shared/data (deterministic output).

Usage: python data/sample/make_sample.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import gzip
import io
import json
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
    (HERE / name).write_bytes(buffer.getvalue())
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
        record.pop("seen_at", None)  # the capture time is in the WARC, not in this sample
        yield record


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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED)
