"""Tools › Check archive: the check runs in the background and lists problems as plain text."""

from db import Archive
from viewer.check_dialog import CheckDialog
from viewer.mainwindow import MainWindow


def _flip_text(folder, needle: bytes) -> None:
    with Archive.open(folder) as arc:
        arc.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_file = folder / "archive.sqlite"
    data = bytearray(db_file.read_bytes())
    at = data.find(needle)
    assert at > 0
    data[at] ^= 0x01
    db_file.write_bytes(bytes(data))


def test_the_dialog_lists_the_missing_warc_of_the_fixture(qtbot, sample_archive):
    """The fixture's capture rows name a WARC file the fixture folder does not hold."""
    folder, _names = sample_archive
    dialog = CheckDialog(folder)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.runner.finished, timeout=30000):
        pass
    assert dialog.report is not None
    with Archive.open(folder, readonly=True) as arc:
        versions = arc.stats()["versions"]
        url = arc.get_capture(1).url
    missing = f"capture 1 ({url}): captures/fmprc-2020-dev.warc.gz: the WARC file is missing"
    assert dialog.report.problems == [missing]
    assert dialog.problems.toPlainText() == missing
    assert dialog.stage.text() == f"1 problem found in {versions:,} versions and 1 captures."
    assert dialog.bar.value() == dialog.bar.maximum()
    assert dialog.buttons.standardButtons() == dialog.buttons.StandardButton.Close


def test_the_menu_action_finds_a_flipped_byte_without_blocking(qtbot, settings, sample_archive):
    folder, names = sample_archive
    with Archive.open(folder, readonly=True) as arc:
        st = arc.get_statement(names["edited"])
        needle = st.versions[0].text[:40].encode()
    _flip_text(folder, needle)
    win = MainWindow(settings)
    qtbot.add_widget(win)
    win.show()
    with qtbot.wait_signal(win.model.loaded, timeout=10000):
        assert win.open_archive(folder)
    tools = [a for a in win.menuBar().actions() if a.text() == "&Tools"][0]
    assert win.actions.check_archive in tools.menu().actions()
    win.actions.check_archive.trigger()
    dialog = win.check_dialog
    assert dialog.isVisible()
    assert dialog.running  # returned at once: the work is on the thread pool
    qtbot.wait_until(lambda: not dialog.running, timeout=30000)
    text = dialog.problems.toPlainText()
    lines = text.splitlines()
    flipped = [line for line in lines if line.startswith(f"{names['edited']}@")]
    assert len(flipped) == 1
    assert "the stored text does not match its SHA-256" in flipped[0]
    assert dialog.stage.text().startswith(f"{len(lines)} problems found in ")
