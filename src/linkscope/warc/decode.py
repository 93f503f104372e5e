"""Undo HTTP transfer and content encodings of an archived payload, leniently.

Archives often keep a `Transfer-Encoding: chunked` or `Content-Encoding: gzip` header over a
body that was already decoded when it was written (pywb's iana captures do). So each step is
tried and, when the body does not decode, the body is kept as recorded and the failure counted:
a bad record is never fatal.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter

import brotli

log = logging.getLogger(__name__)


def decode_payload(
    body: bytes, headers: tuple[tuple[str, str], ...], stats: Counter[str] | None = None
) -> bytes:
    """The payload with chunking and gzip/deflate/br content encodings removed where possible."""
    transfer = content = ""
    for name, value in headers:
        lowered = name.lower()
        if lowered == "transfer-encoding":
            transfer = value.lower()
        elif lowered == "content-encoding":
            content = value.lower()
    if "chunked" in transfer:
        dechunked = dechunk(body)
        if dechunked is None:
            _count(stats, "warc/decode/not-chunked")
        else:
            body = dechunked
    for coding in reversed([c.strip() for c in content.split(",") if c.strip()]):
        if coding in ("identity", "none"):
            continue
        decoded = _decompress(body, coding)
        if decoded is None:
            _count(stats, f"warc/decode/failed-{coding}")
            break
        body = decoded
    return body


def dechunk(body: bytes) -> bytes | None:
    """Join the chunks of a chunked body, or None if the body is not chunked."""
    out: list[bytes] = []
    position = 0
    size_total = len(body)
    while position < size_total:
        line_end = body.find(b"\n", position)
        if line_end < 0:
            return None
        size_text = body[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        if size < 0:
            return None
        if size == 0:
            return b"".join(out)
        start = line_end + 1
        if start + size > size_total:
            out.append(body[start:])  # a clipped last chunk: keep what is there
            return b"".join(out)
        out.append(body[start:start + size])
        position = start + size
        if body[position:position + 2] == b"\r\n":
            position += 2
        elif body[position:position + 1] == b"\n":
            position += 1
    return b"".join(out)


def _decompress(body: bytes, coding: str) -> bytes | None:
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(body, 47)  # gzip or zlib header
        if coding == "deflate":
            try:
                return _inflate(body, 15)
            except zlib.error:
                return _inflate(body, -15)  # raw deflate, as some servers send
        if coding == "br":
            return bytes(brotli.decompress(body))
    except (zlib.error, brotli.error) as exc:
        log.debug("cannot decode %s body: %s", coding, exc)
        return None
    return None


def _inflate(body: bytes, wbits: int) -> bytes:
    decoder = zlib.decompressobj(wbits=wbits)
    data = decoder.decompress(body)
    return data + decoder.flush()  # a clipped stream yields what it holds


def _count(stats: Counter[str] | None, key: str) -> None:
    if stats is not None:
        stats[key] += 1
