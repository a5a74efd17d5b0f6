"""Run work off the GUI thread: one small helper over QThreadPool, results delivered by signal."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from db.errors import SQLITE_INTERRUPT, describe, is_user_error, log_internal_error, primary_code

# Who is told about a bug no caller handles (the main window shows it in its status bar).
_bug_listeners: list[tuple[QObject, Callable[[str], None]]] = []


def on_internal_error(owner: QObject, listener: Callable[[str], None]) -> None:
    """Call `listener(line)` with 'an internal error (…), details in <log>' for every bug,
    as long as `owner` (a window) exists."""
    _bug_listeners.append((owner, listener))


def note_stale_failure(exc: BaseException) -> None:
    """A superseded request failed after a newer one replaced it: nobody waits for its result,
    but a bug in it is still logged (an interrupted query or a user's error is not a bug)."""
    if primary_code(exc) == SQLITE_INTERRUPT or is_user_error(exc):
        return
    log_internal_error(exc, "a superseded background task")


def report_error(exc: BaseException, context: str = "a background task") -> str:
    """The one line for `exc`; a bug is logged with its traceback and its line sent to every
    listener. Used for worker exceptions no caller handles: nothing is ever swallowed."""
    line = describe(exc, context)
    _bug_listeners[:] = [(o, f) for o, f in _bug_listeners if shiboken6.isValid(o)]
    for _owner, listener in list(_bug_listeners):
        listener(line)
    return line


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

    Without `on_error`, an exception is reported (logged with its traceback, shown as an internal
    error). `fn` must open its own database connection: sqlite connections never cross threads.
    """
    relay = _Relay()
    _live.add(relay)  # keep the QObject alive until a result arrives

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _live.discard(relay)
        relay.deleteLater()
        if callback is not None:
            callback(value)

    relay.done.connect(lambda result: finish(on_done, result))
    relay.failed.connect(lambda exc: finish(on_error or report_error, exc))
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
            if mine == self.generation:
                (on_error or report_error)(exc)
            else:  # superseded: usually an interrupt, but a bug is logged all the same
                note_stale_failure(exc)

        run_task(fn, deliver, fail)
        return mine
