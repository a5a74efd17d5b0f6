"""`export FILE.wacz`: a WACZ that `wacz validate` accepts, whose pages are the captured
versions (imported records have no WARC evidence and no page), and whose WARC keeps each
replayed response's request record and the source's warcinfo."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from contextlib import redirect_stdout

from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator

from cli import main
from db import Archive

ZHAO_0622 = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1791285.shtml"


def _records(data: bytes) -> list:
    out = []
    for record in ArchiveIterator(io.BytesIO(data)):
        out.append(
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.rec_headers.get_header("WARC-Record-ID"),
                record.rec_headers.get_header("WARC-Concurrent-To"),
            )
        )
    return out


def test_replayed_records_keep_their_request_and_the_warcinfo(replayed):
    (warc,) = (replayed / "captures").glob("*.warc.gz")
    records = _records(warc.read_bytes())
    kinds = [r[0] for r in records]
    assert kinds.count("warcinfo") == 2  # the archive's own, and the source WARC's copied
    responses = [r for r in records if r[0] == "response"]
    requests = [r for r in records if r[0] == "request"]
    assert len(requests) == len(responses) > 100
    by_response = {r[3]: r for r in requests}  # the fixture's requests name their response
    for response in responses:
        assert by_response[response[2]][1] == response[1]


def test_export_wacz_validates_and_lists_captured_versions(replayed, tmp_path, capsys):
    target = tmp_path / "x.wacz"
    assert main(["--archive", str(replayed), "export", str(target)]) == 0
    assert capsys.readouterr().err.strip() == f"{target}: 105 pages from 1 WARC file(s)"
    with redirect_stdout(io.StringIO()):
        assert wacz_main(["validate", "-f", str(target)]) == 0
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
        lines = z.read("pages/pages.jsonl").decode("utf-8").splitlines()
        index = gzip.decompress(z.read("indexes/index.cdx.gz")).decode("utf-8")
        warc = z.read(next(n for n in names if n.startswith("archive/")))
    header, *pages = (json.loads(line) for line in lines)
    assert header["format"] == "json-pages-1.0"
    with Archive.open(replayed, readonly=True) as archive:
        sid = archive.find_statement("cn-mfa-en", ZHAO_0622)
        capture = archive.get_statement(sid).current.capture
    page = next(p for p in pages if p["url"] == ZHAO_0622)
    assert page["id"] == f"{sid}@1"
    assert page["ts"].startswith("2020-07-04T03:57:23")
    assert "Regular Press Conference on June 22, 2020" in page["title"]
    assert len(pages) == 105  # the 35 + 70 captured statements; the imported ones have no page
    assert all(p["url"].startswith("https://www.fmprc.gov.cn/") for p in pages)
    assert ZHAO_0622 in index
    kinds = [r[0] for r in _records(warc)]
    assert "request" in kinds
    assert "warcinfo" in kinds
    assert capture.payload_sha256  # the evidence the page points at


def test_export_wacz_of_imported_records_only_says_why(tmp_path, capsys):
    from tests.cli.conftest import EDITED

    folder = tmp_path / "arc"
    assert main(["--archive", str(folder), "import", str(EDITED)]) == 0
    capsys.readouterr()
    assert main(["--archive", str(folder), "export", str(tmp_path / "x.wacz")]) == 2
    assert capsys.readouterr().err == (
        "communique: no captured statement to export (imported records carry no WARC "
        "evidence; export them as .jsonl)\n"
    )
    assert not (tmp_path / "x.wacz").exists()
