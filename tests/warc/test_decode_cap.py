"""A body that inflates far past the cap is decoded in a stream that stops at the cap: the page
is kept cut there and counted, and memory stays about the cap (issue 12: a 2.2 KB record cost
3 GB in ingest)."""

from __future__ import annotations

import tracemalloc
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest

from linkscope.store import ingest, open_index
from linkscope.warc import WarcPage, iter_fetched_pages
from linkscope.warc.decode import decode_payload
from linkscope.warc.write import WarcWriter

INFLATED = 64 << 20  # what the bomb decodes to
CAP = 1 << 20
PEAK = 4 * CAP  # allowed peak of traced memory while decoding: a few caps, not the inflated size
HEAD = b"<html><body><a href='http://target.test/'>kept</a><p>"


def _deflate(wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    spaces = b" " * (1 << 20)
    return b"".join([packer.compress(HEAD)] + [packer.compress(spaces)
                                               for _ in range(INFLATED >> 20)] + [packer.flush()])


def _brotli() -> bytes:
    packer = brotli.Compressor(quality=5)
    spaces = b" " * (1 << 20)
    return b"".join([packer.process(HEAD)] + [packer.process(spaces)
                                              for _ in range(INFLATED >> 20)] + [packer.finish()])


BOMBS: dict[str, Callable[[], bytes]] = {
    "gzip": lambda: _deflate(31), "deflate": lambda: _deflate(15),
    "raw-deflate": lambda: _deflate(-15), "br": _brotli,
}


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {name: make() for name, make in BOMBS.items()}


def coding(name: str) -> str:
    return "deflate" if name == "raw-deflate" else name


def traced_peak(run: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_decodes_to_the_cap_in_bounded_memory(bombs: dict[str, bytes], name: str) -> None:
    body = bombs[name]
    assert len(body) < 100_000
    stats: Counter[str] = Counter()
    headers = (("Content-Encoding", coding(name)),)
    decoded, peak = traced_peak(lambda: decode_payload(body, headers, stats, limit=CAP))
    assert isinstance(decoded, bytes)
    assert len(decoded) == CAP and decoded.startswith(HEAD)
    assert peak < PEAK, f"{peak / 1e6:.1f} MB traced while decoding {len(body)} bytes"
    assert stats == Counter({"warc/truncated/body": 1})


def test_bodies_under_the_cap_are_whole_and_not_counted(bombs: dict[str, bytes]) -> None:
    stats: Counter[str] = Counter()
    exactly = INFLATED + len(HEAD)  # a body of exactly the cap is whole
    for name in BOMBS:
        whole = decode_payload(bombs[name], (("Content-Encoding", coding(name)),), stats,
                               limit=exactly)
        assert len(whole) == exactly, name
    assert not stats
    plain = decode_payload(b"x" * 100, (), stats, limit=10)  # identity too: the page is cut
    assert plain == b"x" * 10 and stats["warc/truncated/body"] == 1
    stale = decode_payload(b"<html>already decoded</html>", (("Content-Encoding", "br"),),
                           stats, limit=CAP)
    assert stale == b"<html>already decoded</html>" and stats["warc/decode/failed-br"] == 1


def write_bomb_warc(directory: Path, body: bytes) -> Path:
    with WarcWriter(directory, prefix="bomb") as writer:
        writer.write_response("http://bomb.test/", "HTTP/1.1 200 OK",
                              [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                              body, time="2026-01-01T00:00:00Z")
    (path,) = writer.files
    return path


def test_reading_a_bomb_record_keeps_the_page_cut_at_the_cap(tmp_path: Path,
                                                             bombs: dict[str, bytes]) -> None:
    path = write_bomb_warc(tmp_path, bombs["gzip"])
    stats: Counter[str] = Counter()
    pages, peak = traced_peak(lambda: list(iter_fetched_pages(str(path), stats, max_body=CAP)))
    assert isinstance(pages, list)
    (page,) = pages
    assert isinstance(page, WarcPage) and len(page.body) == CAP and page.html
    assert peak < PEAK + 2 * len(bombs["gzip"])
    assert stats["warc/truncated/body"] == 1


def test_ingest_keeps_the_cut_page_and_counts_it(tmp_path: Path, bombs: dict[str, bytes]) -> None:
    path = write_bomb_warc(tmp_path, bombs["gzip"])
    report, peak = traced_peak(lambda: ingest(tmp_path / "idx", [str(path)], workers=1,
                                              max_decoded_body=CAP))
    assert peak < 16 * CAP, f"{peak / 1e6:.1f} MB traced during the ingest"
    assert report.counters["warc/truncated/body"] == 1  # type: ignore[attr-defined]
    with open_index(tmp_path / "idx") as index:
        assert index.con.execute("SELECT source, target FROM links").fetchall() == [
            ("http://bomb.test/", "http://target.test/")]
