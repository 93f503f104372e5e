"""Whether a record stays inside its bounds: its gzip member, its LZ4 frame, or the file.

FastWARC reads a file compressed record by record as one stream, across member bounds. So a
record whose Content-Length is too large reads on into the records after it: to the end of
the file (its block comes up short), or into the middle of a later record (the next header
does not parse). (A length that ends exactly where a later record ends is not caught:
docs/warc.md says why.) `find_overrun` tells whether one record's
declared block fits where the record lies. In a compressed file the member or frame is the
bound, and the answer is certain; in a plain file only the end of the file is a bound, so a
block is taken to overrun when it runs past the end, or when a record that frames correctly
starts inside it (asked only after the parse failed right after it: a WARC stored in a WARC
looks the same).

The reader asks only on the error path, once at the end of a segment, and before reading a
block declared larger than 8 MiB: never for every record, which would decompress every
member twice.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from linkscope.warc.framing import (
    Compression,
    Format,
    find_next_start,
    header_extent,
    iter_unpacked,
    plain_record_at,
    record_end,
)
from linkscope.warc.sources import ReplayReader

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
        for piece in iter_unpacked(reader, offset, compression, end):
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
