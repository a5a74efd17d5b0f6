"""The timeline: statements per source over time, adding up to the search total."""

import csv
import io
import json
from pathlib import Path

import pytest

from cli import main
from db import SearchQuery
from db.importer import import_jsonl
from db.timeline import timeline, write_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


@pytest.fixture
def filled(archive):
    for name in ("corpus-sample.jsonl.gz", "edited.jsonl"):
        import_jsonl(archive, FIXTURES / name)
    return archive


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(),
        SearchQuery(text="Ukraine"),
        SearchQuery(text="Ukraine", sources=["us-whitehouse", "us-state"]),
        SearchQuery(text='"United States"', since="2022-07", until="2022-10"),
        SearchQuery(countries=["RU"], languages=["ru"]),
    ],
)
def test_buckets_add_up_to_the_search_total(filled, query, by):
    result = filled.search(query)
    tl = timeline(filled.conn, query, by)
    assert result.total_exact
    assert tl.total == result.total > 0
    assert sum(b.count for b in tl.buckets) == result.total
    facets = {
        source: n
        for source, n in filled.facets(query)["source"].items()
        if not query.sources or source in query.sources  # facets also list the alternatives
    }
    per_source: dict[str, int] = {}
    for b in tl.buckets:
        per_source[b.source] = per_source.get(b.source, 0) + b.count
    assert per_source == facets


def test_weeks_start_on_monday_and_edits_are_counted(filled):
    tl = timeline(filled.conn, SearchQuery(text="Macron"), "week")
    # Remarks by President Biden and President Macron, published Saturday 2021-06-12
    assert any(b.start == "2021-06-07" and b.source == "us-whitehouse" for b in tl.buckets)
    assert tl.edits  # the remarks were edited: one new version
    assert sum(b.count for b in tl.edits) == 1


def test_unknown_bucket_is_refused(filled):
    with pytest.raises(ValueError, match="unknown bucket"):
        timeline(filled.conn, SearchQuery(), "decade")


def test_cli_timeline_json_and_csv(tmp_path, capsys):
    path = str(tmp_path / "arc")
    assert main(["--archive", path, "import", str(FIXTURES / "corpus-sample.jsonl.gz")]) == 0
    capsys.readouterr()
    assert main(["--archive", path, "search", "Ukraine", "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    assert main(["--archive", path, "timeline", "Ukraine", "--by", "month", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == total
    assert sum(b["count"] for b in data["buckets"]) == total
    assert set(data["buckets"][0]) == {"start", "source", "count"}
    assert main(["--archive", path, "timeline", "Ukraine", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sum(int(r["count"]) for r in rows) == total
    with pytest.raises(SystemExit) as stop:
        main(["--archive", path, "timeline", "--by", "decade"])
    assert stop.value.code == 2


def test_csv_writer_merges_edits(filled):
    out = io.StringIO()
    write_csv(timeline(filled.conn, SearchQuery(text="Macron"), "year"), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["start", "source", "count", "edits"]
    # one statement (2021-06-12) and its edit, first seen the same day
    assert rows[1:] == [["2021-01-01", "us-whitehouse", "1", "1"]]
