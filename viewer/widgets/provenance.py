"""Where and when the text on screen was captured: the evidence that makes a quote citable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from db import cite
from db.models import Statement, Version
from viewer import formatting
from viewer.widgets.plain import ElidedField

ROWS = [
    ("captured", "Captured"),
    ("url", "URL"),
    ("status", "HTTP status"),
    ("sha256", "Payload SHA-256"),
    ("warc", "WARC record"),
    ("seen", "Seen"),
    ("text_sha", "Text SHA-256"),
    ("origin", "Origin"),
    ("archive_id", "Archive id"),
]
# Values whose end matters as much as their start (a URL's last segment, an id's version).
MIDDLE = {"url", "sha256", "warc", "text_sha", "origin", "archive_id"}


class ProvenancePanel(QGroupBox):
    """A compact form of capture facts for the version being read; every value selectable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Provenance", parent)
        self.values: dict[str, ElidedField] = {}
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(2)
        for key, label in ROWS:
            # Elided in the middle (a URL's host and its end both show), the full value in the
            # tooltip; clicked, it is selectable and copied exactly.
            value = ElidedField(
                elide=Qt.TextElideMode.ElideMiddle if key in MIDDLE else Qt.TextElideMode.ElideRight
            )
            font = value.font()
            if key in {"sha256", "text_sha", "archive_id", "warc"}:
                font.setFamilies(["DejaVu Sans Mono", "monospace"])
                font.setStyleHint(font.StyleHint.Monospace)
                value.setFont(font)
            self.values[key] = value
            form.addRow(label, value)

    def clear(self) -> None:
        """Show nothing."""
        for value in self.values.values():
            value.clear()

    def show_facts(self, statement: Statement, version: Version | None) -> None:
        """Fill in the facts for `version` of `statement`."""
        capture = version.capture if version else None
        self.values["archive_id"].setText(
            statement.archive_id + (f"@{version.seq}" if version else "")
        )
        if capture is not None:
            self.values["captured"].setText(formatting.utc_label(capture.fetched_at))
            self.values["url"].setText(capture.url)
            status = str(capture.status) if capture.status is not None else "—"
            self.values["status"].setText(status + (f" ({capture.error})" if capture.error else ""))
            self.values["sha256"].setText(capture.payload_sha256 or "—")
            if capture.warc_file:
                where = f"{capture.warc_file} @ {capture.warc_offset}"
                if capture.warc_length is not None:
                    where += f" (+{capture.warc_length} bytes)"
                self.values["warc"].setText(where)
            else:
                self.values["warc"].setText("—")
        else:
            # An imported record claims no capture: it says where it came from (db.cite).
            self.values["captured"].setText(f"— ({cite.evidence(version).phrase()})")
            self.values["url"].setText(statement.url or "original address unknown")
            for key in ("status", "sha256", "warc"):
                self.values[key].setText("—")
        if version is not None:
            first = formatting.utc_label(version.first_seen)
            seen = f"{first} → {formatting.utc_label(version.last_seen)}"
            self.values["seen"].setText(seen)
            self.values["text_sha"].setText(version.sha256)
            self.values["origin"].setText(version.origin or "—")
        else:
            for key in ("seen", "text_sha", "origin"):
                self.values[key].setText("—")

    def text(self) -> str:
        """All facts as 'Label: value' lines (for copying and tests)."""
        return "\n".join(f"{label}: {self.values[key].text()}" for key, label in ROWS)
