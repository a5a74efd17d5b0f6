"""Real comparison fixtures (see tests/fixtures/compare/README.md)."""

import json

import pytest

from tests.conftest import FIXTURES

HERE = FIXTURES / "compare"


def load_edits() -> dict[str, dict]:
    """Edited White House items by guid, with all their versions."""
    items = {}
    for line in (HERE / "edits.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        items[item["guid"]] = item
    return items


@pytest.fixture(scope="session")
def edits() -> dict[str, dict]:
    return load_edits()


@pytest.fixture(scope="session")
def macron(edits) -> list[str]:
    return [v["text"] for v in edits["https://www.whitehouse.gov/?p=20549"]["versions"]]


@pytest.fixture(scope="session")
def nominations(edits) -> list[str]:
    return [v["text"] for v in edits["https://www.whitehouse.gov/?p=21783"]["versions"]]


@pytest.fixture(scope="session")
def noise_pair() -> dict:
    return json.loads((HERE / "noise-pair.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_pair() -> dict:
    return json.loads((HERE / "shared-pair.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def zh_paragraphs() -> list[str]:
    return json.loads((HERE / "zh-source.json").read_text(encoding="utf-8"))["paragraphs"]
