"""Viewer fixtures: a small archive of real statements, isolated settings, no blocking dialogs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from db import Archive, CaptureRecord, Source, StatementInput
from viewer.pyside_guard import protect_none

protect_none()  # PySide6 6.12.0 on Python 3.11 frees None slowly; see viewer/pyside_guard.py

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "viewer"

# Written for these tests (the data set has no Persian text): one short paragraph of news prose.
PERSIAN_TEXT = (
    "وزارت امور خارجه جمهوری اسلامی ایران امروز بیانیه‌ای منتشر کرد.\n\n"
    "سخنگوی وزارت امور خارجه گفت که گفت‌وگوها ادامه خواهد داشت."
)

HOSTILE_HTML = (
    '<p style="background-image:url(http://tracker.example/bg.png)">Before the image '
    '<img src="http://tracker.example/pixel.gif" alt="pixel">after the image.</p>'
    '<script>document.title = "pwned"; alert("script ran");</script>'
    '<iframe src="https://tracker.example/frame.html"></iframe>'
    "<style>p { background: url(https://tracker.example/style.png) }</style>"
    '<link rel="stylesheet" href="https://tracker.example/sheet.css">'
    '<p><a href="javascript:alert(1)">click me</a> and '
    '<a href="https://www.mfa.example/statement">the source</a></p>'
)


def corpus_records() -> list[dict]:
    """The fixture records (interchange schema, see tests/fixtures/viewer/README.md)."""
    lines = (HERE / "statements.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def fill_archive(archive: Archive) -> dict[str, str]:
    """Add the fixture statements (plus Persian, Chinese and hostile ones); return named ids."""
    names: dict[str, str] = {}
    archive.upsert_source(
        Source(
            "ir-mfa",
            "Ministry of Foreign Affairs of Iran",
            "Ministry of Foreign Affairs",
            "IR",
            ("fa",),
        )
    )
    archive.upsert_source(
        Source(
            "cn-mfa",
            "Ministry of Foreign Affairs of China",
            "Ministry of Foreign Affairs of the People's Republic of China",
            "CN",
            ("zh",),
        )
    )
    with archive.transaction():
        for record in corpus_records():
            archive.upsert_source(
                Source(
                    record["source"],
                    record["institution"],
                    record["institution"],
                    record.get("country"),
                )
            )
            archive.add_statement(
                StatementInput(
                    source_id=record["source"],
                    url=record["url"],
                    text=record.get("text", ""),
                    title=record.get("title"),
                    published=record.get("published"),
                    language=record.get("language"),
                    kind=record.get("kind"),
                    speaker=record.get("speaker"),
                    tags=record.get("tags", []),
                    origin=record.get("origin"),
                    seen_at="2024-01-01T00:00:00Z",
                )
            )
        names["fa"] = archive.add_statement(
            StatementInput(
                source_id="ir-mfa",
                url="https://mfa.ir/statement/1",
                text=PERSIAN_TEXT,
                title="بیانیه وزارت امور خارجه",
                published="2024-03-01T10:00:00+03:30",
                language="fa",
                kind="statement",
                seen_at="2024-03-01T07:00:00Z",
            )
        ).archive_id
        zh = json.loads((HERE / "fmprc-zh.json").read_text(encoding="utf-8"))
        capture = archive.add_capture(
            CaptureRecord(
                url=zh["url"],
                fetched_at=zh["fetched_at"],
                status=200,
                warc_file="captures/fmprc-2020-dev.warc.gz",
                warc_offset=zh["warc_offset"],
                warc_length=zh["warc_length"],
                payload_sha256=zh["payload_sha256"],
            )
        )
        names["zh"] = archive.add_statement(
            StatementInput(
                source_id="cn-mfa",
                url=zh["url"],
                text=zh["text"],
                title=zh["title"],
                published="2020-04-08",
                language="zh",
                kind="press-briefing",
                speaker="赵立坚",
                seen_at="2020-07-04T03:55:50Z",
                capture_id=capture,
            )
        ).archive_id
        names["hostile"] = archive.add_statement(
            StatementInput(
                source_id="ir-mfa",
                url="https://mfa.ir/statement/2",
                text='Before the image after the image.\n\n<script>alert("script ran")</script> '
                "click me and the source",
                html=HOSTILE_HTML,
                title="Statement with hostile markup",
                published="2024-03-02T10:00:00+03:30",
                language="en",
                kind="statement",
                seen_at="2024-03-02T07:00:00Z",
            )
        ).archive_id
        edited = json.loads((HERE / "edited.json").read_text(encoding="utf-8"))
        for version in edited["versions"]:
            result = archive.add_statement(
                StatementInput(
                    source_id="us-state",
                    url=edited["url"],
                    key=edited["guid"],
                    text=version["text"],
                    html=version["html"],
                    title=edited["title"],
                    published="2021-06-01T12:00:00+00:00",
                    language="en",
                    kind="statement",
                    seen_at=version["seen_at"],
                )
            )
        names["edited"] = result.archive_id
    return names


@pytest.fixture
def sample_archive(tmp_path) -> tuple[Path, dict[str, str]]:
    """An archive folder holding the fixture statements, and the ids of the special ones."""
    folder = tmp_path / "archive"
    with Archive.open(folder, create=True) as archive:
        names = fill_archive(archive)
    return folder, names


@pytest.fixture
def settings(tmp_path):
    """Viewer settings in a private file (never the user's real settings)."""
    from viewer.settings import ViewerSettings

    return ViewerSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def no_dialogs(monkeypatch):
    """Capture every QMessageBox instead of showing it; the list of (title, text) is returned."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def exec_(box):
        shown.append((box.windowTitle(), box.text() + "\n" + box.informativeText()))
        return QMessageBox.StandardButton.Ok

    def info(parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", info)
    monkeypatch.setattr(QMessageBox, "warning", info)
    monkeypatch.setattr(QMessageBox, "critical", info)
    return shown


@pytest.fixture(autouse=True)
def _drain_pool():
    """Let background tasks finish before the next test deletes their archive."""
    yield
    QThreadPool.globalInstance().waitForDone(10000)


@pytest.fixture
def reader(qtbot):
    """A reader pane, 900 × 700, shown."""
    from viewer.widgets.reader import Reader

    widget = Reader()
    widget.resize(900, 700)
    qtbot.add_widget(widget)
    widget.show()
    return widget


@pytest.fixture
def window(qtbot, settings, no_dialogs):
    """A shown main window with isolated settings (no archive open yet)."""
    from viewer.mainwindow import MainWindow

    win = MainWindow(settings)
    qtbot.add_widget(win)
    win.show()
    return win
