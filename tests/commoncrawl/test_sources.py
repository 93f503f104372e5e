"""The Common Crawl sources of `linkscope ingest` against the look-alike: --cdx-api, --cdx and
--paths, Common Crawl's quirks, and one-line errors for bad input."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from linkscope.cli import main
from linkscope.commoncrawl.captures import iter_cdxj_file
from linkscope.commoncrawl.keys import graph_host, surt_key
from linkscope.commoncrawl.paths import choose, parse_slice
from linkscope.commoncrawl.plan import merge_extents
from linkscope.errors import FetchError, SourceError, UsageError
from linkscope.samples.ccserve import CommonCrawlServer
from linkscope.samples.commoncrawl import CRAWL, graph_files, index_dir
from linkscope.store import open_index
from tests.commoncrawl.conftest import captured, truth_rows
from tests.conftest import free_port, shared_data


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def page_urls(index: Path) -> set[str]:
    with open_index(index) as reader:
        return {row[0] for row in reader.con.execute("SELECT url FROM pages").fetchall()}


def host_truth(web: Path, host: str) -> set[str]:
    """The pages of `host` and `www.host` ingest keeps from the look-alike's captures."""
    names = {host, "www." + host}
    return {p["url"] for p in truth_rows(web, "pages.jsonl")
            if p["host"] in names and captured(p)}


def busiest_host(web: Path) -> str:
    counts = Counter(p["host"].removeprefix("www.") for p in truth_rows(web, "pages.jsonl"))
    return counts.most_common(1)[0][0]


def gz_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt") as text:
        return text.read().splitlines()


def index_lines(root: Path) -> list[str]:
    return [line for path in sorted(index_dir(root).glob("cdx-*.gz")) for line in gz_lines(path)]


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read()


# --- the look-alike and its server answer as Common Crawl does

def test_lookalike_writes_what_common_crawl_publishes(cc_web: Path) -> None:
    root = cc_web / "commoncrawl"
    lines = index_lines(root)
    assert lines == sorted(lines) and len(lines) > 500
    fields = [json.loads(line.split(" ", 2)[2]) for line in lines]
    assert all(isinstance(v, str) for f in fields for v in f.values())
    assert {"url", "mime", "status", "digest", "length", "offset", "filename"} <= fields[0].keys()
    statuses = Counter(f["status"] for f in fields)
    assert statuses["200"] and statuses["301"] and statuses["404"] and statuses["500"]
    assert any(f["mime"] == "application/pdf" for f in fields)
    www = next(line for line in lines if '"url": "http://www.' in line)
    assert ",www" not in www.split(" ")[0]  # the key drops www.
    warcs = gz_lines(root / "crawl-data" / CRAWL / "warc.paths.gz")
    wats = gz_lines(root / "crawl-data" / CRAWL / "wat.paths.gz")
    assert len(warcs) > 1 and all((root / name).is_file() for name in warcs)
    assert [w.replace("/wat/", "/warc/").replace(".warc.wat.gz", ".warc.gz") for w in wats] == warcs
    vertices_file, edges_file = graph_files(root)
    vertices = dict(line.split("\t") for line in gz_lines(vertices_file))
    names = list(vertices.values())
    assert names == sorted(names) and not any(n.endswith(".www") for n in names)
    ghost = graph_host("uncrawled-0.example")
    ids = {name: number for number, name in vertices.items()}
    edges = [line.split("\t") for line in gz_lines(edges_file)]
    assert any(source == ids[ghost] for source, _ in edges)


def test_index_server_quirks(cc_web: Path, cc_server: CommonCrawlServer) -> None:
    host = busiest_host(cc_web)
    status, body = get(f"{cc_server.api}?url={host}/*&output=json&showNumPages=true")
    pages = json.loads(body)["pages"]
    assert status == 200 and pages > 1
    query = f"{cc_server.api}?url={host}/*&output=json"
    lines = [json.loads(line) for page in range(pages)
             for line in get(f"{query}&page={page}")[1].splitlines()]
    assert {line["url"] for line in lines} >= host_truth(cc_web, host)
    same = get(f"{cc_server.api}?url=www.{host}/*&output=json&page=0")[1]
    assert same == get(f"{cc_server.api}?url={host}/*&output=json&page=0")[1]
    assert get(f"{cc_server.api}?url={host}/*&output=json&page={pages}")[0] == 400
    status, body = get(f"{cc_server.api}?url=nowhere.example/*&output=json")
    assert status == 404 and b"No Captures found" in body
    name = lines[0]["filename"]
    assert get(f"{cc_server.base}/{name}", {"Range": "bytes=0-9"}) [0] == 206
    status, body = get(f"{cc_server.base}/{name}", {"Range": "bytes=0-9,20-29"})
    assert status == 200 and len(body) == (cc_web / "commoncrawl" / name).stat().st_size


# --- ingest --cdx-api, --cdx

def test_ingest_cdx_api_reads_the_hosts_pages_by_range(
        cc_web: Path, cc_server: CommonCrawlServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    host = busiest_host(cc_web)
    code, out, err = run(["--index", str(tmp_path / "idx"), "ingest", "--cdx-api", cc_server.api,
                          "--data-base", cc_server.base, "--host", host, "--workers", "1",
                          "--no-rank", "--quiet"], capsys)
    assert code == 0, err
    assert page_urls(tmp_path / "idx") == host_truth(cc_web, host)
    data = [(path, wanted) for path, wanted in cc_server.requests if path.startswith("/crawl")]
    assert data and all(wanted.startswith("bytes=") for _, wanted in data)
    assert "cc/skipped/error-status=" in out and "cc/skipped/not-html=" in out


def test_ingest_when_the_server_ignores_ranges(
        cc_web: Path, cc_server: CommonCrawlServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    cc_server.ignore_ranges = True  # as for a request of several ranges: the whole file, 200
    host = busiest_host(cc_web)
    code, _, err = run(["--index", str(tmp_path / "idx"), "ingest", "--cdx-api", cc_server.api,
                        "--data-base", cc_server.base, "--host", host, "--workers", "1",
                        "--no-rank", "--quiet"], capsys)
    assert code == 0, err
    assert page_urls(tmp_path / "idx") == host_truth(cc_web, host)


def test_ingest_local_cdx_skips_and_counts_a_bad_line(
        cc_web: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = cc_web / "commoncrawl"
    host = busiest_host(cc_web)
    cdx = tmp_path / "some.cdxj"
    lines = index_lines(root)
    cdx.write_text("not a cdxj line {\n" + "".join(line + "\n" for line in lines))
    code, out, err = run(["--index", str(tmp_path / "idx"), "ingest", "--cdx", str(cdx),
                          "--data-base", str(root), "--host", host, "--workers", "1",
                          "--no-rank", "--quiet"], capsys)
    assert code == 0, err
    assert page_urls(tmp_path / "idx") == host_truth(cc_web, host)
    assert "cc/skipped/bad-line=1" in out
    stats: Counter[str] = Counter()
    assert len(list(iter_cdxj_file(cdx, stats))) == len(lines)


# --- ingest --paths

def test_ingest_paths_from_a_mirror_and_over_http_with_a_dropped_download(
        cc_web: Path, cc_server: CommonCrawlServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = cc_web / "commoncrawl"
    paths = root / "crawl-data" / CRAWL / "warc.paths.gz"
    names = gz_lines(paths)
    code, _, err = run(["--index", str(tmp_path / "local"), "ingest", "--paths", str(paths),
                        "--base", str(root), "--slice", f"1/{len(names)}", "--no-rank",
                        "--quiet"], capsys)
    assert code == 0, err
    local = page_urls(tmp_path / "local")
    cut = (root / names[0]).stat().st_size // 2
    cc_server.drop_after[f"/{names[0]}"] = cut
    code, _, err = run(["--index", str(tmp_path / "http"), "ingest", "--paths",
                        f"{cc_server.base}/crawl-data/{CRAWL}/warc.paths.gz", "--base",
                        cc_server.base, "--sample", "1", "--no-rank", "--quiet"], capsys)
    assert code == 0, err
    assert page_urls(tmp_path / "http") == local and local
    asked = [wanted for path, wanted in cc_server.requests if path == f"/{names[0]}"]
    assert asked[0] == "" and asked[1].startswith("bytes=") and int(
        asked[1][6:].split("-")[0]) >= cut - (1 << 16)  # resumed near where it dropped


def test_paths_rerun_after_a_kill_reads_no_finished_file(
        cc_web: Path, cc_server: CommonCrawlServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from linkscope.commoncrawl.paths import read_paths_file, sources_of
    from linkscope.store.generations import IndexDir
    from linkscope.store.ingest import plan_tasks, run_id_for
    from linkscope.store.parts import read_task

    root = cc_web / "commoncrawl"
    paths = root / "crawl-data" / CRAWL / "warc.paths.gz"
    names = read_paths_file(str(paths))
    sources = sources_of(names, cc_server.base)
    index = tmp_path / "idx"
    parts = IndexDir(index).runs / run_id_for(sources, None) / "parts"
    parts.mkdir(parents=True)
    read_task(plan_tasks(sources)[0], parts, "killed")  # what a killed run had finished
    mark = len(cc_server.requests)
    code, _, err = run(["--index", str(index), "ingest", "--paths", str(paths), "--base",
                        cc_server.base, "--no-rank", "--quiet"], capsys)
    assert code == 0, err
    read = {path for path, _ in cc_server.requests[mark:]}
    assert f"/{names[0]}" not in read and {f"/{n}" for n in names[1:]} <= read
    with open_index(index) as reader:
        assert reader.manifest["snapshots"][-1]["sources"] == sources


# --- bad input: one line naming what is wrong

@pytest.mark.parametrize("args, where, code", [
    (["--slice", "0/4"], "--slice", 2), (["--slice", "x"], "--slice", 2),
    (["--slice", "5/4"], "--slice", 2), (["--sample", "0"], "--sample", 2),
])
def test_bad_slice_and_sample(cc_web: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              args: list[str], where: str, code: int) -> None:
    paths = cc_web / "commoncrawl" / "crawl-data" / CRAWL / "warc.paths.gz"
    got, _, err = run(["--index", str(tmp_path / "idx"), "ingest", "--paths", str(paths),
                       "--base", str(cc_web / "commoncrawl"), *args], capsys)
    assert got == code and where in err and len(err.strip().splitlines()) == 1


def test_options_that_do_not_go_together(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--index", str(tmp_path / "idx"), "ingest"]
    for args, where in ((["--host", "a.example"], "--host"),
                        (["--paths", "x.gz"], "--base"),
                        (["--cdx-api", "http://127.0.0.1:9/x", "--data-base", "http://127.0.0.1:9/"],
                         "--host"),
                        (["a.warc.gz", "--cdx-api", "http://127.0.0.1:9/x"], "--cdx-api"),
                        ([], "PATHS")):
        code, _, err = run([*base, *args], capsys)
        assert code == 2 and where in err, (args, err)


def test_a_paths_file_that_lists_no_warc_file(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # a real Common Crawl paths file that lists the index table's Parquet files
    real = shared_data("warc", "cc-whirlwind", "CC-MAIN-2024-22.warc.paths.gz")
    code, _, err = run(["--index", str(tmp_path / "idx"), "ingest", "--paths", str(real),
                        "--base", "https://data.commoncrawl.org/"], capsys)
    assert code == 1 and f"{real}: lists no WARC or WAT files" in err
    broken = tmp_path / "warc.paths.gz"
    broken.write_bytes(gzip.compress(b"crawl-data/x.warc.gz\n")[:-6])
    code, _, err = run(["--index", str(tmp_path / "idx"), "ingest", "--paths", str(broken),
                        "--base", str(tmp_path)], capsys)
    assert code == 1 and f"{broken}: cannot read paths file" in err


def test_unreachable_base_and_index_server(cc_web: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    paths = cc_web / "commoncrawl" / "crawl-data" / CRAWL / "warc.paths.gz"
    code, _, err = run(["--index", str(tmp_path / "idx"), "ingest", "--paths", str(paths),
                        "--base", dead, "--sample", "1", "--no-rank", "--quiet"], capsys)
    assert code == 1 and f"{dead}/crawl-data/" in err and "cannot fetch" in err
    code, _, err = run(["--index", str(tmp_path / "idx"), "ingest", "--cdx-api", dead + "/x",
                        "--data-base", dead, "--host", "a.example"], capsys)
    assert code == 1 and f"{dead}/x?url=a.example/*" in err


# --- the pieces

def test_surt_keys_as_common_crawl_writes_them() -> None:
    assert surt_key("https://www.Example.com/A/b/?z=1&a=2#top") == "com,example)/a/b?a=2&z=1"
    assert surt_key("http://example.com") == "com,example)/"
    assert surt_key("http://blog.example.com:8080/x") == "com,example,blog:8080)/x"
    assert surt_key("example.com/about/") == "com,example)/about"
    assert graph_host("www.a.example.com") == "com.example.a"


def test_slices_and_samples_cover_the_list_once() -> None:
    names = [f"f{i}" for i in range(10)]
    assert sum((choose(names, part=(i, 3)) for i in range(1, 4)), []) == names
    assert choose(names, sample=3) == ["f0", "f3", "f6"]
    assert parse_slice("2/5") == (2, 5)
    with pytest.raises(UsageError):
        parse_slice("6/5")


def test_touching_records_are_read_in_one_range() -> None:
    from linkscope.commoncrawl.captures import Capture

    def at(offset: int, length: int) -> Capture:
        return Capture("u", "f", offset, length, 200, "text/html")

    assert merge_extents([at(100, 50), at(0, 100), at(300, 10)]) == [(0, 150), (300, 310)]


def test_samples_options_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["samples", "build", str(tmp_path / "web"), "--sites", "3",
                        "--as-common-crawl", "--port", "8790", "--quiet"], capsys)
    assert code == 2 and "--port" in err and not (tmp_path / "web").exists()
    code, _, err = run(["samples", "build", str(tmp_path / "web"), "--sites", "3", "--quiet"],
                       capsys)
    assert code == 0
    code, _, err = run(["samples", "serve", str(tmp_path / "web"), "--common-crawl",
                        "--duration", "0.1"], capsys)
    assert code == 1 and f"{tmp_path / 'web' / 'commoncrawl'}: no Common Crawl look-alike" in err


def test_index_client_waits_out_a_busy_server(cc_web: Path,
                                              cc_server: CommonCrawlServer) -> None:
    from linkscope.commoncrawl.index import IndexClient

    host = busiest_host(cc_web)
    calm = list(IndexClient(cc_server.api).captures(f"{host}/*", Counter()))
    cc_server.busy = 3
    client = IndexClient(cc_server.api, pause=0.01)
    assert list(client.captures(f"{host}/*", Counter())) == calm and calm
    assert cc_server.busy == 0
    cc_server.busy = 10
    with pytest.raises(FetchError, match="after 5 retries: HTTP 503"):
        list(IndexClient(cc_server.api, pause=0.01).captures(f"{host}/*", Counter()))


def test_a_host_graph_that_does_not_parse(tmp_path: Path) -> None:
    from linkscope.commoncrawl.hostgraph import linking_hosts

    vertices, edges = tmp_path / "v.txt.gz", tmp_path / "e.txt.gz"
    vertices.write_bytes(gzip.compress(b"0\tcom.example\n1\tcom.other\n"))
    edges.write_bytes(gzip.compress(b"one\ttwo\n"))
    with pytest.raises(SourceError, match="cannot read the host graph"):
        linking_hosts(vertices, edges, "example.com")
    edges.write_bytes(gzip.compress(b"1\t0\n"))
    assert linking_hosts(vertices, edges, "example.com") == (["example.com"], ["other.com"])
