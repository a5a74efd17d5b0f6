"""Before Qt starts on Linux/X11: name the Debian packages of missing X client libraries.

Without them Qt aborts with "Could not load the Qt platform plugin "xcb"" and a core dump,
which tells a new user nothing. This check (no Qt) tries to load each library the xcb plugin
of PySide6 links against and names the packages to install.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# soname → Debian/Ubuntu package, for what PySide6's libqxcb.so and libQt6XcbQpa.so need
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will start its X11 (xcb) platform plugin in this environment."""
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    wayland = environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland"
    return not wayland  # Qt's default on Linux, even without a display


def missing_packages(load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """Packages of the libraries that cannot be loaded, in a stable order."""
    missing = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            load(soname)
        except OSError:
            missing.append(package)
    return missing


def platform_problem(
    environ: Mapping[str, str] | None = None,
    load: Callable[[str], object] = ctypes.CDLL,
    platform: str = sys.platform,
) -> str | None:
    """One line saying what to install, or None when Qt can start (or this is not X11)."""
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux") or not uses_xcb(environ):
        return None
    missing = missing_packages(load)
    if missing:
        names = " ".join(missing)
        return (
            f"the viewer needs X11 libraries that are not installed: {names} "
            f"(Debian/Ubuntu: sudo apt-get install {names})"
        )
    if not environ.get("DISPLAY"):
        return (
            "no display to open the viewer on (DISPLAY is not set): start it from a desktop "
            "session, or use the command line (communique --help)"
        )
    return None
