"""Render the main window and the reader on the bundled sample to PNG files.

`python -m viewer.screenshots docs` (what `make screenshots` runs) writes
docs/viewer-main.png, docs/viewer-reader.png, docs/viewer-versions.png,
docs/viewer-research.png and docs/viewer-editions.png.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication


def _wait(app: QApplication, done: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the viewer")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def build_sample_archive(folder: Path) -> Path:
    """An archive made from db/sample/*.jsonl.gz (as the default archive is on first run)."""
    from db.default import seed_default_archive

    if seed_default_archive(folder) == 0:
        raise SystemExit("screenshots: db/sample: no sample files (*.jsonl.gz)")
    return folder


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs")
    out.mkdir(parents=True, exist_ok=True)
    from viewer.app import application
    from viewer.mainwindow import MainWindow
    from viewer.models.statement_table import VERSIONS
    from viewer.settings import ViewerSettings
    from viewer.widgets.reader import Reader

    app = application([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="communique-shots-") as tmp:
        folder = build_sample_archive(Path(tmp) / "archive")
        settings = ViewerSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1440, 900)
        window.show()
        window.open_archive(folder)
        _wait(app, lambda: window.model.rowCount() > 0 and not window.model.busy())
        window.search.set_query("Ukraine")
        _wait(
            app,
            lambda: (
                window.model.query.text == "Ukraine"
                and not window.model.busy()
                and not window._facets.busy()
            ),
        )
        _wait(app, lambda: window.reader.statement is not None)
        path = out / "viewer-main.png"
        window.grab().save(str(path))
        print(f"screenshots: wrote {path}")

        window.search.set_query("")
        window.list.sortByColumn(VERSIONS, Qt.SortOrder.DescendingOrder)
        _wait(app, lambda: window.model.query.order == "versions" and not window.model.busy())
        window.list.setCurrentIndex(window.model.index(0, 0))
        _wait(
            app,
            lambda: (
                window.reader.statement is not None and window.reader.statement.version_count > 1
            ),
        )
        statement = window.reader.statement
        reader = Reader()
        reader.resize(900, 1000)
        reader.show()
        reader.show_statement(statement)
        reader.versions.list.setCurrentRow(0)
        _wait(app, lambda: True)
        path = out / "viewer-versions.png"
        reader.grab().save(str(path))
        print(f"screenshots: wrote {path}")

        window.search.set_query("nuclear")
        _wait(app, lambda: window.model.query.text == "nuclear" and not window.model.busy())
        window.list.setCurrentIndex(window.model.index(0, 0))
        _wait(
            app,
            lambda: (
                window.reader.statement is not None
                and window.reader.statement.archive_id == window.model.hit(0).archive_id
            ),
        )
        reader.show_statement(window.reader.statement, ["nuclear"])
        _wait(app, lambda: True)
        path = out / "viewer-reader.png"
        reader.grab().save(str(path))
        print(f"screenshots: wrote {path}")

        path = out / "viewer-research.png"
        _research_shot(app, window, folder).save(str(path))
        print(f"screenshots: wrote {path}")

        # The 21 September 2022 address, with its Russian edition one click away.
        from db import Archive

        with Archive.open(folder, readonly=True) as archive:
            address = archive.get_statement(
                archive.find_statement(
                    "ru-kremlin-en", "http://en.kremlin.ru/events/president/news/69390"
                )
            )
        reader.show_statement(address)
        _wait(app, lambda: True)
        path = out / "viewer-editions.png"
        reader.grab().save(str(path))
        print(f"screenshots: wrote {path}")
        window.close()
        reader.close()
        from viewer.screenshots_across import shoot

        shoot(app, out, folder, Path(tmp), _wait)
    return 0


def _research_shot(app: QApplication, window, folder: Path):
    """A captured press conference with tags, a collection and a note on a passage."""
    from db import Archive, SearchQuery, library

    with Archive.open(folder) as archive:
        hit = archive.search(SearchQuery(text="Kovrig Spavor consular", limit=1)).hits[0]
        statement = archive.get_statement(hit.archive_id)
        library.add_tags(archive, hit.archive_id, ["to read", "Canada"])
        ids = [h.archive_id for h in archive.search(SearchQuery(text="Kovrig", limit=3)).hits]
        library.add_to_collection(archive, "Two Michaels", ids)
        passage = next(p for p in statement.current.text.split("\n") if "Kovrig" in p)
        library.add_note(
            archive,
            hit.archive_id,
            "Compare with the Canadian readout of the same week",
            quote=passage[:160],
        )
        library.save_search(archive, "Detained Canadians", SearchQuery(text="Kovrig"))
    window.refresh()
    window.search.set_query("Kovrig")
    _wait(app, lambda: window.model.query.text == "Kovrig" and not window.model.busy())
    row = window.model.row_of(hit.archive_id)
    window.list.setCurrentIndex(window.model.index(max(row, 0), 0))
    _wait(app, lambda: window.research.loaded_id == hit.archive_id)
    _wait(app, lambda: window.research.saved_box.list.count() > 0)
    return window.grab()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
