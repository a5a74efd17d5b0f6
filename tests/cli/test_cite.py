"""`cite`: CSL-JSON that citeproc-py renders, BibTeX that bibtexparser parses, RIS as Zotero
reads it; a real capture gives the access date, an imported record claims none."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from cli import main
from db import Archive
from tests.conftest import FIXTURES

WARC = FIXTURES / "scraper" / "fmprc-subset.warc.gz"
EDITED = FIXTURES / "db" / "edited.jsonl"
ZHAO_0622 = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1791285.shtml"


def _run(capsys, folder: Path, *argv: str) -> str:
    capsys.readouterr()
    assert main(["--archive", str(folder), *argv]) == 0
    return capsys.readouterr().out


def _id_of(folder: Path, source: str, url: str) -> str:
    with Archive.open(folder, readonly=True) as archive:
        return archive.find_statement(source, url)


def _render(items: list[dict]) -> list[str]:
    style = CitationStylesStyle("harvard-cite-them-right", validate=False, locale="en-GB")
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bib.bibliography()]


def test_csl_json_of_a_replayed_capture_renders_with_its_access_date(replayed, capsys):
    sid = _id_of(replayed, "cn-mfa-en", ZHAO_0622)
    items = json.loads(_run(capsys, replayed, "cite", sid, "--format", "csl-json"))
    (item,) = items
    assert item["id"] == f"{sid}@1"
    assert item["accessed"] == {"date-parts": [[2020, 7, 4]]}
    assert item["issued"] == {"date-parts": [[2020, 6, 22]]}
    (text,) = _render(items)
    assert "Accessed: 4 July 2020" in text
    assert "Regular Press Conference on June 22, 2020" in text
    assert ZHAO_0622 in text
    with Archive.open(replayed, readonly=True) as archive:
        payload = archive.get_statement(sid).current.capture.payload_sha256
    assert f"{sid}@1" in item["note"]
    assert payload in item["note"]
    assert len(payload) == 64


def test_bibtex_and_ris_parse_with_the_same_facts(replayed, capsys):
    sid = _id_of(replayed, "cn-mfa-en", ZHAO_0622)
    bib = bibtexparser.parse_string(_run(capsys, replayed, "cite", f"{sid}@1", "-f", "bibtex"))
    assert not bib.failed_blocks
    (entry,) = bib.entries
    assert entry.entry_type == "misc"
    assert entry.key == f"{sid}-v1"
    assert entry["urldate"] == "2020-07-04"
    assert entry["url"] == ZHAO_0622
    assert entry["year"] == "2020"
    assert f"{sid}@1" in entry["note"]
    assert "captured 2020-07-04" in entry["note"]

    (record,) = rispy.loads(_run(capsys, replayed, "cite", sid, "--format", "ris"))
    assert record["type_of_reference"] == "ELEC"
    assert record["urls"] == [ZHAO_0622]
    assert record["access_date"] == "2020/07/04/"
    assert record["date"] == "2020/06/22/"
    assert record["unknown_tag"]["M2"][0].startswith(f"Communiqué archive id {sid}@1; captured")
    assert "accession_number" not in record  # a web page in Zotero has no archive location
    with Archive.open(replayed, readonly=True) as archive:
        payload = archive.get_statement(sid).current.capture.payload_sha256
    assert payload in record["unknown_tag"]["M2"][0]  # M2: Zotero's "extra"


def test_an_imported_statement_claims_no_capture(replayed, capsys):
    record = json.loads(EDITED.read_text(encoding="utf-8").splitlines()[0])
    with Archive.open(replayed, readonly=True) as archive:
        sid = archive.find_statement(record["source"], record["guid"])
        st = archive.get_statement(sid)
    assert st.current.capture is None
    text = _run(capsys, replayed, "cite", f"{sid}@1")
    assert "captured" not in text
    assert f"imported from {st.versions[0].origin}, first seen" in text
    (item,) = json.loads(_run(capsys, replayed, "cite", f"{sid}@1", "-f", "csl-json"))
    assert "accessed" not in item
    assert "imported from" in item["note"]
    (entry,) = bibtexparser.parse_string(
        _run(capsys, replayed, "cite", sid, "-f", "bibtex")
    ).entries
    assert "urldate" not in entry.fields_dict
    (ris,) = rispy.loads(_run(capsys, replayed, "cite", sid, "-f", "ris"))
    assert "access_date" not in ris
    assert "Accessed" not in _render([item])[0]
    shown = _run(capsys, replayed, "show", sid)
    assert f"  v1: imported from {st.versions[0].origin}, first seen " in shown
    assert "captured" not in shown


def test_cite_several_and_errors(replayed, capsys):
    sid = _id_of(replayed, "cn-mfa-en", ZHAO_0622)
    out = _run(capsys, replayed, "cite", "--search", "Zhao Lijian June 22", "-f", "csl-json")
    assert f"{sid}@1" in [i["id"] for i in json.loads(out)]
    assert main(["--archive", str(replayed), "cite", f"{sid}@9"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"communique: {sid}@9: no version 9 (the statement has versions 1–1)"
    assert main(["--archive", str(replayed), "cite", "nonsense"]) == 2
    assert "not a statement id" in capsys.readouterr().err
