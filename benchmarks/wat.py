"""WAT ingest against WARC ingest of the same pages: pages/s, links/s and their ratio.

The input is the sample web written as WARC files of 16 MB, and a WAT file derived from each
(`linkscope.warc.wat_write.derive_wat`, as Common Crawl publishes one beside each WARC).

    WARC ingest (yardstick)  `linkscope ingest WARCs --workers 1 --no-rank` in its own process
    WAT ingest               `linkscope ingest WATs --workers 1 --no-rank`, the same pages
    and, in this process, the reading and extraction alone of each (no part files, no merge):
    iter_fetched_pages + extract_page against iter_wat_pages + extract_wat.

The ratio is the WARC figure's time over the WAT figure's (above 1: WAT ingest is faster).
Each figure is given as wall time and as CPU time (user + system, of the process and its
children), which a loaded machine disturbs less. The four measurements run round-robin,
--repeat N rounds, each figure the median of its N runs.

Run: .venv/bin/python benchmarks/wat.py [--sites 400] [--keep DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from linkscope.extract import extract_page
from linkscope.extract.wat import extract_wat
from linkscope.records import Fetch
from linkscope.samples import WebConfig, write_sample_web
from linkscope.samples.archive import write_sample_warc
from linkscope.warc import iter_fetched_pages
from linkscope.warc.wat import iter_wat_pages
from linkscope.warc.wat_write import derive_wat

Run = tuple[float, float, int, int]  # wall seconds, CPU seconds, pages, links


def read_warcs(files: list[Path]) -> Run:
    started, cpu = time.perf_counter(), time.process_time()
    pages = links = 0
    for item in iter_fetched_pages([str(p) for p in files], on_error=lambda e: None):
        if not isinstance(item, Fetch):
            pages += 1
            links += len(extract_page(item).links)
    return time.perf_counter() - started, time.process_time() - cpu, pages, links


def read_wats(files: list[Path]) -> Run:
    started, cpu = time.perf_counter(), time.process_time()
    pages = links = 0
    for path in files:
        for page in iter_wat_pages(str(path), on_error=lambda e: None):
            pages += 1
            links += len(extract_wat(page, page.metadata).links)
    return time.perf_counter() - started, time.process_time() - cpu, pages, links


def timed_ingest(files: list[Path], index: Path) -> Run:
    """`linkscope ingest` in its own process: wall and CPU seconds (its own and its
    workers')."""
    shutil.rmtree(index, ignore_errors=True)
    command = [sys.executable, "-m", "linkscope", "--index", str(index), "ingest",
               *map(str, files), "--workers", "1", "--no-rank", "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        said = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"ingest failed: {said}")
    return elapsed, usage.ru_utime + usage.ru_stime, 0, 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="keep the web, WARCs and WATs here")
    parser.add_argument("--repeat", type=int, default=1, help="runs a timing (median)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="linkscope-wat-"))
    web, warc_dir = work / f"web-{args.sites}", work / f"warc-{args.sites}"
    wat_dir = work / f"wat-{args.sites}"
    if not (wat_dir / "done").exists():
        if not (web / "manifest.json").exists():
            write_sample_web(web, WebConfig(sites=args.sites, seed=1, port=8790))
        shutil.rmtree(warc_dir, ignore_errors=True)
        shutil.rmtree(wat_dir, ignore_errors=True)
        write_sample_warc(web, warc_dir, max_bytes=16 << 20)
        wat_dir.mkdir(parents=True)
        started = time.perf_counter()
        for warc in sorted(warc_dir.glob("*.warc.gz")):
            derive_wat(warc, wat_dir / (warc.name.removesuffix(".warc.gz") + ".warc.wat.gz"))
        print(f"derived the WATs in {time.perf_counter() - started:.1f} s")
        (wat_dir / "done").touch()
    warcs = sorted(warc_dir.glob("*.warc.gz"))
    wats = sorted(wat_dir.glob("*.warc.wat.gz"))

    measures: dict[str, Callable[[], Run]] = {
        "read-warc": lambda: read_warcs(warcs), "read-wat": lambda: read_wats(wats),
        "ingest-warc": lambda: timed_ingest(warcs, work / "index-warc"),
        "ingest-wat": lambda: timed_ingest(wats, work / "index-wat")}
    runs: dict[str, list[Run]] = {name: [] for name in measures}
    for _ in range(max(1, args.repeat)):  # round-robin: a change of load touches them all
        for name, measure in measures.items():
            runs[name].append(measure())
    wall = {name: statistics.median(r[0] for r in found) for name, found in runs.items()}
    cpu = {name: statistics.median(r[1] for r in found) for name, found in runs.items()}
    _, _, pages, links = runs["read-warc"][0]
    _, _, wat_pages, wat_links = runs["read-wat"][0]
    size = {name: sum(p.stat().st_size for p in files) / 1e6
            for name, files in (("warc", warcs), ("wat", wats))}
    print(f"input: {len(warcs)} WARC files, {size['warc']:.0f} MB, and their WATs, "
          f"{size['wat']:.0f} MB (gzip); {pages:,} pages, {links:,} links from the WARCs, "
          f"{wat_pages:,} pages, {wat_links:,} links from the WATs")
    for label, step in (("read + extract", "read"), ("ingest, 1 worker", "ingest")):
        for clock, figures in (("wall", wall), ("CPU", cpu)):
            warc_s, wat_s = figures[f"{step}-warc"], figures[f"{step}-wat"]
            print(f"  {label:17}{clock:>5}  WARC (yardstick) {warc_s:6.1f} s "
                  f"{pages / warc_s:6.0f} pages/s {links / warc_s:7.0f} links/s | "
                  f"WAT {wat_s:6.1f} s {pages / wat_s:6.0f} pages/s {links / wat_s:7.0f} "
                  f"links/s | ratio {warc_s / wat_s:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"command: .venv/bin/python benchmarks/wat.py --sites {args.sites} "
          f"--repeat {args.repeat}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
