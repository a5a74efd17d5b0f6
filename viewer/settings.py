"""What the viewer remembers between runs: geometry, splitters, archives and filters (QSettings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class ViewerSettings:
    """Typed access to the viewer's QSettings; one instance per main window."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings("Communique", "Communique")

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        """The main window's saved toolbar/dock state, if any."""
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window's geometry and state."""
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def splitter(self, name: str) -> QByteArray | None:
        """A splitter's saved state."""
        return self._bytes(f"splitters/{name}")

    def save_splitter(self, name: str, state: QByteArray) -> None:
        """Remember a splitter's state."""
        self._s.setValue(f"splitters/{name}", state)

    def header(self, name: str) -> QByteArray | None:
        """A header view's saved state (column widths, order)."""
        return self._bytes(f"headers/{name}")

    def save_header(self, name: str, state: QByteArray) -> None:
        """Remember a header view's state."""
        self._s.setValue(f"headers/{name}", state)

    def last_archive(self) -> Path | None:
        """The archive open when the viewer last closed."""
        value = self._s.value("archives/last")
        return Path(value) if value else None

    def recent_archives(self) -> list[Path]:
        """Recently opened archives, most recent first."""
        raw = self._s.value("archives/recent") or "[]"
        try:
            items = json.loads(raw) if isinstance(raw, str) else list(raw)
        except ValueError:
            items = []
        return [Path(p) for p in items if isinstance(p, str) and p]

    def note_opened(self, path: Path) -> None:
        """Record `path` as the last and most recent archive."""
        text = str(path)
        recent = [str(p) for p in self.recent_archives() if str(p) != text]
        recent.insert(0, text)
        self._s.setValue("archives/recent", json.dumps(recent[:MAX_RECENT]))
        self._s.setValue("archives/last", text)

    def forget_archive(self, path: Path) -> None:
        """Drop `path` from the recent list (e.g. after it failed to open)."""
        recent = [str(p) for p in self.recent_archives() if str(p) != str(path)]
        self._s.setValue("archives/recent", json.dumps(recent))
        if str(self.last_archive() or "") == str(path):
            self._s.remove("archives/last")

    def filters(self) -> dict[str, Any]:
        """The filter selection saved last time (keys as in `FilterPanel.state()`)."""
        raw = self._s.value("filters/state") or "{}"
        try:
            value = json.loads(raw) if isinstance(raw, str) else {}
        except ValueError:
            value = {}
        return value if isinstance(value, dict) else {}

    def save_filters(self, state: dict[str, Any]) -> None:
        """Remember the filter selection."""
        self._s.setValue("filters/state", json.dumps(state))

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._s.sync()
