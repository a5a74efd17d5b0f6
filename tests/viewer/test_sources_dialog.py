"""The Sources dialog: each source's health from the archive, a check run in the background."""

from __future__ import annotations

from dataclasses import replace

from db import crawl as state
from scraper.crawl import Crawl, CrawlOptions
from tests.scraper.conftest import LoopbackServer
from tests.scraper.test_fetch import article_source, serve_articles
from viewer.sources_dialog import COLUMNS, SourcesDialog

HOSTILE = 'HTTP 500 <b>bold</b><img src="file:///etc/passwd">'


def cell(dialog, row: int, name: str) -> str:
    return dialog.table.item(row, COLUMNS.index(name)).text()


def test_health_and_a_background_check(qtbot, tmp_path, archive):
    server = LoopbackServer()
    try:
        serve_articles(server, 3)
        healthy = article_source(
            tmp_path, "xx-healthy", server.base, sitemap=f"{server.base}/sitemap.xml", delay=0
        )
        broken = replace(healthy, id="xx-broken", name="Broken", body="div.gone", title="h1.gone")
        assert Crawl(archive, [healthy], CrawlOptions()).run()[healthy.id].new == 3
        state.record_failure(archive, "xx-broken", f"{server.base}/a/9", HOSTILE)
        for _ in range(6):  # failed six times: given up
            state.record_failure(archive, "xx-broken", f"{server.base}/a/8", "HTTP 404")
        archive.conn.execute(
            "UPDATE crawl_failures SET last_at = '2020-01-01T00:00:00Z' WHERE url LIKE '%/a/8'"
        )
        configs = {"xx-healthy": healthy, "xx-broken": broken}
        dialog = SourcesDialog(archive.folder, configs=configs)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(
            lambda: dialog.table.rowCount() == 2 and dialog.table.item(1, 0) is not None
        )
        assert [cell(dialog, r, "Source") for r in range(2)] == ["xx-healthy", "xx-broken"]
        assert cell(dialog, 0, "Statements") == "3"
        assert cell(dialog, 0, "Last success") != "never"
        assert (cell(dialog, 1, "Statements"), cell(dialog, 1, "Last success")) == ("0", "never")
        assert cell(dialog, 1, "Failures") == "2 (1 given up)"
        # A page-derived reason is shown as the literal text it is, never as markup.
        assert cell(dialog, 1, "Latest failure") == f"{server.base}/a/9: {HOSTILE}"

        last_at = {f["url"]: f["last_at"] for f in state.failures(archive, "xx-broken")}
        dialog.table.selectRow(1)  # its recent failures, newest first, as plain text
        assert dialog.report.toPlainText().splitlines()[:3] == [
            "xx-broken: 0 statements, last success never, 2 failures waiting (1 given up)",
            f"  {last_at[f'{server.base}/a/9']}  {server.base}/a/9: {HOSTILE} (1 attempts)",
            f"  2020-01-01T00:00:00Z  {server.base}/a/8: HTTP 404 (6 attempts)",
        ]
        dialog.table.selectAll()
        assert dialog.selected_ids() == ["xx-healthy", "xx-broken"]
        dialog.check_selected()
        assert dialog.checking
        assert not dialog.check_button.isEnabled()
        qtbot.waitUntil(lambda: not dialog.checking, timeout=30000)
        assert dialog.status.text() == "Checked 2: problems in xx-broken"
        report = dialog.report.toPlainText()
        assert "xx-healthy: OK" in report
        assert "xx-broken: PROBLEM" in report
        assert "    body     (div.gone): nothing" in report
        qtbot.waitUntil(lambda: cell(dialog, 1, "Check") == "problem")
        assert cell(dialog, 0, "Check") == "OK"
        # The check's exchanges are evidence in the archive, like a crawl's; no statement added.
        assert archive.stats()["statements"] == 3
        checked = archive.conn.execute(
            "SELECT COUNT(*) FROM captures WHERE warc_file LIKE 'captures/crawl-%'"
        ).fetchone()[0]
        assert checked > 5
    finally:
        server.close()


def test_nothing_selected_says_so(qtbot, tmp_path, archive):
    dialog = SourcesDialog(archive.folder, configs={})
    qtbot.addWidget(dialog)
    dialog.check_selected()
    assert dialog.status.text().startswith("Select one or more sources")
    assert not dialog.checking


def test_the_file_menu_opens_the_sources_dialog(qtbot, settings, no_dialogs, sample_archive):
    from tests.viewer.test_mainwindow import open_and_wait
    from viewer.mainwindow import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    folder, _ids = sample_archive
    open_and_wait(qtbot, window, folder)
    assert window.actions.sources.shortcut().toString() == "Ctrl+Shift+U"
    window.actions.sources.trigger()
    dialog = window._sources_dialog
    assert dialog.isVisible()
    assert dialog.archive_path == window.archive_path
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0)
    window.actions.sources.trigger()  # the same dialog, raised, not a second one
    assert window._sources_dialog is dialog
