"""Screenshots of the views across governments: the Related panel, the timeline, two editions.

Called by `viewer.screenshots` (`make screenshots`); writes docs/viewer-related.png,
docs/viewer-timeline.png and docs/viewer-editions.png. The Related panel and the editions are
shown on the real records kept for the tests (tests/fixtures/related, tests/fixtures/editions):
the bundled sample holds no call read out by two governments, nor two editions of one text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _across_archive(folder: Path) -> tuple[str, str, str]:
    """(Kremlin readout id, Russian edition id, English edition id) in a new archive."""
    from db import Archive, Source, StatementInput
    from db.importer import import_jsonl

    with Archive.open(folder, create=True) as archive:
        import_jsonl(archive, FIXTURES / "related" / "statements.jsonl")
        archive.upsert_source(Source("ru-kremlin-en", "President of Russia (English)", None, "RU"))
        ids = []
        for source, language in (("ru-kremlin", "ru"), ("ru-kremlin-en", "en")):
            text = (FIXTURES / "editions" / f"kremlin-69390-{language}.txt").read_text("utf-8")
            host = "kremlin.ru" if language == "ru" else "en.kremlin.ru"
            result = archive.add_statement(
                StatementInput(
                    source_id=source,
                    url=f"http://{host}/events/president/news/69390",
                    text=text,
                    title="Обращение Президента Российской Федерации"
                    if language == "ru"
                    else "Address by the President of the Russian Federation",
                    published="2022-09-21T09:00:00+03:00",
                    language=language,
                    country="RU",
                )
            )
            ids.append(result.archive_id)
        readout = archive.conn.execute(
            "SELECT archive_id FROM statements WHERE url LIKE '%/76477'"
        ).fetchone()[0]
    return readout, ids[0], ids[1]


def shoot(
    app: QApplication,
    out: Path,
    sample: Path,
    tmp: Path,
    wait: Callable[[QApplication, Callable[[], bool]], None],
) -> None:
    from db import Archive, SearchQuery
    from viewer.compare.open import open_compare
    from viewer.jobs import ArchiveReader
    from viewer.timeline_window import TimelineWindow
    from viewer.widgets.reader import Reader

    folder = tmp / "across"
    readout, ru, en = _across_archive(folder)

    reader = Reader()
    reader.resize(900, 1100)
    reader.show()
    with Archive.open(folder, readonly=True) as archive:
        reader.show_statement(archive.get_statement(readout))
    reader.splitter.setSizes([420, 200, 480])
    reader.related.load(folder, readout)
    wait(app, lambda: "of other sources" in reader.related.status.text())
    path = out / "viewer-related.png"
    reader.grab().save(str(path))
    print(f"screenshots: wrote {path}")
    reader.close()

    chart = TimelineWindow(ArchiveReader(sample), SearchQuery(text="Ukraine"))
    chart.resize(1100, 560)
    chart.show()
    chart.set_query(SearchQuery(text="Ukraine"))
    wait(app, lambda: chart.result is not None)
    path = out / "viewer-timeline.png"
    chart.export_png(path)
    print(f"screenshots: wrote {path}")
    chart.close()

    window = open_compare(folder, [ru, en])
    if window is not None:
        window.resize(1440, 900)
        done = []
        window.loaded.connect(lambda: done.append(True))
        wait(app, lambda: bool(done))
        path = out / "viewer-editions.png"
        window.grab().save(str(path))
        print(f"screenshots: wrote {path}")
        window.close()
