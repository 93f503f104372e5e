"""How fast the sample web builds (pages/s) and serves (requests/s), each against a yardstick
measured in the same run.

    build  full build to disk vs computing and rendering the same web in memory only
    serve  the sample web server vs a bare aiohttp server answering every request with one
           constant body (the ceiling of the HTTP stack), both in their own process, under the
           same closed-loop load from an aiohttp client (bounded count, loopback only)

Run: .venv/bin/python benchmarks/samples.py [--sites 1000] [--requests 20000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from linkscope.samples import WebConfig, compute_sample_web, read_hosts, write_sample_web
from linkscope.samples.render import render_page

BARE_SERVER = """
import sys
from aiohttp import web
body = b"x" * int(sys.argv[2])
async def handle(request):
    return web.Response(body=body, content_type="text/html")
app = web.Application()
app.router.add_route("GET", "/{tail:.*}", handle)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bench_build(sites: int, workdir: Path) -> None:
    config = WebConfig(sites=sites, seed=1, port=free_port())
    started = time.perf_counter()
    web = compute_sample_web(config)
    for page in web.pages.values():
        render_page(web, page)
    in_memory = time.perf_counter() - started
    started = time.perf_counter()
    manifest = write_sample_web(workdir / "web", config)
    full = time.perf_counter() - started
    pages = manifest["counts"]["pages"]
    links = manifest["counts"]["links"]
    print(f"build: {sites} sites, {pages} pages, {links} links")
    print(f"  full build to disk  {full:7.2f} s  {pages / full:9.0f} pages/s "
          f"{links / full:9.0f} links/s")
    print(f"  in memory (yardstick) {in_memory:5.2f} s  {pages / in_memory:9.0f} pages/s")
    print(f"  ratio full/in-memory speed: {in_memory / full:.2f}")


async def load(targets: list[tuple[str, str, str]], port: int, requests: int,
               concurrency: int) -> tuple[float, float, int]:
    """Closed-loop load: `concurrency` workers share `requests` requests. Returns (req/s, p95 ms,
    errors)."""
    latencies: list[float] = []
    errors = 0
    queue = iter(range(requests))
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker(k: int) -> None:
            nonlocal errors
            rng = random.Random(k)
            for _ in queue:
                address, host, path = rng.choice(targets)
                began = time.perf_counter()
                try:
                    async with session.get(f"http://{address}:{port}{path}",
                                           headers={"Host": f"{host}:{port}"},
                                           allow_redirects=False) as response:
                        await response.read()
                except aiohttp.ClientError:
                    errors += 1
                latencies.append(time.perf_counter() - began)

        started = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return requests / elapsed, latencies[int(0.95 * (len(latencies) - 1))] * 1000, errors


def wait_for(port: int, address: str = "127.0.0.1", seconds: float = 30) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((address, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on {address}:{port} did not start")


def bench_serve(workdir: Path, requests: int, concurrency: int) -> None:
    web_dir = workdir / "web"
    hosts = read_hosts(web_dir / "hosts")
    pages = [json.loads(line) for line in (web_dir / "truth" / "pages.jsonl").open()]
    targets = [(hosts[p["host"]], p["host"], urlsplit(p["url"]).path)
               for p in pages if p["delay"] == 0]
    port = json.loads((web_dir / "manifest.json").read_text())["port"]
    server = subprocess.Popen([sys.executable, "-m", "linkscope", "samples", "serve",
                               str(web_dir)], stdout=subprocess.DEVNULL)
    try:
        wait_for(port, targets[0][0])
        rate, p95, errors = asyncio.run(load(targets, port, requests, concurrency))
    finally:
        server.terminate()
        server.wait()
    bare_port = free_port()
    bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(bare_port), "3000"])
    try:
        wait_for(bare_port)
        bare_targets = [("127.0.0.1", "bare.test", "/")]
        bare_rate, bare_p95, bare_errors = asyncio.run(
            load(bare_targets, bare_port, requests, concurrency))
    finally:
        bare.terminate()
        bare.wait()
    print(f"serve: {requests} requests, {concurrency} concurrent connections, "
          f"{len(targets)} distinct pages on {len(set(a for a, _, _ in targets))} addresses")
    print(f"  sample web server   {rate:8.0f} req/s  p95 {p95:6.1f} ms  errors {errors}")
    print(f"  bare aiohttp (yardstick) {bare_rate:5.0f} req/s  p95 {bare_p95:6.1f} ms  "
          f"errors {bare_errors}")
    print(f"  ratio sample/bare: {rate / bare_rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="linkscope-bench-"))
    try:
        bench_build(args.sites, workdir)
        bench_serve(workdir, args.requests, args.concurrency)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"command: .venv/bin/python benchmarks/samples.py --sites {args.sites} "
          f"--requests {args.requests} --concurrency {args.concurrency}")


if __name__ == "__main__":
    main()
