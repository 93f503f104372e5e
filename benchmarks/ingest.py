"""End-to-end ingest throughput against extraction alone on the same records, scaling from one
to two workers, bytes per link on disk, and peak memory.

The input is the sample web written as WARC files of 16 MB (as a full polite crawl would write
them, rotated by size): about 480 links a site, so the default 2,200 sites give about 1.06
million links.

    extraction alone  read the WARCs and call extract_page on every page, one process (yardstick)
    ingest, 1 worker  `linkscope ingest --no-rank` end to end: read, extract, part files, merge,
                      publish (ranking, which ingest does by default, is benchmarks/rank.py's)
    ingest, 2 workers the same with --workers 2

Each ingest runs as its own process into a fresh index; peak memory is the largest resident set
of that process or its workers (wait4's ru_maxrss). With --repeat N each timing is the median
of N runs.

With --file-mb N the WARC files are rotated at N MB instead, and only the largest one is read:
one big file, which ingest splits into byte ranges (over 64 MB) so that two workers share it.

Run: .venv/bin/python benchmarks/ingest.py [--sites 2200] [--keep DIR] [--file-mb 128]
     [--repeat 3]
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
from typing import TypeVar

from linkscope.extract import extract_page
from linkscope.records import Fetch
from linkscope.samples import WebConfig, write_sample_web
from linkscope.samples.archive import write_sample_warc
from linkscope.store import IndexDir
from linkscope.warc import iter_fetched_pages

Row = TypeVar("Row", bound=tuple[float, ...])


def extraction_alone(warcs: list[Path]) -> tuple[float, int, int]:
    started = time.perf_counter()
    pages = links = 0
    for item in iter_fetched_pages([str(p) for p in warcs], on_error=lambda e: None):
        if isinstance(item, Fetch):
            continue
        result = extract_page(item)
        pages += 1
        links += len(result.links)
    return time.perf_counter() - started, pages, links


def timed_ingest(warcs: list[Path], index: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `linkscope ingest` in its own process."""
    command = [sys.executable, "-m", "linkscope", "--index", str(index), "ingest",
               *map(str, warcs), "--workers", str(workers), "--no-rank"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"ingest failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=2200)
    parser.add_argument("--keep", type=Path, help="keep the web and WARCs here between runs")
    parser.add_argument("--file-mb", type=int, help="rotate WARCs at this size and read only "
                        "the largest file (one big file, read in byte ranges)")
    parser.add_argument("--repeat", type=int, default=1, help="runs a timing (median)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="linkscope-ingest-"))
    file_mb = args.file_mb or 16
    web, warc_dir = work / f"web-{args.sites}", work / f"warc{file_mb}-{args.sites}"
    if not (warc_dir / "done").exists():
        if not (web / "manifest.json").exists():  # written last, by a rename
            write_sample_web(web, WebConfig(sites=args.sites, seed=1, port=8790))
        shutil.rmtree(warc_dir, ignore_errors=True)
        write_sample_warc(web, warc_dir, max_bytes=file_mb << 20)
        (warc_dir / "done").touch()
    warcs = sorted(warc_dir.glob("*.warc.gz"))
    if args.file_mb:
        warcs = [max(warcs, key=lambda p: p.stat().st_size)]
    megabytes = sum(p.stat().st_size for p in warcs) / 1e6
    alone, pages, links = _median(lambda: extraction_alone(warcs), args.repeat)
    results = {}
    for workers in (1, 2):
        index = work / f"index-{workers}"

        def run(index: Path = index, workers: int = workers) -> tuple[float, float]:
            shutil.rmtree(index, ignore_errors=True)
            return timed_ingest(warcs, index, workers)

        results[workers] = _median(run, args.repeat)
    generation = IndexDir(work / "index-1").require_current()
    link_bytes = (generation / "links.parquet").stat().st_size
    import duckdb

    rows = duckdb.connect().execute(
        f"SELECT count(*) FROM '{generation / 'links.parquet'}'").fetchone()[0]
    print(f"input: {len(warcs)} WARC files, {megabytes:.0f} MB (gzip), {pages:,} pages, "
          f"{links:,} links extracted")
    print(f"  extraction alone (yardstick)  {alone:7.1f} s  {pages / alone:7.0f} pages/s "
          f"{megabytes / alone:6.1f} MB/s")
    for workers, (seconds, rss) in results.items():
        print(f"  ingest, {workers} worker(s)          {seconds:7.1f} s  {pages / seconds:7.0f} "
              f"pages/s {megabytes / seconds:6.1f} MB/s  peak RSS {rss:6.0f} MB")
    one = results[1][0]
    print(f"  storage share of the 1-worker ingest: {(one - alone) / one:.2f} "
          f"(extraction alone / ingest = {alone / one:.2f})")
    print(f"  scaling 1 -> 2 workers: {one / results[2][0]:.2f}x")
    print(f"  links.parquet: {link_bytes / 1e6:.1f} MB for {rows:,} link rows = "
          f"{link_bytes / rows:.1f} bytes per link")
    extra = f" --file-mb {args.file_mb}" if args.file_mb else ""
    print(f"command: .venv/bin/python benchmarks/ingest.py --sites {args.sites}{extra} "
          f"--repeat {args.repeat}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _median(run: Callable[[], Row], times: int) -> Row:
    """The run whose first figure (seconds) is the median of `times` runs."""
    rows = sorted((run() for _ in range(max(1, times))), key=lambda row: row[0])
    middle = statistics.median_low(row[0] for row in rows)
    return next(row for row in rows if row[0] == middle)


if __name__ == "__main__":
    main()
