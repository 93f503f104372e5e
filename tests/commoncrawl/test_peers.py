"""The look-alike and the Common Crawl sources checked by peer tools written by others:
cdxj-indexer (pywb's indexer) writes the same index lines for the look-alike's WARC files,
cdx-toolkit (Common Crawl's client) pages through the look-alike's index server and fetches
records by range, and a real Common Crawl WARC read by range requests from its cdxj-indexer
index gives the pages a whole-file ingest gives."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import cdx_toolkit
import pytest
from cdxj_indexer.main import main as cdxj_indexer

from linkscope.cli import main
from linkscope.records import Fetch
from linkscope.samples.ccserve import CommonCrawlServer
from linkscope.samples.commoncrawl import CRAWL, index_dir
from linkscope.store import open_index
from linkscope.warc import iter_fetched_pages
from tests.conftest import shared_data

Row = tuple[str, ...]


def index_rows(lines: list[str]) -> set[Row]:
    rows = set()
    for line in lines:
        key, stamp, text = line.split(" ", 2)
        fields = json.loads(text)
        if "status" not in fields:  # a metadata record (linkscope's failed fetches)
            continue
        rows.add((key, stamp, *(str(fields[name]) for name in
                                ("url", "offset", "length", "status", "mime", "filename")),
                  str(fields["digest"]).removeprefix("sha1:")))
    return rows


def test_lookalike_index_is_what_cdxj_indexer_writes(cc_web: Path, tmp_path: Path) -> None:
    root = cc_web / "commoncrawl"
    with gzip.open(root / "crawl-data" / CRAWL / "warc.paths.gz", "rt") as paths:
        warcs = [str(root / name) for name in paths.read().split()]
    out = tmp_path / "peer.cdxj"
    cdxj_indexer(["--dir-root", str(root), "-s", "-o", str(out), *warcs])
    ours = []
    for path in sorted(index_dir(root).glob("cdx-*.gz")):
        with gzip.open(path, "rt") as lines:
            ours.extend(lines.read().splitlines())
    peer = index_rows(out.read_text().splitlines())
    assert index_rows(ours) == peer and len(peer) == len(ours) > 500


def test_cdx_toolkit_pages_through_the_index_and_fetches_records(
        cc_web: Path, cc_server: CommonCrawlServer) -> None:
    host = "chordreverb.example"
    fetcher = cdx_toolkit.CDXFetcher(source=cc_server.api, warc_download_prefix=cc_server.base)
    captures = list(fetcher.iter(f"{host}/*", limit=10_000))
    pages = [r for r in cc_server.requests if "-index?" in r[0]]
    assert len(pages) >= 2  # more than one page of the index
    with sqlite3.connect(cc_web / "web.sqlite") as db:
        expected = db.execute("SELECT count(*) FROM responses WHERE host IN (?, ?) AND delay = 0",
                              (host, "www." + host)).fetchone()[0]
        first = next(c for c in captures if c["status"] == "200" and c["mime"] == "text/html")
        path = "/" + first["url"].split("/", 3)[3]
        body = db.execute("SELECT body FROM responses WHERE host = ? AND path = ?",
                          (first["url"].split("/")[2], path)).fetchone()[0]
    assert len(captures) == expected - len(_disallowed(cc_web, host))
    assert first.content == body


def _disallowed(web: Path, host: str) -> list[str]:
    with (web / "truth" / "pages.jsonl").open() as lines:
        return [p["url"] for p in map(json.loads, lines)
                if p["host"].removeprefix("www.") == host and p["robots_disallowed"]
                and p["delay"] == 0]


def test_a_real_common_crawl_warc_read_by_ranges(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    real = shared_data("warc", "resiliparse", "warcfile.warc.gz")
    mirror = tmp_path / "mirror"
    (mirror / "crawl-data").mkdir(parents=True)
    shutil.copy(real, mirror / "crawl-data" / real.name)
    cdx = tmp_path / "index.cdxj"
    cdxj_indexer(["--dir-root", str(mirror), "-s", "-o", str(cdx),
                  str(mirror / "crawl-data" / real.name)])
    wanted = {item.url for item in iter_fetched_pages(str(real)) if not isinstance(item, Fetch)
              and ((item.status == 200 and item.html) or 300 <= item.status < 400)}
    code = main(["--index", str(tmp_path / "idx"), "ingest", "--cdx", str(cdx), "--data-base",
                 str(mirror), "--workers", "1", "--no-rank", "--quiet"])
    assert code == 0, capsys.readouterr().err
    with open_index(tmp_path / "idx") as reader:
        urls = {r[0] for r in reader.con.execute("SELECT url FROM pages").fetchall()}
        links = reader.con.execute("SELECT count(*) FROM links").fetchone()[0]
    assert urls == wanted and len(wanted) >= 10
    assert main(["--index", str(tmp_path / "whole"), "ingest", str(real), "--workers", "1",
                 "--no-rank", "--quiet"]) == 0
    with open_index(tmp_path / "whole") as reader:
        whole = reader.con.execute("SELECT count(*) FROM links").fetchone()[0]
    assert links == whole
