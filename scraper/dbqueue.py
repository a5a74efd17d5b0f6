"""One writer: crawl threads hand archive work to the thread that owns the `Archive`."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class DbQueue:
    """Runs callables on the owner thread; other threads block until their call is done."""

    def __init__(self) -> None:
        self._owner = threading.get_ident()
        self._calls: queue.Queue[tuple[Callable, tuple, Future]] = queue.Queue()

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn(*args)` on the owner thread and return its result (or raise its error)."""
        if threading.get_ident() == self._owner:
            return fn(*args)
        future: Future = Future()
        self._calls.put((fn, args, future))
        return future.result()

    def serve(self, until: Callable[[], bool], poll: float = 0.05) -> None:
        """Serve calls on the owner thread until `until()` is true and nothing is pending."""
        while True:
            try:
                fn, args, future = self._calls.get(timeout=poll)
            except queue.Empty:
                if until():
                    return
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the calling thread, which re-raises it
                future.set_exception(exc)
