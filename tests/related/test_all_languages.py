"""--all-languages: names in a query widened through CLDR and the alias table."""

import json
from pathlib import Path

import pytest

from cli import main
from compare.entities import expand_query
from db import SearchQuery
from db.importer import import_jsonl
from db.timeline import timeline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


@pytest.fixture
def filled(archive):
    for name in ("corpus-sample.jsonl.gz", "languages.jsonl"):
        import_jsonl(archive, FIXTURES / name)
    return archive


def _languages(archive, query):
    result = archive.search(query)
    return result, {h.language for h in result.hits}


def test_expansion_lists_the_spellings_of_every_language():
    groups = expand_query("Iran sanctions")
    assert groups[1] == ["sanctions"]
    iran = set(groups[0])
    assert {"Iran", "иран*", "іран*", "ایران", "伊朗", "إيران"} <= iran
    assert expand_query('"Iran" AND oil') == []  # operators: searched as typed
    assert expand_query("Zelenskyy")[0][0] == "Zelenskyy"


def test_iran_finds_the_persian_statement_and_myanmar_the_chinese_one(filled):
    plain, langs = _languages(filled, SearchQuery(text="Iran", limit=100))
    assert "fa" not in langs
    wide, wide_langs = _languages(
        filled, SearchQuery(text="Iran", expansions=expand_query("Iran"), limit=100)
    )
    assert "fa" in wide_langs
    assert wide.total > plain.total
    assert {h.archive_id for h in plain.hits} <= {h.archive_id for h in wide.hits}
    _, before = _languages(filled, SearchQuery(text="Myanmar", limit=100))
    _, after = _languages(
        filled, SearchQuery(text="Myanmar", expansions=expand_query("Myanmar"), limit=100)
    )
    assert "zh" not in before
    assert "zh" in after  # 缅甸, from CLDR's Chinese names


def test_russian_inflections_are_found_by_their_stem(filled):
    query = SearchQuery(text="China", languages=["ru"], limit=100)
    assert filled.search(query).total == 0
    wide = filled.search(SearchQuery(**{**query.__dict__, "expansions": expand_query("China")}))
    # "Российско-китайские переговоры" (китайск-, from the alias table's китайский)
    assert wide.total == 1
    text = filled.get_statement(wide.hits[0].archive_id).current.text.casefold()
    assert "китайск" in text


def test_timeline_and_facets_see_the_expanded_query(filled):
    query = SearchQuery(text="Iran", expansions=expand_query("Iran"))
    total = filled.search(query).total
    assert timeline(filled.conn, query, "year").total == total
    assert sum(filled.facets(query)["language"].values()) == total


def test_cli_all_languages(tmp_path, capsys):
    path = str(tmp_path / "arc")
    files = [str(FIXTURES / n) for n in ("corpus-sample.jsonl.gz", "languages.jsonl")]
    assert main(["--archive", path, "import", *files]) == 0
    capsys.readouterr()
    assert main(["--archive", path, "search", "Iran", "--all-languages", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "fa" in {r["language"] for r in data["results"]}
