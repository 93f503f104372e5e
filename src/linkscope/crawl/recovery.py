"""After a kill: keep the complete records of the WARC file that was open, drop the rest.

The crawler writes a fetch's records, flushes them, then commits the fetch as done; fetches are
written in the order they are committed. So in a `.open` file left by a kill, the records of
done URLs form a prefix, followed by at most the records of fetches not yet committed and
perhaps a gzip member cut short. Recovery keeps that prefix (those fetches are not repeated),
truncates the file after it, and renames it as a finished file; the URLs of the dropped
records are still queued in the frontier and are fetched again. Nothing is duplicated.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

_CHUNK = 1 << 16


def iter_members(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(end offset, inflated bytes) of each complete gzip member from the start of a file."""
    offset = 0
    while True:
        handle.seek(offset)
        inflater = zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        consumed = 0
        try:
            while not inflater.eof:
                chunk = handle.read(_CHUNK)
                if not chunk:
                    return  # cut short (or the end of the file)
                consumed += len(chunk)
                parts.append(inflater.decompress(chunk))
        except zlib.error:
            return
        offset += consumed - len(inflater.unused_data)
        yield offset, b"".join(parts)


def record_head(data: bytes) -> tuple[str, str | None] | None:
    """(WARC-Type, WARC-Target-URI) of a complete record, or None when it is cut short."""
    end = data.find(b"\r\n\r\n")
    if end < 0 or not data.startswith(b"WARC/"):
        return None
    fields: dict[str, str] = {}
    for line in data[:end].decode("utf-8", "replace").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    try:
        length = int(fields.get("content-length", "-1"))
    except ValueError:
        return None
    if length < 0 or len(data) < end + 4 + length:
        return None
    return fields.get("warc-type", ""), fields.get("warc-target-uri")


def recover_file(path: Path, finished: Callable[[str], bool]) -> Path | None:
    """Keep the records of finished URLs at the head of an `.open` file; return the kept file,
    or None when nothing worth keeping was in it (the file is then removed)."""
    keep = 0
    records = 0
    with path.open("rb") as handle:
        for end, data in iter_members(handle):
            head = record_head(data)
            if head is None:
                break
            kind, url = head
            if kind != "warcinfo" and (url is None or not finished(url)):
                break
            keep = end
            records += kind != "warcinfo"
    if records == 0:
        path.unlink()
        log.info("recovery: %s held no finished fetch; removed", path.name)
        return None
    with path.open("r+b") as handle:
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    final = path.with_name(path.name.removesuffix(".open"))
    os.replace(path, final)
    log.info("recovery: kept %d records of %s", records, final.name)
    return final


def recover_directory(directory: Path, finished: Callable[[str], bool]) -> list[Path]:
    """Recover every `.open` WARC file of a crawl directory."""
    kept = []
    for path in sorted(directory.glob("*.warc.gz.open")):
        result = recover_file(path, finished)
        if result is not None:
            kept.append(result)
    return kept
