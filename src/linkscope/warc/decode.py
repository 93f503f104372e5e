"""Undo HTTP transfer and content encodings of an archived payload, leniently and with a cap.

Archives often keep a `Transfer-Encoding: chunked` or `Content-Encoding: gzip` header over a
body that was already decoded when it was written (pywb's iana captures do). So each step is
tried and, when the body does not decode, the body is kept as recorded and the failure counted:
a bad record is never fatal.

A content coding can inflate a few kilobytes into gigabytes (a 2.2 KB record held a gzip body
of 1 GiB), so every coding is decoded in a stream that stops at `limit` bytes: the payload is
kept cut there and counted as `<prefix>/truncated/body`. Memory stays about `limit`, whatever
the body inflates to.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter

import brotli

log = logging.getLogger(__name__)


def decode_payload(
    body: bytes, headers: tuple[tuple[str, str], ...], stats: Counter[str] | None = None,
    *, limit: int, prefix: str = "warc",
) -> bytes:
    """The payload with chunking and gzip/deflate/br content encodings removed where possible,
    at most `limit` bytes of it; counters go under `prefix` (`warc/decode/failed-gzip`)."""
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
            _count(stats, f"{prefix}/decode/not-chunked")
        else:
            body = dechunked
    truncated = False
    for coding in reversed([c.strip() for c in content.split(",") if c.strip()]):
        if coding in ("identity", "none"):
            continue
        decoded = _decompress(body, coding, limit, clipped=truncated)
        if decoded is None:
            _count(stats, f"{prefix}/decode/failed-{coding}")
            break
        body, cut = decoded
        truncated = truncated or cut
    if len(body) > limit:
        body, truncated = body[:limit], True
    if truncated:
        _count(stats, f"{prefix}/truncated/body")
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


def _decompress(body: bytes, coding: str, limit: int, clipped: bool
                ) -> tuple[bytes, bool] | None:
    """(the decoded bytes, at most `limit`; whether there were more), or None when `body`
    does not decode. `clipped`: the body was itself cut at the limit, so an unfinished
    stream is expected."""
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(body, 47, limit)  # gzip or zlib header
        if coding == "deflate":
            try:
                return _inflate(body, 15, limit)
            except zlib.error:
                return _inflate(body, -15, limit)  # raw deflate, as some servers send
        if coding == "br":
            return _unbrotli(body, limit, clipped)
    except (zlib.error, brotli.error) as exc:
        log.debug("cannot decode %s body: %s", coding, exc)
        return None
    return None


def _inflate(body: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    decoder = zlib.decompressobj(wbits=wbits)
    data = decoder.decompress(body, limit + 1)
    if len(data) > limit:
        return data[:limit], True
    # all input consumed: what a clipped stream still holds comes out of flush, bounded by
    # the input that is left (none)
    data += decoder.flush()
    return (data[:limit], True) if len(data) > limit else (data, False)


def _unbrotli(body: bytes, limit: int, clipped: bool) -> tuple[bytes, bool] | None:
    decoder = brotli.Decompressor()
    data = decoder.process(body, output_buffer_limit=limit + 1)
    if len(data) > limit:
        return data[:limit], True
    if not decoder.is_finished() and not clipped:
        return None  # an unfinished stream: not brotli after all (brotli.decompress refuses)
    return data, False


def _count(stats: Counter[str] | None, key: str) -> None:
    if stats is not None:
        stats[key] += 1
