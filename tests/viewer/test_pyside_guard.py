"""The None-refcount guard keeps a long session alive on PySide builds that leak None."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from PySide6.QtCore import QObject, Signal
    from viewer.pyside_guard import protect_none
    protect_none()
    probe = QObject()
    for _ in range(60000):  # more void calls than None has references on Python 3.11
        probe.setObjectName("x")
    class Source(QObject):
        fired = Signal()
    source = Source()
    source.fired.connect(lambda: True)  # a slot returning a bool leaks True on 6.12.0
    for _ in range(20000):
        source.fired.emit()
    print("alive")
""")


def test_many_void_calls_do_not_crash_the_interpreter():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(__import__("pathlib").Path(__file__).parents[2]),
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "alive"
