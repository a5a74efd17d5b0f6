"""The reader, its versions list and the copied citation never call an imported record
"captured": they say where it was imported from and when it was first seen."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from db import Archive
from tests.viewer.conftest import corpus_records
from viewer.widgets.reader import Reader


def test_imported_record_says_imported_everywhere(qtbot, sample_archive):
    folder, names = sample_archive
    record = corpus_records()[0]
    with Archive.open(folder, readonly=True) as archive:
        st = archive.get_statement(archive.find_statement(record["source"], record["url"]))
    assert st.current.capture is None
    assert st.current.origin == record["origin"]
    reader = Reader()
    qtbot.add_widget(reader)
    reader.show_statement(st)
    expected = f"imported from {record['origin']}, first seen 2024-01-01 00:00:00 UTC"
    assert f"Captured: — ({expected})" in reader.provenance.text()
    assert reader.versions.list.item(0).text() == (
        "v1 · imported, first seen 2024-01-01 00:00 UTC · first version"
    )
    reader.copy_citation()
    copied = QGuiApplication.clipboard().text()
    assert expected in copied
    assert "captured" not in copied


def test_a_real_capture_is_called_captured(qtbot, sample_archive):
    folder, names = sample_archive
    with Archive.open(folder, readonly=True) as archive:
        st = archive.get_statement(names["zh"])
    reader = Reader()
    qtbot.add_widget(reader)
    reader.show_statement(st)
    assert reader.versions.list.item(0).text() == (
        "v1 · captured 2020-07-04 03:55 UTC · first version"
    )
    assert "imported" not in reader.citation()
