"""The reader's Related panel: grouped by country, one click from a side-by-side Compare."""

from pathlib import Path

from db import Archive
from db.importer import import_jsonl
from viewer.widgets.related_panel import ID_ROLE, RelatedPanel

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "related" / "statements.jsonl"
RUBIO_TITLE = "Statement from Secretary Rubio and NSC Waltz on Call with Zelenskyy"


def test_related_panel_groups_by_country_and_opens_compare(qtbot, tmp_path):
    path = tmp_path / "arc"
    with Archive.open(path, create=True) as archive:
        import_jsonl(archive, FIXTURE)  # not indexed yet: the panel's worker indexes first
        readout = archive.conn.execute(
            "SELECT archive_id FROM statements WHERE url LIKE '%/76477'"
        ).fetchone()[0]
    panel = RelatedPanel()
    qtbot.addWidget(panel)
    panel.load(path, readout)
    qtbot.waitUntil(lambda: "of other sources" in panel.status.text(), timeout=20_000)
    assert panel.tree.topLevelItemCount() == 1
    group = panel.tree.topLevelItem(0)
    assert group.text(0) == "United States"
    texts = [group.child(i).text(0) for i in range(group.childCount())]
    assert any(t.startswith(RUBIO_TITLE) and "Putin" in t for t in texts)
    row = group.child(next(i for i, t in enumerate(texts) if t.startswith(RUBIO_TITLE)))
    with qtbot.waitSignal(panel.compare_requested) as signal:
        panel.tree.itemClicked.emit(row, 0)
    assert signal.args[0] == [readout, row.data(0, ID_ROLE)]
    assert row.data(0, ID_ROLE).startswith("us-whitehouse:")


def test_related_panel_says_when_nothing_is_related(qtbot, tmp_path):
    path = tmp_path / "arc"
    with Archive.open(path, create=True) as archive:
        import_jsonl(archive, FIXTURE)
        nowruz = archive.conn.execute(
            "SELECT archive_id FROM statements WHERE title LIKE 'Presidential Message on Nowruz%'"
        ).fetchone()[0]
    panel = RelatedPanel()
    qtbot.addWidget(panel)
    panel.days.setValue(0)
    panel.load(path, nowruz)
    qtbot.waitUntil(lambda: panel.status.text().startswith("Nothing"), timeout=20_000)
    assert panel.tree.topLevelItemCount() == 0


def test_linked_language_editions_come_first(qtbot, tmp_path):
    # The Kremlin's readout linked (as the sources' edition keys do) to a second statement; the
    # panel lists the linked edition first, whatever its relation score.
    path = tmp_path / "arc"
    with Archive.open(path, create=True) as archive:
        import_jsonl(archive, FIXTURE)
        rows = {
            pattern: archive.conn.execute(
                "SELECT id, archive_id FROM statements WHERE url LIKE ?", (pattern,)
            ).fetchone()
            for pattern in ("%/76477", "%call-with-zelenskyy/")
        }
        (r_row, readout), (o_row, other) = rows["%/76477"], rows["%call-with-zelenskyy/"]
        assert archive.set_edition_keys([(r_row, "test:1"), (o_row, "test:1")]) == 2
    panel = RelatedPanel()
    qtbot.addWidget(panel)
    panel.load(path, readout)
    qtbot.waitUntil(lambda: "of other sources" in panel.status.text(), timeout=20_000)
    top = panel.tree.topLevelItem(0)
    assert top.text(0).startswith("Language editions")
    assert top.child(0).data(0, ID_ROLE) == other
    assert top.child(0).text(0).endswith("\nen")
