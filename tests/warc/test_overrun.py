"""A record whose Content-Length runs past its gzip member, LZ4 frame or the end of the file is
reported (file@offset) and dropped, and the records after it are kept, never credited to it."""

from __future__ import annotations

import random
import tracemalloc
import zlib
from collections import Counter
from pathlib import Path

import lz4.frame
import pytest

from linkscope.errors import ArchiveError
from linkscope.warc import WarcPage, iter_fetched_pages, iter_records
from linkscope.warc.ranges import split_at

HUGE = 99_999_999_999_999


def http(number: int, padding: bytes = b"") -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
            b"<html><body><a href='http://t%d.test/'>link %d</a>%s</body></html>"
            % (number, number, padding))


def record(number: int, length: int | None = None, kind: str = "response",
           padding: bytes = b"") -> bytes:
    """A record of http://a.test/<number> whose page links to http://t<number>.test/."""
    declared = len(http(number, padding)) if length is None else length
    return (b"WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: http://a.test/%d\r\n"
            b"WARC-Date: 2026-01-01T00:00:00Z\r\n"
            b"Content-Type: application/http; msgtype=%s\r\n"
            b"Content-Length: %d\r\n\r\n%s\r\n\r\n"
            % (kind.encode(), number, kind.encode(), declared, http(number, padding)))


def gzip_member(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


PACK = {"gzip": gzip_member, "lz4": lambda data: bytes(lz4.frame.compress(data)),
        "plain": lambda data: data}
SUFFIX = {"gzip": ".warc.gz", "lz4": ".warc.lz4", "plain": ".warc"}


def write(tmp_path: Path, kind: str, first: bytes, count: int = 3) -> tuple[Path, list[int]]:
    """`first` then good records 1..count-1, each packed alone; return the file and offsets."""
    pieces = [PACK[kind](first)] + [PACK[kind](record(n)) for n in range(1, count)]
    path = tmp_path / f"bad{SUFFIX[kind]}"
    path.write_bytes(b"".join(pieces))
    offsets = [sum(len(p) for p in pieces[:i]) for i in range(count)]
    return path, offsets


def read(path: Path, start: int = 0, stop: int | None = None
         ) -> tuple[list[WarcPage], list[ArchiveError], Counter[str]]:
    errors: list[ArchiveError] = []
    stats: Counter[str] = Counter()
    items = list(iter_fetched_pages(str(path), stats, on_error=errors.append,
                                    start=start, stop=stop))
    return [i for i in items if isinstance(i, WarcPage)], errors, stats


def short_by(overshoot: int) -> bytes:
    """Record 0 declaring `overshoot` bytes more than its block holds."""
    return record(0, len(http(0)) + overshoot)


@pytest.mark.parametrize("kind", ["gzip", "lz4", "plain"])
@pytest.mark.parametrize("first", ["huge", "into-next", "request-huge"])
def test_an_overrunning_record_is_reported_and_the_next_ones_kept(tmp_path: Path, kind: str,
                                                                  first: str) -> None:
    bad = {"huge": record(0, HUGE), "into-next": short_by(150),
           "request-huge": record(0, HUGE, kind="request")}[first]
    path, offsets = write(tmp_path, kind, bad)
    pages, errors, stats = read(path)
    assert [(p.url, p.warc_offset) for p in pages] == [
        ("http://a.test/1", offsets[1]), ("http://a.test/2", offsets[2])]
    assert all(b"t0.test" not in p.body for p in pages)
    (error,) = errors
    assert error.where == f"{path}@0"
    assert "Content-Length" in error.message and f"resumed at offset {offsets[1]}" in error.message
    assert stats["warc/errors"] == 1 and stats["warc/records"] == 2


@pytest.mark.parametrize("kind", ["gzip", "lz4", "plain"])
def test_byte_ranges_drop_the_overrunning_record_and_keep_the_others(tmp_path: Path,
                                                                     kind: str) -> None:
    path, offsets = write(tmp_path, kind, record(0, HUGE), count=6)
    ranges = split_at(str(path), [offsets[2] + 3, offsets[4] - 1])
    assert ranges[0] == (0, offsets[3]) and len(ranges) == 3
    found: list[str] = []
    errors: list[ArchiveError] = []
    for start, stop in ranges:
        pages, more, _ = read(path, start, stop)
        found += [p.url for p in pages]
        errors += more
    assert found == [f"http://a.test/{n}" for n in range(1, 6)]
    assert [e.where for e in errors] == [f"{path}@0"]


def test_records_are_yielded_once_in_order_with_good_files(tmp_path: Path) -> None:
    path, offsets = write(tmp_path, "gzip", record(0), count=5)
    assert [r.offset for r in iter_records(str(path))] == offsets


@pytest.mark.parametrize("kind", ["gzip", "plain"])
def test_a_huge_length_is_caught_before_its_block_is_read(tmp_path: Path, kind: str) -> None:
    """Reading the block first would take the rest of the file into memory."""
    blob = random.Random(7).randbytes(1 << 20)  # incompressible: members as big as records
    bodies = [record(0, HUGE)] + [record(n, padding=blob) for n in range(1, 25)]
    pieces = [zlib.compress(b, 1, 31) if kind == "gzip" else b for b in bodies]
    path = tmp_path / f"big{SUFFIX[kind]}"
    path.write_bytes(b"".join(pieces))
    errors: list[ArchiveError] = []
    tracemalloc.start()
    try:
        urls = [r.warc.get("WARC-Target-URI") for r in iter_records(str(path),
                                                                      on_error=errors.append)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert urls == [f"http://a.test/{n}" for n in range(1, 25)]
    assert [e.where for e in errors] == [f"{path}@0"]
    assert peak < 8 << 20, f"{peak / 1e6:.1f} MB traced for records of 1 MB"
