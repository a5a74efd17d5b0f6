"""The check before Qt starts: missing X11 libraries are named by their Debian package."""

from viewer.platform_check import XCB_LIBRARIES, platform_problem, uses_xcb


def loader(missing: set[str]):
    def load(soname: str) -> object:
        if soname in missing:
            raise OSError(f"{soname}: cannot open shared object file: No such file or directory")
        return object()

    return load


def test_missing_xcb_libraries_are_named_with_their_packages():
    load = loader({"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"})
    problem = platform_problem({"DISPLAY": ":0"}, load=load, platform="linux")
    assert problem == (
        "the viewer needs X11 libraries that are not installed: "
        "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
        "(Debian/Ubuntu: sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1)"
    )


def test_no_problem_when_everything_loads_or_qt_uses_another_platform():
    everything_missing = loader(set(XCB_LIBRARIES))
    assert platform_problem({"DISPLAY": ":0"}, load=loader(set()), platform="linux") is None
    env = {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}
    assert platform_problem(env, load=everything_missing, platform="linux") is None
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert platform_problem(env, load=everything_missing, platform="linux") is None
    assert platform_problem({"DISPLAY": ":0"}, load=everything_missing, platform="darwin") is None


def test_no_display_is_said_in_one_line():
    problem = platform_problem({}, load=loader(set()), platform="linux")
    assert problem == (
        "no display to open the viewer on (DISPLAY is not set): start it from a desktop "
        "session, or use the command line (communique --help)"
    )


def test_which_environments_start_the_xcb_plugin():
    assert uses_xcb({"DISPLAY": ":0"})
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"})
    assert not uses_xcb({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"})
    assert uses_xcb({})  # Qt's default on Linux, even with no display at all
    assert not uses_xcb({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"})
