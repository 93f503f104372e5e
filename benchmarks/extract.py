"""Extraction speed on real pages, against a raw selectolax parse in the same run.

Full extraction (decode, parse, one tree pass, placement, resolution, records) versus the
yardstick: decoding as UTF-8 and a lexbor parse that only iterates the <a href> elements and
reads their href. One core, one process; each mode runs ROUNDS times, the best round counts.

    python benchmarks/extract.py
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from linkscope.extract import extract_page
from linkscope.records import FetchedPage

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "html"
ROUNDS = 3


def load_pages() -> list[bytes]:
    pages = []
    for path in sorted(DATA.rglob("*")):
        if path.name == "source.html":
            pages.append(path.read_bytes())
        elif path.name.endswith(".html.gz"):
            pages.append(gzip.decompress(path.read_bytes()))
    return pages


def raw_parse(pages: list[bytes]) -> int:
    count = 0
    for body in pages:
        tree = LexborHTMLParser(body.decode("utf-8", "replace"))
        for node in tree.css("a[href]"):
            if node.attributes.get("href"):
                count += 1
    return count


def full_extraction(pages: list[bytes]) -> int:
    count = 0
    for body in pages:
        fetched = FetchedPage("http://fakehost/test/page.html", 200, (), body)
        count += len(extract_page(fetched).links)
    return count


def best_time(run, pages: list[bytes]) -> tuple[float, int]:
    best = float("inf")
    result = 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = run(pages)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"shared data absent: {DATA}")
    pages = load_pages()
    megabytes = sum(len(body) for body in pages) / 1e6
    print(f"{len(pages)} pages, {megabytes:.1f} MB, best of {ROUNDS} rounds, one core")
    figures = {}
    modes = (("raw parse (<a href> only)", raw_parse), ("full extraction", full_extraction))
    for name, run in modes:
        seconds, links = best_time(run, pages)
        figures[name] = len(pages) / seconds
        print(f"{name:28} {len(pages) / seconds:8.0f} pages/s {megabytes / seconds:7.1f} MB/s"
              f"  ({links} links)")
    ratio = figures["full extraction"] / figures["raw parse (<a href> only)"]
    print(f"full extraction / raw parse: {ratio:.2f} (target >= 0.50)")
    print(f"reproduce: {Path(sys.executable).name} benchmarks/extract.py")


if __name__ == "__main__":
    main()
