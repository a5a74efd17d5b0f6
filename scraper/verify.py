"""Verify a capture's evidence: its WARC record is where the archive says, whole, and its
payload still has the SHA-256 recorded when it was captured (used by `check`)."""

from __future__ import annotations

import hashlib
import zlib
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed


def verify_capture(
    folder: Path, warc_file: str, offset: int | None, length: int | None, sha256: str | None
) -> str | None:
    """None when the record checks out, else the reason (one line, no raw bytes)."""
    path = folder / warc_file
    if offset is None:
        return f"{warc_file}: no record offset recorded"
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            member = fh.read(length) if length else fh.read(64 * 1024 * 1024)
    except FileNotFoundError:
        return f"{warc_file}: the WARC file is missing"
    except OSError as exc:
        return f"{warc_file}: cannot read ({exc.strerror})"
    where = f"{warc_file} at offset {offset}"
    if length and len(member) < length:
        return f"{where}: the record is cut short ({len(member)} of {length} bytes)"
    try:
        iterator = ArchiveIterator(BytesIO(member), check_digests=True)
        record = next(iter(iterator), None)
        if record is None:
            return f"{where}: no WARC record there"
        if record.rec_type == "response":
            payload = record.raw_stream.read()
        else:
            payload = record.content_stream().read()
        problems = list(record.digest_checker.problems) if record.digest_checker else []
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, zlib.error) as exc:
        reason = "".join(c if c.isprintable() else "?" for c in str(exc))[:160]
        return f"{where}: the record cannot be read ({reason or type(exc).__name__})"
    if sha256 and hashlib.sha256(payload).hexdigest() != sha256:
        return f"{where}: the payload's SHA-256 is not the one recorded at capture ({sha256})"
    if problems:
        return f"{where}: the WARC record's own digest does not match ({problems[0]})"
    return None


__all__ = ["verify_capture"]
