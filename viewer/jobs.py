"""Archive work for the thread pool: per-task read-only connections and request coalescing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QThreadPool

from db import Archive
from viewer.tasks import note_stale_failure, report_error, run_task

T = TypeVar("T")


class Interrupt:
    """Lets the GUI thread abort the queries of a worker whose answer is no longer wanted.

    The worker's connection gets an SQLite progress handler that stops any statement once
    `interrupt()` was called (it raises "interrupted" in the worker; the result is dropped).
    """

    def __init__(self) -> None:
        self.requested = False

    def attach(self, archive: Archive | None) -> None:
        """Called by the worker on its own connection, before its queries."""
        if archive is not None:
            archive.conn.set_progress_handler(lambda: 1 if self.requested else 0, 20_000)

    def interrupt(self) -> None:
        """Abort (from any thread) what the worker runs now or later."""
        self.requested = True


class ArchiveReader:
    """Runs a function against its own read-only connection, opened in the worker thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def call(self, fn: Callable[[Archive], T], interrupt: Interrupt | None = None) -> T:
        """Open the archive read-only, run `fn(archive)`, close it; for use inside a task."""
        archive = Archive.open(self.path, readonly=True)
        if interrupt is not None:
            interrupt.attach(archive)
        try:
            return fn(archive)
        finally:
            archive.close()

    def task(
        self, fn: Callable[[Archive], T], interrupt: Interrupt | None = None
    ) -> Callable[[], T]:
        """A zero-argument task that runs `fn` on its own connection."""
        return lambda: self.call(fn, interrupt)


class Coalescer:
    """One task at a time; a new request replaces the waiting one and outdated results are dropped.

    While a query runs, typing three more characters must not queue three more queries: only
    the newest waits, and only the newest result is delivered. A running task submitted with an
    `Interrupt` is aborted as soon as a newer request arrives, so the newest starts sooner.
    """

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool
        self.generation = 0
        self.running = False
        self._running_interrupt: Interrupt | None = None
        self._pending: _Request | None = None

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
        interrupt: Interrupt | None = None,
    ) -> int:
        """Request `fn`; return its generation number."""
        self.generation += 1
        self._pending = _Request(self.generation, fn, on_done, on_error, interrupt)
        if not self.running:
            self._start_next()
        elif self._running_interrupt is not None:
            self._running_interrupt.interrupt()
        return self.generation

    def cancel(self) -> None:
        """Drop the waiting request and the result of the running one."""
        self.generation += 1
        self._pending = None
        if self._running_interrupt is not None:
            self._running_interrupt.interrupt()

    def busy(self) -> bool:
        """True while a task runs or waits."""
        return self.running or self._pending is not None

    def _start_next(self) -> None:
        request = self._pending
        self._pending = None
        self.running = request is not None
        self._running_interrupt = request.interrupt if request is not None else None
        if request is None:
            return

        def done(result: Any) -> None:
            try:
                if request.generation == self.generation:
                    request.on_done(result)
            finally:
                self._start_next()

        def failed(exc: Exception) -> None:
            try:
                if request.generation == self.generation:
                    (request.on_error or report_error)(exc)
                else:
                    note_stale_failure(exc)
            finally:
                self._start_next()

        run_task(request.fn, done, failed, pool=self.pool)


@dataclass
class _Request:
    generation: int
    fn: Callable[[], Any]
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None] | None
    interrupt: Interrupt | None
