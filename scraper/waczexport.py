"""`export FILE.wacz`: the archive's captures as a WACZ (Web Archive Collection Zipped) that
ReplayWeb.page and pywb replay, written by py-wacz, with a `pages.jsonl` built from statements.

Each page is one archived version that came from a real capture (its URL and WARC-Date), titled
as the statement and identified by its archive id `ID@N`. Imported records carry no WARC
evidence and so no page. The WARC files go in whole: every request, response and warcinfo.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from db import Archive, SearchQuery, cite
from db.export import matching_statements
from db.files import atomic_path


class WaczError(Exception):
    """The WACZ cannot be written; the message is one line for the user."""


@dataclass(frozen=True)
class WaczReport:
    pages: int
    warcs: int
    path: Path


def pages(archive: Archive, query: SearchQuery | None = None) -> tuple[list[dict], set[str]]:
    """Pages (one per captured version of the statements matching `query`) and their WARCs."""
    out: list[dict] = []
    warcs: set[str] = set()
    for st in matching_statements(archive, query):
        for version in st.versions:
            ev = cite.evidence(version)
            capture = version.capture
            if not ev.captured or capture is None or not capture.warc_file:
                continue
            warcs.add(capture.warc_file)
            out.append(
                {
                    "id": f"{st.archive_id}@{version.seq}",
                    "url": capture.url,
                    "ts": capture.fetched_at,
                    "title": cite.title_of(st, version),
                }
            )
    return out, warcs


def write_wacz(archive: Archive, target: Path, query: SearchQuery | None = None) -> WaczReport:
    """Write the WACZ of the captures behind the statements matching `query` (default: all)."""
    from wacz.main import main as wacz_main  # py-wacz: imported only when a WACZ is asked for

    found, names = pages(archive, query)
    warcs = sorted(archive.folder / name for name in names)
    missing = [w for w in warcs if not w.is_file()]
    if missing:
        raise WaczError(f"{missing[0]}: WARC file missing from the archive folder")
    if not found:
        raise WaczError(
            "no captured statement to export (imported records carry no WARC evidence; "
            "export them as .jsonl)"
        )
    target = Path(target)
    with tempfile.TemporaryDirectory() as tmp:
        pages_file = Path(tmp) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Communiqué statements"}
        lines = [header, *found]
        pages_file.write_text(
            "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in lines), encoding="utf-8"
        )
        log = io.StringIO()
        # Written whole or not at all, like every export (db/files.py).
        with atomic_path(target) as temp, contextlib.redirect_stdout(log):
            status = wacz_main(
                [
                    "create",
                    "-o",
                    str(temp),
                    "-p",
                    str(pages_file),
                    "--title",
                    f"Communiqué archive {archive.folder.name}",
                    "--desc",
                    "Official statements captured by Communiqué; pages are archived versions "
                    "(id = archive id ID@N)",
                    *[str(w) for w in warcs],
                ]
            )
            unmatched = [ln for ln in log.getvalue().splitlines() if "Invalid passed page" in ln]
            if status != 0 or unmatched:
                lines = log.getvalue().strip().splitlines()
                reason = (
                    f"py-wacz failed: {lines[-1] if lines else status}"
                    if status != 0
                    else f"{len(unmatched)} pages not found in the WARCs: {unmatched[0]}"
                )
                raise WaczError(f"{target}: {reason}")
    return WaczReport(len(found), len(warcs), target)
