"""Records whose data set kept no URL: keyed by guid or origin, never given an invented address."""

from __future__ import annotations

import json

from db.export import export_records
from db.importer import import_jsonl
from db.models import SearchQuery

RECORD = {
    "source": "ua-president-en",
    "origin": "github:john-h-knight/dav-capstone-ukraine-speeches@5395e526 data/2022_jul_dec.csv row 3",
    "title": "We will restore everything",
    "published": "2022-10-10T21:05:00+03:00",
    "published_raw": "10 October 2022  - 21:05 ",
    "language": "en",
    "text": ", Good evening!, Glory to Ukraine!",
}


def test_record_without_url_is_keyed_by_its_origin_and_round_trips(tmp_path, archive):
    path = tmp_path / "in.jsonl"
    lines = [
        RECORD,
        dict(RECORD, origin=RECORD["origin"].replace("row 3", "row 4"), title="B", text="B"),
    ]
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    assert import_jsonl(archive, path).new == 2
    again = import_jsonl(archive, path)
    assert (again.new, again.versions, again.unchanged) == (0, 0, 2)
    sid = archive.find_statement("ua-president-en", RECORD["origin"])
    st = archive.get_statement(sid)
    assert st.url == ""
    assert st.current.text == ", Good evening!, Glory to Ukraine!"
    assert st.published_raw == "10 October 2022  - 21:05 "
    exported = [
        r for r in export_records(archive, SearchQuery()) if r.get("title") == RECORD["title"]
    ]
    assert "url" not in exported[0]
    assert exported[0]["guid"] == RECORD["origin"]
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(json.dumps(r) for r in exported) + "\n", encoding="utf-8")
    assert import_jsonl(archive, out).unchanged == 1  # the same statement, found by its key


def test_record_without_url_guid_or_origin_is_rejected(tmp_path, archive):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"source": "x", "text": "t"}) + "\n", encoding="utf-8")
    report = import_jsonl(archive, path)
    assert report.rejected == [
        f"{path}:1: missing 'url' (a record without one needs 'guid' or 'origin')"
    ]


def test_show_says_the_original_address_is_unknown(tmp_path, capsys):
    from cli import main

    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    archive = str(tmp_path / "arc")
    assert main(["--archive", archive, "import", str(path)]) == 0
    capsys.readouterr()
    assert main(["--archive", archive, "search", "", "--json"]) == 0
    ref = json.loads(capsys.readouterr().out)["results"][0]["id"]
    assert main(["--archive", archive, "show", ref]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "We will restore everything",
        "ua-president-en · 2022-10-10T21:05:00+03:00 · en · ?",
        "(original address unknown)",
    ]
