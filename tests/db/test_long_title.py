"""Issue 9 item 3 (import side): a huge title is capped for display, kept whole in the record."""

import json

from db import SearchQuery, archive_id_for
from db.export import export_records
from db.importer import import_jsonl
from db.write import TITLE_MAX


def test_a_huge_title_is_capped_on_the_statement_and_kept_whole_in_the_version(archive, tmp_path):
    title = "Statement on " + "very " * 1_000_000 + "long matters"  # 5 MB
    url = "https://www.state.gov/long/"
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"url": url, "source": "us-state", "title": title, "text": "Body."}))
    assert import_jsonl(archive, path).new == 1

    st = archive.get_statement(archive_id_for("us-state", url))
    assert len(st.title) == TITLE_MAX == 1000
    assert st.title == title[:999] + "…"
    assert st.current.title == title  # the full value stays in the record
    # Lists and search read the capped title; export writes the full one back.
    hit = archive.search(SearchQuery("")).hits[0]
    assert hit.title == st.title
    (record,) = list(export_records(archive))
    assert record["title"] == title


def test_a_title_at_the_limit_is_not_touched(archive, tmp_path):
    title = "x" * TITLE_MAX
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"url": "https://a.test/", "source": "us-state", "title": title}))
    import_jsonl(archive, path)
    st = archive.get_statement(archive_id_for("us-state", "https://a.test/"))
    assert st.title == title
