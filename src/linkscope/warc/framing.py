"""How records sit in a file: compression and format sniffing, record ends, resynchronizing.

A WARC or ARC file is a sequence of records, either plain or compressed record by record
(one gzip member or one LZ4 frame per record, as Common Crawl and every crawler write them).
After a damaged stretch the reader looks for the next place a record can start:

    gzip   the next gzip member header (1f 8b 08) whose first bytes inflate
    lz4    the next LZ4 frame magic (04 22 4d 18) whose first bytes decode
    plain  the next line `WARC/<version>` (WARC) or `<url> <ip> <14 digits> <type> <len>` (ARC)

These functions run only on the error path; the hot path never calls them.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from enum import StrEnum

import lz4.frame

from linkscope.warc.sources import ReplayReader

GZIP_MAGIC = b"\x1f\x8b\x08"
LZ4_MAGIC = b"\x04\x22\x4d\x18"
_WINDOW = 1 << 20
_WARC_LINE = re.compile(rb"(?:^|\n)(WARC/\d\.\d+\r?\n)")
_ARC_LINE = re.compile(rb"(?:^|\n)(\S+ \S+ \d{14} \S+ \d+\r?\n)")


class Compression(StrEnum):
    NONE = "none"
    GZIP = "gzip"
    LZ4 = "lz4"


class Format(StrEnum):
    WARC = "warc"
    ARC = "arc"
    UNKNOWN = "unknown"


def sniff(reader: ReplayReader, offset: int = 0) -> tuple[Compression, Format]:
    """The compression and the record format of the bytes at `offset`."""
    head = reader.peek_from(offset, 4096)
    if head.startswith(GZIP_MAGIC[:2]):
        compression, text = Compression.GZIP, _inflate_head(head)
    elif head.startswith(LZ4_MAGIC):
        compression, text = Compression.LZ4, _lz4_head(head)
    else:
        compression, text = Compression.NONE, head
    text = text.lstrip(b"\r\n")
    if text.startswith(b"WARC/"):
        return compression, Format.WARC
    if text.startswith(b"filedesc://") or _ARC_LINE.match(text.split(b"\n", 1)[0] + b"\n"):
        return compression, Format.ARC
    return compression, Format.UNKNOWN


def record_end(reader: ReplayReader, offset: int, compression: Compression) -> int | None:
    """Where the record (or compressed member) starting at `offset` ends, or None if unknown."""
    if compression is Compression.NONE:
        return _plain_end(reader, offset)
    decoder = _decoder(compression)
    position = offset
    try:
        while True:
            data = reader.peek_from(position, _WINDOW)
            if not data:
                return None
            for _ in decoder.pieces(data):
                pass
            if decoder.eof:
                return position + len(data) - decoder.leftover()
            position += len(data)
    except (zlib.error, RuntimeError, ValueError):
        return None


def find_next_start(
    reader: ReplayReader, offset: int, compression: Compression, fmt: Format,
    until: int | None = None,
) -> int | None:
    """The first offset at or after `offset` (and before `until`) where a record can start,
    or None at the end.

    Without `until` the bytes scanned past are forgotten (the reader's mark moves on), as
    resynchronizing never returns before them; with it they are kept for the caller.
    """
    position = offset
    while until is None or position < until:
        window = reader.peek_from(position, _WINDOW)
        if not window:
            return None
        start = 0
        while True:
            found = _find_candidate(window, start, compression, fmt)
            if found is None or (until is not None and position + found >= until):
                break
            if _plausible(reader, position + found, compression):
                return position + found
            start = found + 1
        if len(window) < _WINDOW:
            return None
        position += len(window) - 64  # overlap so that a split marker is still found
        if until is None:
            reader.mark(position)
    return None


def plain_record_at(reader: ReplayReader, offset: int) -> bool:
    """Whether a plain WARC record starts at `offset`: a header whose Content-Length ends at
    another `WARC/` line or at the end of the file, so that a WARC line stored inside a body
    is not taken for a record."""
    end = _plain_end(reader, offset)
    if end is None:
        return False
    size = reader.size()
    if size is not None and end > size:
        return False  # runs past the end of the file
    if size is None and not reader.peek_from(end - 1, 1):
        return False
    return reader.peek_from(end, 5) == b"WARC/" or only_padding_from(reader, end)


def only_padding_from(reader: ReplayReader, offset: int) -> bool:
    """Whether the file holds nothing but NUL bytes and line breaks from `offset` on."""
    position = offset
    while True:
        window = reader.peek_from(position, _WINDOW)
        if not window:
            return True
        if window.strip(b"\x00\r\n\t "):
            return False
        position += len(window)
        reader.mark(position)


def _find_candidate(window: bytes, start: int, compression: Compression, fmt: Format) -> int | None:
    if compression is Compression.GZIP:
        index = window.find(GZIP_MAGIC, start)
        return None if index < 0 else index
    if compression is Compression.LZ4:
        index = window.find(LZ4_MAGIC, start)
        return None if index < 0 else index
    pattern = _WARC_LINE if fmt is Format.WARC else _ARC_LINE
    match = pattern.search(window, start)
    return None if match is None else match.start(1)


def _plausible(reader: ReplayReader, offset: int, compression: Compression) -> bool:
    head = reader.peek_from(offset, 4096)
    if compression is Compression.GZIP:
        return bool(_inflate_head(head))
    if compression is Compression.LZ4:
        return bool(_lz4_head(head))
    return True


def _inflate_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 4096)
    except zlib.error:
        return b""


def _lz4_head(head: bytes) -> bytes:
    try:
        return bytes(lz4.frame.LZ4FrameDecompressor().decompress(head, max_length=4096))
    except RuntimeError:
        return b""


def header_extent(head: bytes) -> tuple[int, int] | None:
    """(length of the WARC header with its blank line, Content-Length) of the record whose
    first bytes are `head`, or None when the header is not complete in them."""
    blank = re.search(rb"\n\r*\n", head)  # bare LF (and CR CR LF) line ends occur
    if blank is None:
        return None
    match = re.search(rb"\nContent-Length:[ \t]*(\d+)", head[:blank.start()], re.IGNORECASE)
    if match is None:
        return None
    return blank.end(), int(match.group(1))


def _plain_end(reader: ReplayReader, offset: int) -> int | None:
    extent = header_extent(reader.peek_from(offset, 64 << 10))
    if extent is None:
        return None
    end = offset + extent[0] + extent[1]
    size = reader.size()
    if size is not None and end >= size:
        return end  # at or past the end of the file: nothing to peek at (nor to buffer)
    tail = reader.peek_from(end, 4)
    return end + 4 if tail == b"\r\n\r\n" else end


def iter_unpacked(reader: ReplayReader, offset: int, compression: Compression,
                  end: int | None = None) -> Iterator[bytes]:
    """The decompressed bytes of the gzip member or LZ4 frame at `offset` (ending before
    `end` if given), a window at a time: a member can inflate to far more than it holds.
    Raises zlib.error or RuntimeError when the data does not decompress."""
    decoder = _decoder(compression)
    position = offset
    while not decoder.eof and (end is None or position < end):
        window = _WINDOW if end is None else min(_WINDOW, end - position)
        data = reader.peek_from(position, window)
        if not data:
            return
        position += len(data)
        yield from decoder.pieces(data)


class _Decoder:
    """One gzip member or LZ4 frame, decoded a window of output at a time."""

    eof = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        """The output of `data`, no piece longer than a window (a member may inflate
        hugely)."""
        raise NotImplementedError

    def leftover(self) -> int:
        """At the end of the member: how many bytes of the last input lie past it."""
        raise NotImplementedError


class _GzipDecoder(_Decoder):
    def __init__(self) -> None:
        self.inner = zlib.decompressobj(wbits=31)

    def pieces(self, data: bytes) -> Iterator[bytes]:
        yield self.inner.decompress(data, _WINDOW)
        while self.inner.unconsumed_tail and not self.inner.eof:
            yield self.inner.decompress(self.inner.unconsumed_tail, _WINDOW)
        self.eof = self.inner.eof

    def leftover(self) -> int:
        return len(self.inner.unused_data)


class _Lz4Decoder(_Decoder):
    def __init__(self) -> None:
        self.inner = lz4.frame.LZ4FrameDecompressor()

    def pieces(self, data: bytes) -> Iterator[bytes]:
        yield bytes(self.inner.decompress(data, max_length=_WINDOW))
        while not self.inner.needs_input and not self.inner.eof:
            yield bytes(self.inner.decompress(b"", max_length=_WINDOW))
        self.eof = self.inner.eof

    def leftover(self) -> int:
        return len(self.inner.unused_data or b"")


def _decoder(compression: Compression) -> _Decoder:
    return _GzipDecoder() if compression is Compression.GZIP else _Lz4Decoder()


def one_record_per_member(reader: ReplayReader, compression: Compression, offset: int = 0) -> bool:
    """Whether the gzip member or LZ4 frame at `offset` (the first) holds exactly one record.

    Only then are record offsets meaningful seek points (the WARC standard's advice, and what
    every crawler writes); a file compressed as a whole holds all its records in one member.
    The member is inflated a window at a time, and only until the first record has ended: a
    file compressed as a whole is one member of gigabytes.
    """
    if compression is Compression.NONE:
        return True
    head = bytearray()
    record: int | None = None  # where the first record ends, in inflated bytes
    position = 0
    try:
        for piece in iter_unpacked(reader, offset, compression):
            if record is None:
                head += piece
                extent = header_extent(bytes(head[:64 << 10]))
                if extent is None:
                    if len(head) >= 64 << 10:
                        return True  # no header to judge by: the error path will say so
                    continue
                record = extent[0] + extent[1]
                piece = bytes(head)  # from the start of the member
            if piece[max(record - position, 0):].strip(b"\r\n\x00"):
                return False
            position += len(piece)
    except (zlib.error, RuntimeError):
        return True  # damaged from the start: the error path will say so
    return True
