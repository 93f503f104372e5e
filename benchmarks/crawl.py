"""Crawl throughput: linkscope's crawler against Scrapy on the same sample web, same run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/crawl.py [--sites 60] [--concurrency 32] [--rounds 3]

The sample web is built once and served by `linkscope samples serve` in its own process (slow
pages answer at once: this measures throughput, not timeouts). Each crawler then runs in its
own process, alternately, `--rounds` times; the figures are medians. Both crawlers:

- start from every site's home page and stay on the sample web's domains;
- have politeness off (no delay) and the same concurrency, one request at a time per host
  (Scrapy: CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0);
- obey robots.txt (both parse it with Protego), retry twice, time out after 10 s;
- resolve host names from the sample web's hosts file without DNS (linkscope: `--hosts`;
  Scrapy: a TWISTED_DNS_RESOLVER class answering from the same file, defined below).

What each does with a page differs, in linkscope's disfavour: Scrapy's spider extracts links
with its LinkExtractor (lxml) and lets RedirectMiddleware follow redirects; linkscope also
writes every fetch as gzipped WARC records with digests, commits each outcome to its SQLite
frontier, and extracts links with placement and context (linkscope.extract). The timings
cover the crawl only (linkscope's ingest into the index afterwards is not counted).
pages/s = HTTP responses received / wall seconds; CPU s/page = the crawler process's user +
system CPU / responses (the server's CPU is not counted).
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def homes(web: Path) -> list[str]:
    return [json.loads(line)["home"] for line in (web / "truth" / "sites.jsonl").open()]


def run_linkscope(web: Path, out: Path, concurrency: int) -> dict[str, float]:
    from linkscope.crawl import CrawlConfig
    from linkscope.crawl.crawler import Crawler, open_log
    from linkscope.crawl.frontier import Frontier
    from linkscope.crawl.jobs import start
    from linkscope.warc.write import WarcWriter

    config = CrawlConfig(seeds=tuple(homes(web)), scope="domain", per_host_delay=0.0,
                         concurrency=concurrency, hosts_file=str(web / "hosts"),
                         allow_private=True, timeout=10.0, retries=2, backoff=0.0,
                         max_crawl_delay=0.0)
    directory = start(out / "idx", config)
    frontier = Frontier(directory / "state.sqlite")
    import asyncio

    cpu, wall = cpu_seconds(), time.perf_counter()
    with WarcWriter(directory / "warc", prefix="bench") as writer, \
            open_log(directory) as log_file:
        counters = asyncio.run(Crawler(config, frontier, writer, log_file).run())
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    pages = counters["crawl/retries"] + sum(  # every response, retried ones too, as Scrapy
        v for k, v in counters.items() if k.startswith("crawl/status/")
        and k.rsplit("/", 1)[1].isdigit())
    return {"pages": pages, "seconds": wall, "cpu": cpu}


def run_scrapy(web: Path, out: Path, concurrency: int) -> dict[str, float]:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    from linkscope.urls import registrable_domain

    starts = homes(web)
    domains = sorted({registrable_domain(s.split("/")[2].split(":")[0]) or "" for s in starts})
    wanted = set(domains)

    class SampleSpider(scrapy.Spider):  # type: ignore[misc]
        name = "sample"
        start_urls = starts
        allowed_domains = domains
        # allow_domains is not used: it compares the host with its port to the domains
        extractor = LinkExtractor(tags=("a", "area", "iframe", "link"), attrs=("href", "src"),
                                  deny_extensions=())

        def parse(self, response):  # type: ignore[no-untyped-def]
            if not hasattr(response, "text"):
                return
            for link in self.extractor.extract_links(response):
                host = urlsplit(link.url).hostname or ""
                if (registrable_domain(host) or host) in wanted:
                    yield response.follow(link.url, callback=self.parse)

    settings = {
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 2,
        "DOWNLOAD_TIMEOUT": 10, "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False,
        "TWISTED_DNS_RESOLVER": "crawl_scrapy_dns.HostsFileResolver",
        "HOSTS_FILE": str(web / "hosts"), "HTTPERROR_ALLOW_ALL": True,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SampleSpider)
    process.crawl(crawler)
    cpu, wall = cpu_seconds(), time.perf_counter()
    process.start()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    stats = crawler.stats.get_stats()
    return {"pages": stats.get("downloader/response_count", 0), "seconds": wall, "cpu": cpu}


def child(name: str, web: Path, out: Path, concurrency: int) -> None:
    runner = run_linkscope if name == "linkscope" else run_scrapy
    print(json.dumps(runner(web, out, concurrency)))


def measure(name: str, web: Path, concurrency: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run([sys.executable, __file__, "--child", name, "--web", str(web),
                               "--out", out, "--concurrency", str(concurrency)],
                              capture_output=True, text=True, cwd=ROOT, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--web", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.web, args.out, args.concurrency)
        return
    from linkscope.samples import WebConfig, write_sample_web

    with tempfile.TemporaryDirectory() as tmp:
        web = Path(tmp) / "web"
        manifest = write_sample_web(web, WebConfig(sites=args.sites, seed=1, port=free_port()))
        server = subprocess.Popen([sys.executable, "-m", "linkscope", "samples", "serve",
                                   str(web), "--max-delay", "0"], stdout=subprocess.PIPE)
        assert server.stdout is not None
        server.stdout.readline()  # serving ...
        try:
            runs: dict[str, list[dict[str, float]]] = {"linkscope": [], "scrapy": []}
            for _ in range(args.rounds):
                for name in runs:
                    runs[name].append(measure(name, web, args.concurrency))
        finally:
            server.terminate()
            server.wait()
    counts = manifest["counts"]
    print(f"sample web: {counts['sites']} sites, {counts['pages']} pages; concurrency "
          f"{args.concurrency}; {args.rounds} rounds, medians")
    rates = {}
    for name, results in runs.items():
        rate = statistics.median(r["pages"] / r["seconds"] for r in results)
        cpu = statistics.median(r["cpu"] / r["pages"] for r in results)
        pages = statistics.median(r["pages"] for r in results)
        rates[name] = rate
        print(f"{name:<10} {rate:8.0f} pages/s  {cpu * 1000:6.2f} ms CPU/page  "
              f"({pages:.0f} responses; runs: "
              + ", ".join(f"{r['pages'] / r['seconds']:.0f}" for r in results) + ")")
    print(f"linkscope / scrapy pages/s: {rates['linkscope'] / rates['scrapy']:.2f}")
    print(f"command: .venv/bin/python benchmarks/crawl.py --sites {args.sites} "
          f"--concurrency {args.concurrency} --rounds {args.rounds}")


if __name__ == "__main__":
    main()
