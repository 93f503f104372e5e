"""WAT ingest against WARC ingest of the same pages: pages/s, links/s and their ratio.

The input is the sample web written as WARC files of 16 MB, and a WAT file derived from each
(`linkscope.warc.wat_write.derive_wat`, as Common Crawl publishes one beside each WARC).

    WARC ingest (yardstick)  `linkscope ingest WARCs --workers 1 --no-rank` in its own process
    WAT ingest               `linkscope ingest WATs --workers 1 --no-rank`, the same pages
    and, in this process, the reading and extraction alone of each (no part files, no merge):
    iter_fetched_pages + extract_page against iter_wat_pages + extract_wat.

The ratio is the WARC figure's time over the WAT figure's (above 1: WAT ingest is faster).
With --repeat N each timing is the median of N runs.

Run: .venv/bin/python benchmarks/wat.py [--sites 400] [--keep DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def read_warcs(files: list[Path]) -> tuple[float, int, int]:
    started = time.perf_counter()
    pages = links = 0
    for item in iter_fetched_pages([str(p) for p in files], on_error=lambda e: None):
        if not isinstance(item, Fetch):
            pages += 1
            links += len(extract_page(item).links)
    return time.perf_counter() - started, pages, links


def read_wats(files: list[Path]) -> tuple[float, int, int]:
    started = time.perf_counter()
    pages = links = 0
    for path in files:
        for page in iter_wat_pages(str(path), on_error=lambda e: None):
            pages += 1
            links += len(extract_wat(page, page.metadata).links)
    return time.perf_counter() - started, pages, links


def timed_ingest(files: list[Path], index: Path) -> float:
    shutil.rmtree(index, ignore_errors=True)
    command = [sys.executable, "-m", "linkscope", "--index", str(index), "ingest",
               *map(str, files), "--workers", "1", "--no-rank", "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


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

    def median(run: Callable[[], tuple[float, int, int]]) -> tuple[float, int, int]:
        """The run whose seconds are the median of --repeat runs."""
        rows = sorted((run() for _ in range(max(1, args.repeat))), key=lambda row: row[0])
        return rows[(len(rows) - 1) // 2]

    warc_read = median(lambda: read_warcs(warcs))
    wat_read = median(lambda: read_wats(wats))
    warc_ingest = median(lambda: (timed_ingest(warcs, work / "index-warc"), 0, 0))[0]
    wat_ingest = median(lambda: (timed_ingest(wats, work / "index-wat"), 0, 0))[0]
    pages, links = int(warc_read[1]), int(warc_read[2])
    size = {name: sum(p.stat().st_size for p in files) / 1e6
            for name, files in (("warc", warcs), ("wat", wats))}
    print(f"input: {len(warcs)} WARC files, {size['warc']:.0f} MB, and their WATs, "
          f"{size['wat']:.0f} MB (gzip); {pages:,} pages, {links:,} links from the WARCs, "
          f"{int(wat_read[1]):,} pages, {int(wat_read[2]):,} links from the WATs")
    for label, warc_s, wat_s in (("read + extract", warc_read[0], wat_read[0]),
                                 ("ingest, 1 worker", warc_ingest, wat_ingest)):
        print(f"  {label:17} WARC (yardstick) {warc_s:6.1f} s {pages / warc_s:6.0f} pages/s "
              f"{links / warc_s:8.0f} links/s | WAT {wat_s:6.1f} s {pages / wat_s:6.0f} "
              f"pages/s {links / wat_s:8.0f} links/s | ratio {warc_s / wat_s:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"command: .venv/bin/python benchmarks/wat.py --sites {args.sites} "
          f"--repeat {args.repeat}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
