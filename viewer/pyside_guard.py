"""Guard against a PySide6 6.12.0 bug that slowly frees `None` on Python 3.11 and crashes.

PySide6 6.12.0 returns `None` from void methods (`QObject.setObjectName`, `QSettings.setValue`,
`QPainter.save`, …) without taking a reference, and drops one reference to whatever a slot
returns (so slots here return None; a slot returning True/False leaks those the same way).
On Python 3.12+ these singletons are immortal and nothing happens; on 3.11 every call drops
one reference, and after some thousands of calls (a few minutes of painting) the interpreter
aborts with "none_dealloc". 6.11.2 does not have the bug. When it is detected, `None`, `True`
and `False` get a very large reference count so they can never reach 0.
"""

from __future__ import annotations

import ctypes
import sys

_applied = False


def void_calls_leak_none() -> bool:
    """True when calling a void Qt method loses a reference to `None`."""
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 32


def protect_none() -> bool:
    """Apply the guard once if this PySide build needs it; return True when it was applied."""
    global _applied
    if _applied:
        return True
    if not void_calls_leak_none():
        return False
    for singleton in (None, True, False):  # slots returning a bool leak True/False the same way
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    _applied = True
    return True
