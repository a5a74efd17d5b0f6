"""Run work off the GUI thread: one small helper over QThreadPool, results delivered by signal."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # delivered to the GUI thread, which decides how to show it
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


_live: set[_Relay] = set()


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run `fn()` on the thread pool; call `on_done(result)` or `on_error(exc)` on the GUI thread.

    `fn` must open its own database connection: sqlite connections never cross threads.
    """
    relay = _Relay()
    _live.add(relay)  # keep the QObject alive until a result arrives

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _live.discard(relay)
        relay.deleteLater()
        if callback is not None:
            callback(value)

    relay.done.connect(lambda result: finish(on_done, result))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    (pool or QThreadPool.globalInstance()).start(_Task(fn, relay))


class LatestOnly:
    """Issue tasks under a generation counter so results of superseded requests are dropped."""

    def __init__(self) -> None:
        self.generation = 0

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        self.generation += 1
        mine = self.generation

        def deliver(result: Any) -> None:
            if mine == self.generation:
                on_done(result)

        def fail(exc: Exception) -> None:
            if mine == self.generation and on_error is not None:
                on_error(exc)

        run_task(fn, deliver, fail)
        return mine
