"""Whether a record stays inside its bounds: its gzip member, its LZ4 frame, or the file.

FastWARC reads a file compressed record by record as one stream, across member bounds. So a
record whose Content-Length is too large reads on into the records after it: to the end of
the file (its block comes up short), into the middle of a later record (the next header does
not parse), or, by chance, to the very end of a later record (everything parses, and the
swallowed records' bytes would be credited to it). `find_overrun` tells whether one record's
declared block fits where the record lies. In a compressed file the member or frame is the
bound, and the answer is certain; in a plain file only the end of the file is a bound, so a
block is taken to overrun when it runs past the end, or when a record that frames correctly
starts inside it (asked only after the parse failed right after it: a WARC stored in a WARC
looks the same).

The reader asks only on the error path, once at the end of a segment, and for a block holding
a line that starts with `WARC/`: never for every record, which would decompress every member
twice.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import lz4.frame

from linkscope.warc.framing import (
    Compression,
    Format,
    find_next_start,
    header_extent,
    plain_record_at,
    record_end,
)
from linkscope.warc.sources import ReplayReader

_WINDOW = 1 << 20
_HEAD = 64 << 10  # a WARC header longer than this is not framed (FastWARC refuses it too)


@dataclass(frozen=True, slots=True)
class Overrun:
    """A record whose block runs past its bounds: what to report, and where to read on."""

    message: str
    resume: int | None  # where the next record starts (the end of the member, or the record
    # the block ran into); None when it has to be found by resynchronizing


def find_overrun(reader: ReplayReader, offset: int, compression: Compression) -> Overrun | None:
    """The overrun of the record at `offset`, or None when its block fits (or when its
    framing is damaged in another way, which the reader reports as such)."""
    if compression is Compression.NONE:
        return _plain_overrun(reader, offset)
    return _packed_overrun(reader, offset, compression)


def _packed_overrun(reader: ReplayReader, offset: int, compression: Compression
                    ) -> Overrun | None:
    end = record_end(reader, offset, compression)
    if end is None:
        return None  # the member itself is damaged
    head = bytearray()
    size = 0
    try:
        for piece in _unpack(reader, offset, end, compression):
            if len(head) < _HEAD:
                head += piece[:_HEAD - len(head)]
            size += len(piece)
    except (zlib.error, RuntimeError):
        return None
    extent = header_extent(bytes(head))
    if extent is None:
        return None
    header, length = extent
    if header + length <= size:
        return None
    unit = "gzip member" if compression is Compression.GZIP else "LZ4 frame"
    return Overrun(f"Content-Length {length} runs past the record's {unit}, which holds "
                   f"{max(size - header, 0)} bytes of block", end)


def _unpack(reader: ReplayReader, offset: int, end: int, compression: Compression
            ) -> Iterator[bytes]:
    """The decompressed bytes of the member or frame in [offset, end), a window at a time
    (a member can inflate to far more than it holds)."""
    position = offset
    if compression is Compression.GZIP:
        inflater = zlib.decompressobj(wbits=31)
        while position < end and not inflater.eof:
            data = reader.peek_from(position, min(_WINDOW, end - position))
            if not data:
                return
            position += len(data)
            yield inflater.decompress(data, _WINDOW)
            while inflater.unconsumed_tail and not inflater.eof:
                yield inflater.decompress(inflater.unconsumed_tail, _WINDOW)
        return
    decoder = lz4.frame.LZ4FrameDecompressor()
    while position < end and not decoder.eof:
        data = reader.peek_from(position, min(_WINDOW, end - position))
        if not data:
            return
        position += len(data)
        yield bytes(decoder.decompress(data, max_length=_WINDOW))
        while not decoder.needs_input and not decoder.eof:
            yield bytes(decoder.decompress(b"", max_length=_WINDOW))


def _plain_overrun(reader: ReplayReader, offset: int) -> Overrun | None:
    extent = header_extent(reader.peek_from(offset, _HEAD))
    if extent is None:
        return None
    header, length = extent
    block, end = offset + header, offset + header + length
    size = reader.size()
    if size is not None and end > size:
        return Overrun(f"Content-Length {length} runs past the end of the file, "
                       f"{size - block} bytes after the header", None)
    position = block
    while (found := find_next_start(reader, position, Compression.NONE, Format.WARC,
                                    until=end)) is not None:
        if plain_record_at(reader, found):
            return Overrun(f"Content-Length {length} runs into the record at offset {found}",
                           found)
        position = found + 1
    return None
