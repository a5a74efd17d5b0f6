"""Archive work for the thread pool: per-task read-only connections and request coalescing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QThreadPool

from db import Archive
from viewer.tasks import run_task

T = TypeVar("T")


class ArchiveReader:
    """Runs a function against its own read-only connection, opened in the worker thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def call(self, fn: Callable[[Archive], T]) -> T:
        """Open the archive read-only, run `fn(archive)`, close it; for use inside a task."""
        archive = Archive.open(self.path, readonly=True)
        try:
            return fn(archive)
        finally:
            archive.close()

    def task(self, fn: Callable[[Archive], T]) -> Callable[[], T]:
        """A zero-argument task that runs `fn` on its own connection."""
        return lambda: self.call(fn)


class Coalescer:
    """One task at a time; a new request replaces the waiting one and outdated results are dropped.

    While a query runs, typing three more characters must not queue three more queries: only
    the newest waits, and only the newest result is delivered.
    """

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool
        self.generation = 0
        self.running = False
        self._pending: (
            tuple[int, Callable[[], Any], Callable[[Any], None], Callable[[Exception], None] | None]
            | None
        ) = None

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Request `fn`; return its generation number."""
        self.generation += 1
        self._pending = (self.generation, fn, on_done, on_error)
        if not self.running:
            self._start_next()
        return self.generation

    def cancel(self) -> None:
        """Drop the waiting request and the result of the running one."""
        self.generation += 1
        self._pending = None

    def busy(self) -> bool:
        """True while a task runs or waits."""
        return self.running or self._pending is not None

    def _start_next(self) -> None:
        if self._pending is None:
            self.running = False
            return
        generation, fn, on_done, on_error = self._pending
        self._pending = None
        self.running = True

        def done(result: Any) -> None:
            try:
                if generation == self.generation:
                    on_done(result)
            finally:
                self._start_next()

        def failed(exc: Exception) -> None:
            try:
                if generation == self.generation and on_error is not None:
                    on_error(exc)
            finally:
                self._start_next()

        run_task(fn, done, failed, pool=self.pool)
