"""Importing JSONL: bad lines named and skipped, good lines kept, re-import adds nothing."""

import gzip
import json
import zlib

from db.importer import import_jsonl

from .conftest import FIXTURES

GOOD = {
    "url": "https://www.state.gov/a/",
    "source": "us-state",
    "country": "US",
    "institution": "U.S. Department of State",
    "title": "A",
    "published": "2022-07-01",
    "language": "en",
    "kind": "statement",
    "text": "First good line.",
}


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_lines_are_reported_and_skipped(archive, tmp_path):
    good2 = dict(GOOD, url="https://www.state.gov/b/", text="Second good line.")
    path = _write(
        tmp_path / "mixed.jsonl",
        [
            json.dumps(GOOD),
            "{not json",
            json.dumps({"source": "us-state", "text": "no url"}),
            json.dumps(dict(GOOD, url="https://www.state.gov/c/", published="yesterday")),
            json.dumps(["a", "list"]),
            json.dumps(dict(GOOD, url="https://www.state.gov/d/", tags="not-a-list")),
            json.dumps(dict(GOOD, url="relative/path")),
            json.dumps(dict(GOOD, source="Not A Source Id")),
            "",
            json.dumps(good2),
        ],
    )
    report = import_jsonl(archive, path)
    assert report.new == 2
    assert [line.split(": ", 1)[0] for line in report.rejected] == [
        f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7, 8)
    ]
    assert "not valid JSON" in report.rejected[0]
    assert "missing 'url'" in report.rejected[1]
    assert "'published' is not an ISO 8601 date: 'yesterday'" in report.rejected[2]
    assert report.rejected[3].endswith("not a JSON object")
    assert archive.stats()["statements"] == 2


def test_reimport_adds_nothing(archive):
    first = import_jsonl(archive, FIXTURES / "corpus-sample.jsonl.gz")
    before = archive.stats()
    again = import_jsonl(archive, FIXTURES / "corpus-sample.jsonl.gz")
    assert first.new == 66
    assert again.new == 0
    assert again.versions == 0
    assert archive.stats() == before


def test_reimport_of_versions_adds_nothing(archive):
    import_jsonl(archive, FIXTURES / "edited.jsonl")
    before = archive.stats()
    again = import_jsonl(archive, FIXTURES / "edited.jsonl")
    assert (again.new, again.versions, again.unchanged) == (0, 0, 2)
    assert (
        archive.stats()
        == before
        == {
            "statements": 2,
            "versions": 5,
            "by_source": {"us-whitehouse": 2},
            "by_language": {"en": 2},
        }
    )


def test_fields_and_dates_are_kept(archive):
    import_jsonl(archive, FIXTURES / "corpus-sample.jsonl.gz")
    with gzip.open(FIXTURES / "corpus-sample.jsonl.gz", "rt", encoding="utf-8") as fh:
        record = json.loads(fh.readline())
    from db import archive_id_for

    st = archive.get_statement(archive_id_for(record["source"], record["url"]))
    assert st.url == record["url"]
    assert st.title == record["title"]
    assert st.current.text == record["text"]  # exactly as published
    assert st.published == record["published"]
    assert st.published_raw == record["published"]
    assert st.tags == tuple(sorted(record["tags"]))
    assert st.institution == "The White House"


def test_source_with_many_countries_has_none(archive):
    import_jsonl(archive, FIXTURES / "corpus-sample.jsonl.gz")
    assert archive.get_source("un-general-debate").country is None
    assert archive.get_source("us-state").country == "US"


def test_html_is_dropped_without_a_sanitiser_and_cleaned_with_one(archive, tmp_path):
    html = '<p onclick="x()">Hi <script>alert(1)</script></p>'
    path = _write(tmp_path / "h.jsonl", [json.dumps(dict(GOOD, html=html))])
    import_jsonl(archive, path)
    assert (
        archive.get_statement(
            archive.search(__import__("db").SearchQuery("")).hits[0].archive_id
        ).current.html
        is None
    )
    other = dict(GOOD, url="https://www.state.gov/z/", html=html)
    path = _write(tmp_path / "h2.jsonl", [json.dumps(other)])
    import_jsonl(archive, path, clean_html=lambda h: h.replace("<script>alert(1)</script>", ""))
    from db import archive_id_for

    st = archive.get_statement(archive_id_for("us-state", "https://www.state.gov/z/"))
    assert "script" not in st.current.html


def test_truncated_gzip_keeps_the_good_lines(archive, tmp_path):
    data = (FIXTURES / "corpus-sample.jsonl.gz").read_bytes()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    report = import_jsonl(archive, path)
    assert report.new > 10
    # Every complete line before the cut is kept, and the message names the line it stopped at.
    readable = zlib.decompressobj(wbits=31).decompress(path.read_bytes())
    assert report.new == readable.count(b"\n")  # one statement per line in this file
    stopped_at = report.new + 1
    assert report.rejected == [
        f"{path}:{stopped_at}: cannot read further, the file is damaged here (Compressed file "
        f"ended before the end-of-stream marker was reached); the {report.new} lines before it "
        "were read"
    ]
    assert archive.stats()["statements"] == report.new
