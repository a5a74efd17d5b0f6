"""'Update archive': the scraper's crawl in the background, with progress per source and cancel.

The viewer depends only on a small callable, `crawl(archive_path, source_ids, on_progress,
should_cancel)`; `default_crawl()` adapts the scraper's entry point to it, and tests pass a
fake. Progress events may be objects or dicts; `as_progress` reads either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from viewer.tasks import report_error, run_task


@dataclass(frozen=True)
class Progress:
    """One step of an update, as the viewer shows it."""

    source_id: str
    done: int = 0
    total: int | None = None
    new: int = 0
    message: str = ""
    failed_url: str | None = None  # set when this event reports a failure
    error: str | None = None
    finished: bool = False


# How the fetcher (scraper/fetch.py) and the OS word a failure to reach any server at all.
_UNREACHABLE = (
    "host name not found",
    "connection failed",
    "network is unreachable",
    "temporary failure in name resolution",
    "name or service not known",
    "no route to host",
)
OFFLINE_MESSAGE = (
    "You appear to be offline: no source could be reached. Nothing was changed; "
    "update again once you are connected."
)


def is_unreachable(error: str) -> bool:
    """True when `error` says the server could not be reached (no answer of any kind)."""
    lowered = error.lower()
    return any(reason in lowered for reason in _UNREACHABLE)


def looks_offline(failures: list[str], new: int) -> bool:
    """True when an update archived nothing and every failure was an unreachable server."""
    return new == 0 and bool(failures) and all(is_unreachable(f) for f in failures)


CrawlFn = Callable[[Path, list[str] | None, Callable[[Any], None], Callable[[], bool]], Any]


def _field(event: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(event, dict) and name in event:
            return event[name]
        if hasattr(event, name):
            return getattr(event, name)
    return default


def as_progress(event: Any) -> Progress:
    """Read a progress event from the scraper (an object or a dict) into a `Progress`."""
    if isinstance(event, Progress):
        return event
    total = _field(event, "total", "expected")
    return Progress(
        source_id=str(_field(event, "source_id", "source", default="") or ""),
        done=int(_field(event, "done", "fetched", "count", default=0) or 0),
        total=int(total) if total is not None else None,
        new=int(_field(event, "new", "new_statements", default=0) or 0),
        message=str(_field(event, "message", "stage", "status", default="") or ""),
        failed_url=_field(event, "failed_url", "url") if _field(event, "error") else None,
        error=_field(event, "error"),
        finished=bool(_field(event, "finished", "done_source", default=False)),
    )


def _from_summary(summary: Any, logged: dict[str, int], finished: bool = False) -> Progress:
    """A scraper `Summary` as a `Progress`, carrying only the failures not reported before."""
    errors = list(getattr(summary, "errors", []) or [])
    already = logged.get(summary.source_id, 0)
    logged[summary.source_id] = len(errors)
    fresh = errors[already:]
    added = int(getattr(summary, "new", 0)) + int(getattr(summary, "versions", 0))
    return Progress(
        source_id=summary.source_id,
        done=int(getattr(summary, "seen", 0)),
        total=None,
        new=added,
        message=f"{summary.seen} seen" if not finished else "done",
        failed_url=None,
        error="\n".join(fresh) or None,
        finished=finished,
    )


def default_crawl() -> CrawlFn:
    """The scraper's crawl (`scraper.crawl.Crawl`) adapted to `CrawlFn`."""
    from scraper.crawl import Crawl
    from scraper.sources import load_sources

    def run(
        path: Path,
        source_ids: list[str] | None,
        on_progress: Callable[[Any], None],
        should_cancel: Callable[[], bool],
    ) -> Any:
        from db import Archive

        configs = load_sources()
        chosen = (
            [configs[i] for i in source_ids if i in configs]
            if source_ids
            else list(configs.values())
        )
        logged: dict[str, int] = {}
        with Archive.open(path) as archive:
            archive.stop_waiting = should_cancel  # Cancel works while waiting for another writer
            archive.on_wait = lambda message: [
                on_progress(Progress(source_id=c.id, message="waiting for another writer…"))
                for c in chosen
            ]
            crawl = Crawl(archive, chosen, progress=lambda s: on_progress(_from_summary(s, logged)))
            done = threading.Event()

            def watch() -> None:  # the crawl polls its own stop flag between requests
                while not done.wait(0.2):
                    if should_cancel():
                        crawl.stop.set()
                        return

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            try:
                summaries = crawl.run()
            finally:
                done.set()
            for summary in summaries.values():
                on_progress(_from_summary(summary, logged, finished=True))
            return summaries

    return run


def configured_sources() -> list[str]:
    """Ids of the sources the scraper knows (shown before their first progress event)."""
    try:
        from scraper.sources import load_sources

        return list(load_sources())
    except Exception:  # no scraper, or a broken sources file: the crawl will say why
        return []


class UpdateRunner(QObject):
    """Runs one crawl at a time on its own thread; reports progress by signal."""

    progress = Signal(object)  # Progress
    finished = Signal(object)  # the crawl's summary (whatever it returns)
    failed = Signal(str)  # one line: why the whole update stopped
    running_changed = Signal(bool)

    def __init__(self, crawl: CrawlFn | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.crawl = crawl
        self.running = False
        self.cancelled = False
        self._cancel = threading.Event()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def start(self, archive_path: Path, source_ids: list[str] | None = None) -> bool:
        """Begin updating `archive_path` (all sources when `source_ids` is None)."""
        crawl = self.crawl or default_crawl()
        if self.running:
            return False
        self._cancel.clear()
        self.cancelled = False
        self.running = True
        self.running_changed.emit(True)

        def work() -> Any:
            return crawl(Path(archive_path), source_ids, self._report, self._cancel.is_set)

        run_task(work, self._done, self._failed, pool=self._pool)
        return True

    def cancel(self) -> None:
        """Ask the crawl to stop after the request in flight; what was archived is kept."""
        if self.running:
            self.cancelled = True
            self._cancel.set()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the crawl thread is idle (used at exit after cancelling)."""
        return self._pool.waitForDone(msecs)

    def _report(self, event: Any) -> None:  # called on the crawl's thread
        self.progress.emit(as_progress(event))

    def _done(self, summary: Any) -> None:
        self.running = False
        self.running_changed.emit(False)
        self.finished.emit(summary)

    def _failed(self, exc: Exception) -> None:
        self.running = False
        self.running_changed.emit(False)
        self.failed.emit(report_error(exc, "updating the archive"))
