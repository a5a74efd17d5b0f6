from pathlib import Path

import pytest

from db import Archive
from db.importer import import_jsonl

FIXTURES = Path(__file__).parent.parent / "fixtures" / "db"


@pytest.fixture
def loaded(tmp_path):
    """An archive holding the real corpus sample, the edited items and the language samples."""
    arc = Archive.open(tmp_path / "loaded", create=True)
    for name in ("corpus-sample.jsonl.gz", "edited.jsonl", "languages.jsonl"):
        report = import_jsonl(arc, FIXTURES / name)
        assert report.rejected == []
    yield arc
    arc.close()
