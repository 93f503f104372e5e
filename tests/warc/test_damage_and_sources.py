"""Damaged archives keep every good record around the damage; URLs stream like files."""

from __future__ import annotations

import http.server
import threading
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from linkscope.errors import ArchiveError, SourceError, UsageError
from linkscope.warc import WarcPage, expand_sources, iter_fetched_pages, iter_records
from linkscope.warc.write import WarcWriter


def write_sample(directory: Path, pages: int = 6) -> Path:
    with WarcWriter(directory, prefix="t") as writer:
        for number in range(pages):
            url = f"http://site{number}.test/"
            request = writer.write_request(url, f"GET / HTTP/1.1\r\nHost: site{number}.test\r\n\r\n"
                                           .encode(), time="2026-11-24T10:00:00Z", ip="127.0.0.2")
            body = f"<html><body><a href='/p{number}'>page {number}</a></body></html>".encode()
            writer.write_response(url, "HTTP/1.1 200 OK", [("Content-Type", "text/html")], body,
                                  time="2026-11-24T10:00:01Z", ip="127.0.0.2",
                                  concurrent_to=request)
        writer.write_failure("http://gone.test/", "2026-11-24T10:00:02Z", "dns",
                             message="Name or service not known")
    (path,) = writer.files
    return path


def read(path: Path | str) -> tuple[list[WarcPage], list[ArchiveError], Counter[str]]:
    errors: list[ArchiveError] = []
    stats: Counter[str] = Counter()
    items = list(iter_fetched_pages(str(path), stats, on_error=errors.append))
    return [i for i in items if isinstance(i, WarcPage)], errors, stats


def test_writer_round_trip(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    assert path.name.endswith(".warc.gz") and not list(tmp_path.glob("*.open"))
    stats: Counter[str] = Counter()
    items = list(iter_fetched_pages(str(path), stats))
    pages = [i for i in items if isinstance(i, WarcPage)]
    (failure,) = [i for i in items if not isinstance(i, WarcPage)]
    assert [p.url for p in pages] == [f"http://site{n}.test/" for n in range(6)]
    assert all(p.html and p.status == 200 and p.ip == "127.0.0.2" for p in pages)
    assert pages[0].fetch_time == "2026-11-24T10:00:01Z" and b"page 0" in pages[0].body
    assert failure.url == "http://gone.test/" and failure.error == "dns"  # type: ignore[union-attr]
    assert failure.status is None  # type: ignore[union-attr]
    assert stats["warc/records"] == 14 and stats["warc/failures"] == 1
    assert stats["warc/skipped/request"] == 6 and stats["warc/skipped/warcinfo"] == 1


def test_writer_rotates_by_size(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, max_bytes=600) as writer:
        for number in range(5):
            writer.write_response(f"http://a.test/{number}", "HTTP/1.1 200 OK",
                                  [("Content-Type", "text/html")], b"<html>" + b"x" * 400)
    assert len(writer.files) >= 3
    urls = [p.url for f in writer.files for p in iter_fetched_pages(str(f))]
    assert urls == [f"http://a.test/{n}" for n in range(5)]


def test_bad_gzip_member_is_reported_and_the_next_members_kept(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    good = list(iter_records(str(path)))
    victim = good[6]  # the third response's member
    data = bytearray(path.read_bytes())
    assert victim.offset is not None
    data[victim.offset + 20: victim.offset + 60] = b"\xff" * 40  # corrupt its deflate stream
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(bytes(data))
    pages, errors, stats = read(broken)
    assert len(pages) == 5 and stats["warc/errors"] == 1
    (error,) = errors
    assert error.where == f"{broken}@{victim.offset}"
    assert "\n" not in error.one_line() and "resumed at offset" in error.one_line()


def test_truncated_gzip_file_keeps_records_before(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 150])  # into the last member (the failure record)
    pages, errors, stats = read(cut)
    assert len(pages) == 6 and len(errors) == 1 and stats["warc/failures"] == 0
    assert "nothing readable after it" in errors[0].one_line()


def test_garbage_between_plain_records_is_skipped(tmp_path: Path) -> None:
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.test/%d\r\n"
              b"WARC-Date: 2026-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response"
              b"\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>hi</html>"
    first, second = (record % (n, len(http), http) for n in (1, 2))
    junk = b"this is not a record\r\n" * 3
    path = tmp_path / "junk.warc"
    path.write_bytes(first + junk + second)
    pages, errors, _ = read(path)
    assert [p.url for p in pages] == ["http://a.test/1", "http://a.test/2"]
    assert [e.where for e in errors] == [f"{path}@{len(first)}"]


def test_not_an_archive_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"hello\n")
    pages, errors, _ = read(path)
    assert pages == [] and errors[0].where == f"{path}@0"
    with pytest.raises(SourceError, match="missing.warc"):
        list(iter_records(str(tmp_path / "missing.warc")))


def test_expand_sources(tmp_path: Path) -> None:
    for name in ("b.warc.gz", "a.warc", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert expand_sources([str(tmp_path / "*.warc*")]) == [
        str(tmp_path / "a.warc"), str(tmp_path / "b.warc.gz")]
    assert expand_sources([str(tmp_path), "http://127.0.0.1/x.warc"]) == [
        str(tmp_path / "a.warc"), str(tmp_path / "b.warc.gz"), "http://127.0.0.1/x.warc"]
    with pytest.raises(UsageError, match="nothing"):
        expand_sources([str(tmp_path / "nothing*.warc")])


@pytest.fixture
def loopback(tmp_path: Path) -> Iterator[str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[assignment, method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_streams_like_a_file_including_recovery(tmp_path: Path, loopback: str) -> None:
    path = write_sample(tmp_path)
    data = bytearray(path.read_bytes())
    victim = list(iter_records(str(path)))[6]
    assert victim.offset is not None
    data[victim.offset + 20: victim.offset + 60] = b"\xff" * 40
    (tmp_path / "broken.warc.gz").write_bytes(bytes(data))
    local, _, _ = read(path)
    remote, errors, _ = read(f"{loopback}/{path.name}")
    assert [(p.url, p.body, p.warc_offset) for p in remote] == [
        (p.url, p.body, p.warc_offset) for p in local]
    assert remote[0].warc_file == f"{loopback}/{path.name}" and errors == []
    broken_pages = list(iter_fetched_pages(f"{loopback}/broken.warc.gz", on_error=errors.append))
    assert len(broken_pages) == 6 and [e.where for e in errors] == [
        f"{loopback}/broken.warc.gz@{victim.offset}"]
    with pytest.raises(SourceError, match="404"):
        list(iter_records(f"{loopback}/absent.warc.gz"))
