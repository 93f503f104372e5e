"""Extraction speed on real pages, against a raw selectolax parse in the same run.

Full extraction (decode, parse, one tree pass, placement, resolution, records) versus the
yardstick: decoding as UTF-8 and a lexbor parse that only iterates the <a href> elements and
reads their href. One core, one process; each mode runs ROUNDS times, the best round counts.
Both wall time and this process's CPU time are measured: on a machine shared with other work
the CPU-time ratio is the steadier one.

    python benchmarks/extract.py            # the C tree pass when it is built (fastwalk.FAST)
    python benchmarks/extract.py --python   # the pure-Python fallback
    python benchmarks/extract.py --stages   # CPU time of each stage, in yardstick units
    python benchmarks/extract.py --no-text  # without the page text (extract/text.py): its cost
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from linkscope.extract import extract_page, fastwalk
from linkscope.extract import page as page_module
from linkscope.extract.charset import decode_body, utf8_body
from linkscope.extract.placement import compute_placement
from linkscope.extract.text import PageText, compute_page_text
from linkscope.records import FetchedPage, Link, LinkKind, Placement

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


def best_time(run, pages: list[bytes]) -> tuple[float, float, int]:
    """Best wall time and best CPU time over ROUNDS rounds, and the run's result."""
    wall = cpu = float("inf")
    result = 0
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run(pages)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def cpu_time(run, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def page_input(body: bytes) -> str | bytes:
    """What extract_page hands the parser: the body itself when it is UTF-8, else its text."""
    raw = utf8_body(body, None, fastwalk.is_utf8) if fastwalk.is_utf8 else None
    return raw if raw is not None else decode_body(body)[0]


def print_stages(pages: list[bytes]) -> None:
    """CPU time of each stage alone, as a share of the yardstick's."""
    inputs = [page_input(body) for body in pages]
    trees = [fastwalk.parse_tree(page) for page in inputs]
    links = full_extraction(pages)
    placed = [compute_placement(tree)[0] for tree in trees]
    markups = inputs
    rel: frozenset[str] = frozenset()

    def records(make) -> None:
        for k in range(links):
            make("http://a.test/", "http://b.test/", "anchor", "context", rel, True,
                 Placement.CONTENT, LinkKind.TEXT, k)

    yardstick = cpu_time(lambda: raw_parse(pages))
    stages = {
        "charset (UTF-8 check, else decode)": cpu_time(lambda: [page_input(b) for b in pages]),
        "lexbor parse (selectolax)": cpu_time(lambda: [LexborHTMLParser(p) for p in inputs]),
        "parse + tree pass": cpu_time(lambda: [fastwalk.parse_tree(page) for page in inputs]),
        "placement": cpu_time(lambda: [compute_placement(tree) for tree in trees]),
        "page text (main text and metadata)": cpu_time(lambda: [
            compute_page_text(tree, labels, markup)
            for tree, labels, markup in zip(trees, placed, markups, strict=True)]),
        f"{links} records by Link(...)": cpu_time(lambda: records(Link)),
        f"{links} records as extraction builds them": cpu_time(
            lambda: records(fastwalk.new_link or Link)),
        "full extraction": cpu_time(lambda: full_extraction(pages)),
    }
    print(f"yardstick (raw parse): {yardstick:.3f} s CPU = 1.00")
    for name, seconds in stages.items():
        print(f"{name:42} {seconds:.3f} s  {seconds / yardstick:5.2f}")


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"shared data absent: {DATA}")
    python_only = "--python" in sys.argv[1:]
    if python_only:  # what extraction does when the C extension is not there
        fastwalk._walk_page = fastwalk.link_texts = fastwalk.resolve_plain = None
    path = "pure Python" if python_only or not fastwalk.FAST else "C tree pass (fastwalk)"
    pages = load_pages()
    megabytes = sum(len(body) for body in pages) / 1e6
    print(f"{len(pages)} pages, {megabytes:.1f} MB, best of {ROUNDS} rounds, one core; {path}")
    if not fastwalk.FAST:
        print(f"(no C tree pass: {fastwalk.why_slow})")
    if "--no-text" in sys.argv[1:]:  # what extraction cost before it kept the page text
        page_module.compute_page_text = lambda *_: PageText("", 0)  # type: ignore[assignment]
        path += ", no page text"
        print("(page text off)")
    if "--stages" in sys.argv[1:]:
        print_stages(pages)
        return
    wall_rate, cpu_rate = {}, {}
    modes = (("raw parse (<a href> only)", raw_parse), ("full extraction", full_extraction))
    for name, run in modes:
        wall, cpu, links = best_time(run, pages)
        wall_rate[name], cpu_rate[name] = len(pages) / wall, len(pages) / cpu
        print(f"{name:28} {len(pages) / wall:8.0f} pages/s {megabytes / wall:7.1f} MB/s wall,"
              f" {len(pages) / cpu:8.0f} pages/s CPU  ({links} links)")
    raw, full = "raw parse (<a href> only)", "full extraction"
    print(f"full extraction / raw parse: {wall_rate[full] / wall_rate[raw]:.2f} wall, "
          f"{cpu_rate[full] / cpu_rate[raw]:.2f} CPU (target >= 0.50)")
    flag = "".join(f" {a}" for a in sys.argv[1:] if a in ("--python", "--no-text"))
    print(f"reproduce: {Path(sys.executable).name} benchmarks/extract.py{flag}")


if __name__ == "__main__":
    main()
