"""`install-desktop`: the .desktop file, icon and AppStream metainfo installed for the user (XDG)."""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path

APP_ID = "communique"
# package data of `viewer` → (folder under $XDG_DATA_HOME, installed name)
FILES = {
    "communique.desktop": ("applications", f"{APP_ID}.desktop"),
    "communique.svg": ("icons/hicolor/scalable/apps", f"{APP_ID}.svg"),
    "communique.metainfo.xml": ("metainfo", f"{APP_ID}.metainfo.xml"),
}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "install-desktop",
        help="add Communiqué to the desktop's application menu (for this user)",
        description="Install the .desktop file, the icon and the AppStream metainfo under "
        "$XDG_DATA_HOME (default ~/.local/share). The menu entry runs this `communique`.",
    )
    p.add_argument(
        "--data-home",
        metavar="DIR",
        default=None,
        help="install under DIR instead of XDG_DATA_HOME",
    )
    p.set_defaults(handler=run)


def data_home(explicit: str | None = None) -> Path:
    """$XDG_DATA_HOME, else ~/.local/share (the XDG Base Directory default)."""
    chosen = explicit or os.environ.get("XDG_DATA_HOME")
    return Path(chosen).expanduser() if chosen else Path.home() / ".local" / "share"


def launcher() -> str:
    """The command the menu entry runs: this installation's `communique` when it has one."""
    here = Path(sys.executable).parent / "communique"
    if here.exists():
        return str(here)
    found = shutil.which("communique")
    return found or "communique"


def install(home: Path, command: str) -> list[Path]:
    """Copy the three files under `home`; the desktop file's Exec names `command`."""
    written = []
    data = resources.files("viewer").joinpath("data")
    for name, (folder, installed) in FILES.items():
        target = home / folder / installed
        target.parent.mkdir(parents=True, exist_ok=True)
        text = data.joinpath(name).read_text(encoding="utf-8")
        if name.endswith(".desktop"):
            exec_line = command if " " not in command else f'"{command}"'
            text = text.replace("Exec=communique\n", f"Exec={exec_line}\n")
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)  # whole or not at all
        written.append(target)
    return written


def refresh_menus(home: Path) -> list[str]:
    """Ask the desktop to reread its applications and icons, with the tools it has (their
    absence or failure is not an error: the next login rereads them anyway)."""
    import subprocess

    ran = []
    for tool, target in (
        ("update-desktop-database", home / "applications"),
        ("gtk-update-icon-cache", home / "icons" / "hicolor"),
    ):
        if shutil.which(tool):
            done = subprocess.run(
                [tool, "-q", str(target)]
                if tool == "gtk-update-icon-cache"
                else [tool, str(target)],
                capture_output=True,
                check=False,
            )
            if done.returncode == 0:
                ran.append(tool)
    return ran


def run(args) -> int:
    home = data_home(args.data_home)
    for path in install(home, launcher()):
        print(path)
    refreshed = refresh_menus(home)
    later = "" if refreshed else " after the desktop rereads its applications (log out and in)"
    print(f"communique: installed; Communiqué is in the applications menu{later}.", file=sys.stderr)
    return 0
