"""Bodies as text: bomb-proof decoding; charset from header, then <meta>, then detection."""

from __future__ import annotations

import re
import zlib

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.IGNORECASE)
_SINGLE_BYTE = {
    "iso-8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
    "cp1252",
    "windows-1251",
    "cp1251",
    "us-ascii",
    "ascii",
    "iso-8859-5",
    "koi8-r",
}


class BodyTooLarge(Exception):
    """A body (raw or decoded) over the size cap; the message says which."""


class BadEncoding(Exception):
    """A Content-Encoding that cannot be decoded (corrupt gzip/deflate or unsupported)."""


def decode_content(
    raw: bytes, content_encoding: str | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """Undo Content-Encoding (gzip, deflate; stacked), never producing more than `max_bytes`."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    data = raw
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, 16 + zlib.MAX_WBITS, max_bytes)
        elif coding == "deflate":
            try:
                data = _inflate(data, zlib.MAX_WBITS, max_bytes)
            except BadEncoding:
                data = _inflate(
                    data, -zlib.MAX_WBITS, max_bytes
                )  # raw deflate, as some servers send
        else:
            raise BadEncoding(f"unsupported Content-Encoding {coding!r}")
    return data


def _inflate(data: bytes, wbits: int, max_bytes: int) -> bytes:
    out = bytearray()
    decoder = zlib.decompressobj(wbits)
    pending = data
    try:
        while pending:
            out += decoder.decompress(pending, _CHUNK)
            if len(out) > max_bytes:
                raise BodyTooLarge(
                    f"decoded body larger than {max_bytes // (1024 * 1024)} MB (compression bomb?)"
                )
            pending = decoder.unconsumed_tail
            if decoder.eof:
                break
        out += decoder.flush(_CHUNK)
    except zlib.error as exc:
        raise BadEncoding(f"corrupt compressed body: {exc}") from None
    if len(out) > max_bytes:
        raise BodyTooLarge(
            f"decoded body larger than {max_bytes // (1024 * 1024)} MB (compression bomb?)"
        )
    return bytes(out)


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, lower-cased."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", content_type, re.IGNORECASE)
    return match.group(1).lower() if match else None


def _try(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_text(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding used): header charset, then <meta>/XML declaration, then detection.

    A single-byte header charset (ISO-8859-1 decodes anything) loses to valid UTF-8 non-ASCII
    bytes: servers that omit or misstate the charset usually default to Latin-1.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    declared = header_charset(content_type)
    head = body[:4096]
    meta_match = _META.search(head) or _XML_DECL.search(head)
    meta = meta_match.group(1).decode("ascii").lower() if meta_match else None
    candidates = [declared, meta]
    if declared in _SINGLE_BYTE or (declared is None and meta in _SINGLE_BYTE):
        if not body.isascii():
            utf8 = _try(body, "utf-8")
            if utf8 is not None:
                return utf8, "utf-8"
    for encoding in candidates:
        text = _try(body, encoding)
        if text is not None:
            return text, encoding  # type: ignore[return-value]
    if body.isascii():
        return body.decode("ascii"), "ascii"
    utf8 = _try(body, "utf-8")
    if utf8 is not None:
        return utf8, "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    if best is not None:
        return body.decode(best.encoding, "replace"), best.encoding
    return body.decode("utf-8", "replace"), "utf-8"
