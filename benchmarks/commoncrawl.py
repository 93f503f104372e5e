"""What `linkscope discover` reads to find one domain's backlinks, against reading the whole
crawl (`ingest --paths`), both from the Common Crawl look-alike of the sample web served on
loopback (`samples serve --common-crawl`) in the same run.

    discover  host graph -> index look-ups -> range requests for the linking hosts' captures
    whole     every WARC file of the crawl, streamed, then the same target's backlinks

Two targets: the most linked domain and the median one (by links from other domains). It
prints, for each: requests, bytes fetched, seconds, and the target's referring pages found
against those of the whole crawl (all there are), with the ratios.

Run: .venv/bin/python benchmarks/commoncrawl.py [--sites 300] [--workers 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from linkscope.reports import backlinks
from linkscope.samples import WebConfig, write_sample_web
from linkscope.samples.ccserve import BackgroundCommonCrawlServer, CommonCrawlServer
from linkscope.samples.commoncrawl import CRAWL, graph_files, write_as_common_crawl
from linkscope.store import open_index
from linkscope.urls import registrable_domain, split_host

LINKSCOPE = str(Path(sys.executable).with_name("linkscope"))


def targets(web: Path) -> list[str]:
    """The most linked domain and the median one (by links from other domains)."""
    import json

    counts: Counter[str] = Counter()
    with (web / "truth" / "links.jsonl").open() as lines:
        for line in lines:
            link = json.loads(line)
            source = registrable_domain(split_host(link["source"]))
            target = registrable_domain(split_host(link["target"]))
            if target and source != target:
                counts[target] += 1
    ranked = [domain for domain, _ in counts.most_common()]
    return [ranked[0], ranked[len(ranked) // 2]]


def data_bytes(server: CommonCrawlServer, since: int, root: Path) -> tuple[int, int]:
    """(bytes of data files served, data requests) since the `since`-th request."""
    total = requests = 0
    for path, wanted in server.requests[since:]:
        if "-index" in path or not path.startswith("/crawl-data/"):
            continue
        requests += 1
        if wanted.startswith("bytes=") and "," not in wanted:
            first, _, last = wanted[6:].partition("-")
            size = (root / path.lstrip("/")).stat().st_size
            total += (int(last) if last else size - 1) - int(first) + 1
        else:
            total += (root / path.lstrip("/")).stat().st_size
    return total, requests


def referring(index: Path, target: str) -> tuple[int, int]:
    with open_index(index) as reader:
        found = backlinks(reader, target, mode="domain", scope="all", limit=100_000)
        return len({row.source for row in found.rows}), found.total


def run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([LINKSCOPE, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        web = work / "web"
        started = time.perf_counter()
        write_sample_web(web, WebConfig(sites=options.sites, seed=1, port=80))
        crawl = write_as_common_crawl(web)
        print(f"look-alike: {options.sites} sites, {crawl['captures']:,} captures in "
              f"{crawl['warc_files']} WARC files, host graph {crawl['vertices']} hosts / "
              f"{crawl['edges']} edges ({time.perf_counter() - started:.1f} s to build)")
        chosen = targets(web)
        root = web / "commoncrawl"
        vertices, edges = graph_files(root)
        found = []
        with BackgroundCommonCrawlServer(web) as server:
            for number, target in enumerate(chosen):
                mark = len(server.requests)
                seconds = run(["--index", str(work / f"discover{number}"), "discover", target,
                               "--host-graph", str(vertices), str(edges), "--cdx-api",
                               server.api, "--data-base", server.base + "/", "--quiet",
                               "--no-rank", "--workers", str(options.workers)])
                lookups = sum("-index" in p for p, _ in server.requests[mark:])
                d_bytes, d_requests = data_bytes(server, mark, root)
                found.append((target, seconds, lookups, d_bytes, d_requests,
                              referring(work / f"discover{number}", target)))
            mark = len(server.requests)
            whole = run(["--index", str(work / "whole"), "ingest", "--paths",
                         f"{server.base}/crawl-data/{CRAWL}/warc.paths.gz", "--base",
                         server.base, "--quiet", "--no-rank", "--workers", str(options.workers)])
            w_bytes, w_requests = data_bytes(server, mark, root)
        print(f"whole crawl: {w_requests} file requests, {w_bytes:,} bytes, {whole:.1f} s")
        for target, seconds, lookups, d_bytes, d_requests, (d_pages, d_links) in found:
            w_pages, w_links = referring(work / "whole", target)
            print(f"discover {target}: {lookups} index requests, {d_requests} range requests, "
                  f"{d_bytes:,} bytes, {seconds:.1f} s; found {d_pages} of the whole crawl's "
                  f"{w_pages} referring pages ({d_links} of {w_links} backlinks); ratio "
                  f"{d_bytes / w_bytes:.3f} of the bytes in {seconds / whole:.2f} of the time")
    print(f"command: .venv/bin/python benchmarks/commoncrawl.py --sites {options.sites} "
          f"--workers {options.workers}")


if __name__ == "__main__":
    main()
