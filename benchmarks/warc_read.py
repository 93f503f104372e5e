"""WARC reading throughput: FastWARC against warcio, and linkscope's reader on top of FastWARC.

    .venv/bin/python benchmarks/warc_read.py [--records 50000] [--repeat 3]

Reads (1) the WARC files of ../shared/data/warc that both libraries read cleanly and (2) a
synthetic gzip WARC of --records HTML responses written with warcio's writer (cached in the
temp directory). Each pass parses every record and its HTTP headers and reads every block in
full. Prints records/s, MB/s (of file bytes) and the FastWARC/warcio ratio; best of --repeat.
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from linkscope.warc import iter_records

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "warc"
WORDS = ("link", "anchor", "page", "site", "domain", "crawl", "index", "rank", "graph", "archive",
         "record", "text", "content", "footer", "header", "navigation", "article", "comment")


def synthetic_warc(records: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"linkscope-bench-{records}.warc.gz"
    if path.exists():
        return path
    rng = random.Random(4)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in range(records):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(300, 1200)))
            links = "".join(f'<a href="http://site{rng.randint(0, 999)}.test/p{i}">{i}</a>'
                            for i in range(rng.randint(5, 60)))
            body = f"<!doctype html><html><body><p>{words}</p>{links}</body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(f"http://site{number % 1000}.test/p{number}",
                                               "response", payload=io.BytesIO(body),
                                               http_headers=headers)
            writer.write_record(record)
    partial.rename(path)
    return path


def read_fastwarc(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        for record in FastIterator(handle, parse_http=True):
            record.reader.read()
            count += 1
    return count


def read_warcio(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        for record in WarcioIterator(handle):
            record.raw_stream.read()
            count += 1
    return count


def read_linkscope(path: Path) -> int:
    bodies = frozenset({"response", "revisit", "resource", "metadata", "request", "warcinfo"})
    return sum(1 for _ in iter_records(str(path), bodies=bodies))


def clean_files() -> list[Path]:
    """The WARC files both libraries read without error (the broken ones are test data)."""
    chosen = []
    for path in sorted(DATA.glob("*/*.warc*")):
        if path.suffix == ".lz4" or ".arc" in path.name or path.name.endswith(".bad"):
            continue
        try:
            if read_fastwarc(path) == read_warcio(path):
                chosen.append(path)
        except Exception:  # noqa: BLE001 (broken on purpose: not a throughput sample)
            continue
    return chosen


def measure(reader: Callable[[Path], int], paths: list[Path], repeat: int) -> tuple[int, float]:
    best = float("inf")
    records = 0
    for _ in range(repeat):
        start = time.perf_counter()
        records = sum(reader(path) for path in paths)
        best = min(best, time.perf_counter() - start)
    return records, best


def report(title: str, paths: list[Path], repeat: int) -> None:
    size = sum(path.stat().st_size for path in paths) / 1e6
    print(f"\n{title}: {len(paths)} file(s), {size:.1f} MB on disk")
    rates = {}
    for name, reader in (("fastwarc", read_fastwarc), ("warcio", read_warcio),
                         ("linkscope", read_linkscope)):
        records, seconds = measure(reader, paths, repeat)
        rates[name] = records / seconds
        print(f"  {name:<10} {records:>7} records  {seconds:7.3f} s  "
              f"{records / seconds:>9.0f} records/s  {size / seconds:7.1f} MB/s")
    print(f"  ratio fastwarc/warcio: {rates['fastwarc'] / rates['warcio']:.1f}x; "
          f"linkscope/fastwarc: {rates['linkscope'] / rates['fastwarc']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"command: .venv/bin/python benchmarks/warc_read.py --records {args.records} "
          f"--repeat {args.repeat}")
    if DATA.is_dir():
        report("shared data (clean WARC files)", clean_files(), args.repeat)
    else:
        print(f"\n{DATA} is absent: skipping the real files")
    report(f"synthetic gzip WARC ({args.records} responses)", [synthetic_warc(args.records)],
           args.repeat)


if __name__ == "__main__":
    main()
