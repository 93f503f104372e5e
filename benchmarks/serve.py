"""The server under load: requests/s and 95th-percentile latency with 10 concurrent clients.

`linkscope serve` runs in a subprocess on loopback over an index of the sample web (both
epochs, ranked); an httpx client keeps 10 requests in flight for a fixed number of requests per
endpoint. Two yardsticks in the same run: /api/v1/health on the same server (the cost of HTTP,
routing and the thread hop, with no query), and the report function called in-process on one
thread (the cost of the query alone). Each measurement is repeated and the median printed,
with the load average. Then each web page is fetched in turn (one client) for its latency.

    .venv/bin/python benchmarks/serve.py                     # builds a 40-site sample index
    .venv/bin/python benchmarks/serve.py --index ./idx --target example.test --requests 500
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from linkscope.reports import backlinks, overview
from linkscope.store import open_index

CLIENTS = 10


def build_index(root: Path) -> Path:
    from linkscope.rank.job import rank_index
    from linkscope.samples import WebConfig, write_sample_web
    from linkscope.samples.archive import write_sample_warc
    from linkscope.store import ingest

    index = root / "index"
    for epoch in (0, 1):
        web = root / f"web{epoch}"
        write_sample_web(web, WebConfig(sites=40, seed=3, port=8081, pages_per_site=6,
                                        epoch=epoch))
        ingest(index, [str(p) for p in write_sample_warc(web, root / f"warc{epoch}")],
               workers=1)
    rank_index(index)
    return index


async def load(base: str, path: str, requests: int) -> tuple[float, float]:
    """(requests per second, 95th-percentile latency in ms) with CLIENTS in flight."""
    latencies: list[float] = []
    queue = iter(range(requests))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def worker() -> None:
            for _ in queue:
                start = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - start)
                response.raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - start
    return requests / elapsed, 1000 * statistics.quantiles(latencies, n=20)[18]


def in_process(index: Path, report: str, target: str, requests: int) -> tuple[float, float]:
    latencies = []
    with open_index(index) as reader:
        call = {"overview": lambda: overview(reader, target),
                "backlinks": lambda: backlinks(reader, target, limit=50)}[report]
        call()
        start = time.perf_counter()
        for _ in range(requests):
            t = time.perf_counter()
            call()
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - start
    return requests / elapsed, 1000 * statistics.quantiles(latencies, n=20)[18]


def wait_up(base: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--target", default="pixelbyte.test")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory()
    index = args.index or build_index(Path(scratch.name))
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([sys.executable, "-m", "linkscope", "--index", str(index), "serve",
                               "--port", str(args.port)], stdout=subprocess.DEVNULL)
    try:
        wait_up(base)
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores); "
              f"{CLIENTS} clients, {args.requests} requests a run, median of {args.repeat}")
        print(f"{'what':<34}{'req/s':>9}{'p95 ms':>9}")
        cases = [("health (yardstick)", "/api/v1/health", None),
                 ("overview", f"/api/v1/overview?target={args.target}", "overview"),
                 ("backlinks (first page of 50)",
                  f"/api/v1/backlinks?target={args.target}&limit=50", "backlinks")]
        for name, path, report in cases:
            runs = [asyncio.run(load(base, path, args.requests)) for _ in range(args.repeat)]
            print(f"{name:<34}{statistics.median(r[0] for r in runs):>9.0f}"
                  f"{statistics.median(r[1] for r in runs):>9.1f}")
            if report:
                solo = [in_process(index, report, args.target, args.requests // 3)
                        for _ in range(args.repeat)]
                print(f"{'  in-process, one thread':<34}"
                      f"{statistics.median(r[0] for r in solo):>9.0f}"
                      f"{statistics.median(r[1] for r in solo):>9.1f}")
        print("web pages, one client (median and max of 5 fetches, ms):")
        for page in ("overview", "backlinks", "refdomains", "anchors", "broken", "history",
                     "internal", "competitors", "explain"):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                httpx.get(f"{base}/{page}?target={args.target}").raise_for_status()
                times.append(1000 * (time.perf_counter() - start))
            print(f"  /{page:<14}{statistics.median(times):>7.0f}{max(times):>7.0f}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print(f"command: .venv/bin/python benchmarks/serve.py --requests {args.requests} "
              f"--repeat {args.repeat}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        scratch.cleanup()


if __name__ == "__main__":
    main()
