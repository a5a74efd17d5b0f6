"""WARC evidence: write every exchange with warcio, read records back, replay a WARC offline."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.decode import DEFAULT_MAX_BYTES, BadEncoding, BodyTooLarge, decode_content
from scraper.exchange import (
    NOT_IN_REPLAY,  # noqa: F401  (re-exported)
    Exchange,
)
from scraper.warcscan import Damage, record_damage, scan_warc


class WarcError(Exception):
    """A WARC file that cannot be read; the message names the file and offset."""


def new_warc_name(prefix: str) -> str:
    """A fresh file name for this run: prefix, UTC time and process id."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{prefix}-{stamp}-{os.getpid()}.warc.gz"


class WarcStore:
    """Appends records to one `captures/*.warc.gz` file of an archive (thread-safe)."""

    def __init__(self, archive_folder: Path, name: str) -> None:
        self.folder = Path(archive_folder)
        self.relative = f"captures/{name}"
        self.path = self.folder / self.relative
        self._lock = threading.Lock()
        self._fh = None
        self._writer: WARCWriter | None = None

    def _open(self) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open for the run
            self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
            info = self._writer.create_warcinfo_record(
                self.path.name,
                {
                    "software": "Communiqué scraper",
                    "format": "WARC File Format 1.1",
                },
            )
            self._writer.write_record(info)
            self._fh.flush()

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None

    def record(self, exchange: Exchange) -> None:
        """Write the request and the response (or the failure) and note where it went."""
        with self._lock:
            self._open()
            assert self._writer is not None
            assert self._fh is not None
            writer = self._writer
            parts = urlsplit(exchange.url)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            date = {"WARC-Date": exchange.fetched_at}
            request = writer.create_warc_record(
                exchange.url,
                "request",
                payload=BytesIO(b""),
                length=0,
                http_headers=StatusAndHeaders(
                    f"{exchange.method} {path} HTTP/1.1",
                    exchange.request_headers,
                    is_http_request=True,
                ),
                warc_headers_dict=dict(date),
            )
            concurrent = {
                **date,
                "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID"),
            }
            if exchange.status is not None:
                if exchange.error:
                    concurrent["WARC-Truncated"] = (
                        "length"
                        if "cap" in exchange.error
                        else "time"
                        if "not complete after" in exchange.error
                        else "disconnect"
                    )
                status = f"{exchange.status} {exchange.reason}".strip()
                record = writer.create_warc_record(
                    exchange.url,
                    "response",
                    payload=BytesIO(exchange.raw_body),
                    length=len(exchange.raw_body),
                    http_headers=StatusAndHeaders(status, exchange.headers, protocol="HTTP/1.1"),
                    warc_headers_dict=concurrent,
                )
                payload = exchange.raw_body
            else:
                payload = f"error: {exchange.error}\n".encode()
                record = writer.create_warc_record(
                    exchange.url,
                    "metadata",
                    payload=BytesIO(payload),
                    length=len(payload),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict=concurrent,
                )
            writer.write_record(request)
            offset = self._fh.tell()
            writer.write_record(record)
            self._fh.flush()
            exchange.warc_file = self.relative
            exchange.warc_offset = offset
            exchange.warc_length = self._fh.tell() - offset
            exchange.payload_sha256 = hashlib.sha256(payload).hexdigest()

    def copy_member(self, member: bytes) -> tuple[int, int]:
        """Append one gzip member (a record copied verbatim from another WARC); (offset, length)."""
        with self._lock:
            self._open()
            assert self._fh is not None
            offset = self._fh.tell()
            self._fh.write(member)
            self._fh.flush()
            return offset, len(member)


def _exchange_from(record, url: str, max_bytes: int) -> Exchange:
    http = record.http_headers
    raw = record.raw_stream.read(max_bytes + 1)
    exchange = Exchange(
        url=url,
        fetched_at=record.rec_headers.get_header("WARC-Date") or "",
        status=int(http.get_statuscode()) if http and http.get_statuscode() else None,
        reason=(http.statusline.split(" ", 1)[1] if http and " " in http.statusline else ""),
        headers=list(http.headers) if http else [],
        raw_body=raw[:max_bytes],
        replayed=True,
    )
    if len(raw) > max_bytes:
        exchange.error = f"body over the {max_bytes // (1024 * 1024)} MB cap"
    if record.rec_headers.get_header("WARC-Truncated"):
        exchange.error = (
            f"truncated in the WARC ({record.rec_headers.get_header('WARC-Truncated')})"
        )
    try:
        exchange.body = decode_content(
            exchange.raw_body, exchange.header("Content-Encoding"), max_bytes
        )
    except (BodyTooLarge, BadEncoding) as exc:
        exchange.error = str(exc)
    return exchange


def read_exchange(path: Path, offset: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Exchange:
    """The response record at `offset` of a WARC file, as an Exchange."""
    try:
        # Checked first: warcio prints zlib errors and raw bytes of a damaged record to stderr.
        damage = record_damage(Path(path), offset)
        if damage is not None:
            raise WarcError(f"{path}: offset {offset}: damaged record: {damage}")
        with open(path, "rb") as fh:
            fh.seek(offset)
            for record in ArchiveIterator(fh):
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                return _exchange_from(record, url, max_bytes)
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        raise WarcError(f"{path}: offset {offset}: cannot read record: {exc}") from None
    raise WarcError(f"{path}: offset {offset}: no record there")


def iter_responses(
    path: Path, damages: list[Damage] | None = None
) -> Iterator[tuple[str, int, int]]:
    """(url, offset, length) of every whole response record, in file order.

    A damaged region is skipped up to the next readable record and appended to `damages`;
    without that list, the first damage raises WarcError naming the offset.
    """
    try:
        for item in scan_warc(Path(path)):
            if isinstance(item, Damage):
                if damages is None:
                    raise WarcError(item.line())
                damages.append(item)
            elif item.rec_type == "response":
                yield item.url, item.offset, item.length
    except FileNotFoundError:
        raise WarcError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise WarcError(f"{path}: cannot read: {exc}") from None


class WarcReplay:
    """Serves recorded responses by URL (the latest record wins); never touches the network.
    Damaged regions of the file are skipped and listed in `damages`."""

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.index: dict[str, tuple[int, int]] = {}
        self.damages: list[Damage] = []
        # What travels with a copied response so the evidence stays whole: its request (the
        # request record beside it for the same URL, else the last one for that URL) and the
        # file's warcinfo.
        self.requests: dict[tuple[int, int], tuple[int, int]] = {}
        self.warcinfo: tuple[int, int] | None = None
        records = []
        try:
            for item in scan_warc(self.path):
                if isinstance(item, Damage):
                    self.damages.append(item)
                else:
                    records.append(item)
        except FileNotFoundError:
            raise WarcError(f"{path}: no such file") from None
        except (OSError, ValueError) as exc:
            raise WarcError(f"{path}: cannot read: {exc}") from None
        last_request = {r.url: (r.offset, r.length) for r in records if r.rec_type == "request"}
        for i, record in enumerate(records):
            where = (record.offset, record.length)
            if record.rec_type == "warcinfo" and self.warcinfo is None:
                self.warcinfo = where
            elif record.rec_type == "response":
                self.index[record.url] = where
                beside = [
                    records[j]
                    for j in (i - 1, i + 1)
                    if 0 <= j < len(records)
                    and records[j].rec_type == "request"
                    and records[j].url == record.url
                ]
                request = (beside[0].offset, beside[0].length) if beside else None
                request = request or last_request.get(record.url)
                if request is not None:
                    self.requests[where] = request

    def urls(self) -> list[str]:
        return list(self.index)

    def lookup(self, url: str) -> Exchange | None:
        """The recorded exchange for `url`, or None when the WARC has no response for it."""
        where = self.index.get(url)
        if where is None:
            return None
        exchange = read_exchange(self.path, where[0], self.max_bytes)
        exchange.warc_offset, exchange.warc_length = where
        return exchange

    def member(self, offset: int, length: int) -> bytes:
        """The raw gzip member of a record, byte for byte."""
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            return fh.read(length)
