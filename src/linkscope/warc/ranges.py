"""Split a large local WARC file into byte ranges that separate readers can take: `plan_ranges`.

A file that is plain, or compressed record by record (a gzip member or an LZ4 frame per
record), can be cut anywhere: a range begins at the first record start at or after its cut
and holds every record that starts before the next range begins, so each record is read by
exactly one range. The record starts are found as the reader resynchronizes after damage
(`framing.find_next_start`), and a candidate counts only if a WARC header follows it (after
decompression) and, in a plain file, its Content-Length leads to another record or the end.

Files compressed as a whole, ARC files and URLs are not split: one range, the whole source.
"""

from __future__ import annotations

import os

from linkscope.warc.framing import (
    Compression,
    Format,
    find_next_start,
    one_record_per_member,
    plain_record_at,
    sniff,
)
from linkscope.warc.sources import ReplayReader, is_url, open_raw

Range = tuple[int, int]  # (first record start, where the next range begins)


def plan_ranges(source: str, count: int) -> list[Range]:
    """`count` byte ranges of about equal size covering `source`; see `split_at`."""
    size = os.path.getsize(source)
    return split_at(source, [size * index // count for index in range(1, count)])


def split_at(source: str, cuts: list[int]) -> list[Range]:
    """The ranges of a local file cut at the ascending offsets `cuts`, or one range, the whole
    file, when it cannot be split.

    Ranges are returned in file order, the first starting at 0 and the last ending at the
    file size; a cut with no record start between it and the next gives an empty range
    (start == stop).
    """
    if is_url(source):
        raise ValueError(f"only local files are split into ranges, not {source}")
    size = os.path.getsize(source)
    whole = [(0, size)]
    if not cuts:
        return whole
    reader = ReplayReader(open_raw(source), source)
    try:
        compression, fmt = sniff(reader)
        if fmt is not Format.WARC or not one_record_per_member(reader, compression):
            return whole
    finally:
        reader.close()
    starts = [0]
    for cut in cuts:
        cut = min(max(cut, starts[-1]), size)
        starts.append(_record_start_from(source, cut, size, compression))
    starts.append(size)
    return [(starts[i], starts[i + 1]) for i in range(len(starts) - 1)]


def _record_start_from(source: str, offset: int, size: int, compression: Compression) -> int:
    """The first offset at or after `offset` where a WARC record starts, else `size`."""
    reader = ReplayReader(open_raw(source), source, offset)
    try:
        position = offset
        while True:
            found = find_next_start(reader, position, compression, Format.WARC)
            if found is None:
                return size
            if _is_record_start(reader, found, compression):
                return found
            position = found + 1
    finally:
        reader.close()


def _is_record_start(reader: ReplayReader, offset: int, compression: Compression) -> bool:
    if sniff(reader, offset) != (compression, Format.WARC):
        return False  # a gzip or LZ4 magic inside compressed data, not a member holding a record
    if compression is not Compression.NONE:
        return True
    return plain_record_at(reader, offset)  # not a `WARC/1.x` line inside a stored body
