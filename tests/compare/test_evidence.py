"""Compare never calls an imported version "captured": headers, HTML export and the CLI say
"imported from <origin>, first seen <time>"; a real capture says "captured <WARC-Date>"."""

from __future__ import annotations

from compare import compare_sides, comparison_html
from compare.html_export import citation
from compare.load import load_sides
from db import CaptureRecord, StatementInput

URL = "https://www.state.gov/statement-on-a-national-day/"
ORIGIN = "github:markschaver/State-Department-PR@1a2b3c4d data.rss guid=12345"


def _two_versions(archive):
    capture = archive.add_capture(
        CaptureRecord(URL, "2022-07-02T09:15:00Z", 200, "captures/x.warc.gz", 0, 10, "ab" * 32)
    )
    archive.add_statement(
        StatementInput(
            "us-state",
            URL,
            "The first text.",
            title="National Day",
            origin=ORIGIN,
            seen_at="2022-07-01T08:00:00Z",
        )
    )
    return archive.add_statement(
        StatementInput(
            "us-state",
            URL,
            "The second text.",
            title="National Day",
            capture_id=capture,
            seen_at="2022-07-02T09:15:00Z",
        )
    ).archive_id


def test_sides_and_export_tell_an_import_from_a_capture(archive):
    sid = _two_versions(archive)
    imported, captured = load_sides(archive, [sid])
    assert imported.captured_at is None
    assert imported.origin == ORIGIN
    assert captured.captured_at == "2022-07-02T09:15:00Z"
    assert citation(imported).count("captured") == 0
    assert f"imported from {ORIGIN}, first seen 2022-07-01 08:00:00 UTC" in citation(imported)
    assert "captured 2022-07-02 09:15:00 UTC" in citation(captured)
    page = comparison_html(compare_sides(imported, captured))
    assert "imported from github:markschaver/State-Department-PR@1a2b3c4d" in page
    assert "captured 2022-07-02 09:15:00 UTC" in page
    assert "captured 2022-07-01" not in page  # the import day is never called a capture
