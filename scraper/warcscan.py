"""Walk a WARC file record by record, surviving damage: truncation, flipped bytes, zeroed blocks.

warcio reads a damaged file silently (a cut file ends early with no word), or prints raw zlib
errors and record bytes to stderr. This scanner reads each gzip member itself, checks that it
holds one whole WARC record (its block as long as its Content-Length says), and on damage
searches forward for the next gzip member that starts a WARC record. Each damaged region
becomes one `Damage` naming its offsets and the reason in words, never the bytes themselves.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 256 * 1024
_HEAD = 64 * 1024  # enough decompressed bytes for any sane WARC header block
_PLAIN_START = re.compile(rb"(?:^|\r?\n)(WARC/1\.[01]\r?\n)")


@dataclass(frozen=True)
class RecordInfo:
    """One whole record: its type, target URI and where its gzip member lies."""

    rec_type: str
    url: str
    offset: int
    length: int


@dataclass(frozen=True)
class Damage:
    """A damaged region [start, end) of a WARC file; `end` is where reading resumed (or EOF)."""

    path: Path
    start: int
    end: int
    reason: str
    resumed: bool

    def line(self) -> str:
        after = (
            f"skipped {self.end - self.start:,} bytes, reading resumed at offset {self.end}"
            if self.resumed
            else "nothing readable after it"
        )
        return f"{self.path}: damaged at offset {self.start}: {self.reason}; {after}"


class _Bad(Exception):
    """Why the data at one offset is not a whole record (plain words, no raw bytes)."""


def _parse_head(head: bytes) -> tuple[str, str, int, int]:
    """(type, uri, header length, Content-Length) of a record starting at `head`."""
    if not head.startswith(b"WARC/"):
        raise _Bad("not a WARC record")
    end = head.find(b"\r\n\r\n")
    if end < 0:
        raise _Bad("WARC header not terminated")
    fields: dict[str, str] = {}
    for raw in head[:end].split(b"\r\n")[1:]:
        name, sep, value = raw.partition(b":")
        if not sep:
            raise _Bad("malformed WARC header line")
        fields[name.strip().decode("latin-1").lower()] = value.strip().decode("utf-8", "replace")
    length = fields.get("content-length", "")
    if not length.isdigit():
        raise _Bad("WARC header without a valid Content-Length")
    return fields.get("warc-type", ""), fields.get("warc-target-uri", ""), end + 4, int(length)


def _inflate_member(data, start: int) -> tuple[bytes, int, int]:
    """(first decompressed bytes, decompressed size, end offset) of the gzip member at `start`."""
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head = bytearray()
    total = 0
    position = start
    size = len(data)
    pending = b""
    step = 16 * 1024  # most records are a few KiB: grow the reads only for large ones
    try:
        while not decoder.eof:
            if not pending:
                if position >= size:
                    raise _Bad("the file ends inside this record (truncated)")
                pending = data[position : position + step]
                position += len(pending)
                step = min(step * 2, _CHUNK)
            out = decoder.decompress(pending, _CHUNK)
            pending = decoder.unconsumed_tail
            total += len(out)
            if len(head) < _HEAD:
                head += out[: _HEAD - len(head)]
    except zlib.error as exc:
        reason = str(exc).rsplit(": ", 1)[-1]
        raise _Bad(f"corrupt compressed data ({reason})") from None
    return bytes(head), total, position - len(decoder.unused_data)


def _next_member(data, after: int) -> int | None:
    """Offset of the next gzip member (after `after`) that decompresses to a WARC record start."""
    at = after
    while True:
        at = data.find(_GZIP_MAGIC, at + 1)
        if at < 0:
            return None
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = decoder.decompress(data[at : at + 4096], 16)
        except zlib.error:
            continue
        if out.startswith(b"WARC/"):
            return at


def _gzip_record(data, position: int) -> RecordInfo:
    head, total, end = _inflate_member(data, position)
    rec_type, url, header_length, content_length = _parse_head(head)
    # A record is its header, its block and CRLF CRLF.
    if total != header_length + content_length + 4:
        raise _Bad(
            f"the record holds {total - header_length:,} bytes after its header, "
            f"its Content-Length says {content_length:,} (+4)"
        )
    return RecordInfo(rec_type, url, position, end - position)


def _plain_record(data, position: int) -> RecordInfo:
    rec_type, url, header_length, content_length = _parse_head(
        bytes(data[position : position + _HEAD])
    )
    end = position + header_length + content_length + 4
    if end > len(data):
        raise _Bad("the file ends inside this record (truncated)")
    if data[end - 4 : end] != b"\r\n\r\n":
        raise _Bad("the record's block does not end where its Content-Length says")
    return RecordInfo(rec_type, url, position, end - position)


def _next_plain(data, after: int) -> int | None:
    match = _PLAIN_START.search(data, after + 1)
    return match.start(1) if match else None


def _walk(data, path: Path, read_one, find_next) -> Iterator[RecordInfo | Damage]:
    """Records from offset 0 on; on damage, one Damage and a jump to the next record start."""
    position = 0
    size = len(data)
    while position < size:
        if size - position <= 64 and not data[position:].strip(b"\r\n\t "):
            return  # trailing blank lines
        try:
            record = read_one(data, position)
        except _Bad as bad:
            resume = find_next(data, position)
            yield Damage(path, position, resume or size, str(bad), resume is not None)
            if resume is None:
                return
            position = resume
            continue
        yield record
        position = record.offset + record.length


def scan_warc(path: Path) -> Iterator[RecordInfo | Damage]:
    """Every whole record of a WARC (.warc.gz record by record, or .warc), and every damaged
    region, in file order. Raises OSError when the file cannot be opened."""
    path = Path(path)
    with open(path, "rb") as fh:
        if fh.seek(0, 2) == 0:
            return
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data[:3] == _GZIP_MAGIC or path.name.endswith(".gz"):
                yield from _walk(data, path, _gzip_record, _next_member)
            else:
                yield from _walk(data, path, _plain_record, _next_plain)


def record_damage(path: Path, offset: int) -> str | None:
    """Why the record at `offset` is not whole (in words), or None when it is."""
    path = Path(path)
    with open(path, "rb") as fh:
        if fh.seek(0, 2) <= offset:
            return "no record there (the file is shorter)"
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            gzipped = data[:3] == _GZIP_MAGIC or path.name.endswith(".gz")
            try:
                (_gzip_record if gzipped else _plain_record)(data, offset)
            except _Bad as bad:
                return str(bad)
    return None
