"""The crawler's body limit counts bytes on the wire; what a page decodes to has its own cap:
a small gzip body that inflates far past it is cut there, its links still found, and memory
stays about the cap."""

from __future__ import annotations

import http.server
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkscope.crawl import CrawlConfig, crawl
from linkscope.store import open_index
from tests.warc.test_decode_cap import CAP, _deflate

PAGES: dict[str, tuple[bytes, list[tuple[str, str]]]] = {}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        body, headers = PAGES.get(self.path, (b"not found", []))
        self.send_response(200 if self.path in PAGES else 404)
        for name, value in [("Content-Length", str(len(body))), *headers]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bomb_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    PAGES.clear()
    PAGES["/"] = (_deflate(31), [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 bomb.test target.test\n")
    yield f"http://bomb.test:{server.server_address[1]}/", hosts
    server.shutdown()
    server.server_close()


def test_a_crawled_bomb_is_cut_at_the_cap(bomb_site: tuple[str, Path], tmp_path: Path) -> None:
    seed, hosts = bomb_site
    config = CrawlConfig(seeds=(seed,), scope="links:1", hosts_file=str(hosts),
                         allow_private=True, per_host_delay=0.0, timeout=5.0, retries=0,
                         max_decoded_body=CAP)
    tracemalloc.start()
    try:
        report = crawl(tmp_path / "idx", config, workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 24 * CAP, f"{peak / 1e6:.1f} MB traced during the crawl"
    assert report.counters["crawl/truncated/body"] == 1
    assert report.ingest is not None and report.ingest.counters["warc/truncated/body"] == 1
    with open_index(tmp_path / "idx") as index:
        assert ("http://target.test/",) in index.con.execute(
            "SELECT url FROM fetches").fetchall()  # the link at the top was followed
