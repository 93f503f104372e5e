"""Start-up of the command line: wall time and peak memory of short commands, each in a fresh
process, against a bare interpreter importing the HTML parser in the same run.

    yardstick   python -c "import selectolax.lexbor"   (the least any extract must import)
    --help      linkscope --help
    extract     linkscope extract PAGE --url URL     (one real page of ../shared/data/html)
    report      linkscope --index IDX backlinks TARGET  (a small ranked index of the sample web)

The commands run round-robin, N rounds, so that a change in the machine's load touches them all
alike; each figure is the median of its N runs. Peak memory is the process's largest resident
set (wait4's ru_maxrss). The ratio is the command's median wall time over the yardstick's.

`--linkscope` runs another build's console script (e.g. main's checkout:
`--linkscope /work/main/.venv/bin/linkscope`); the index is built by this checkout either way
(the index format is the same).

Run: .venv/bin/python benchmarks/cli.py [--rounds 15] [--linkscope PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO.parent / "shared" / "data" / "html" / "readability" / "test-pages"
PAGE_URL = "http://fakehost/test/page.html"  # the readability set's URL for its pages


def run_once(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident set (MB) of one run of `command`, output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{shlex.join(command)} failed:\n{error}")
    return elapsed, usage.ru_maxrss / 1024


def build_index(directory: Path) -> None:
    """A ranked index of a 40-site sample web in `directory` (once); print its best domain."""
    from linkscope.rank.job import rank_index
    from linkscope.samples import WebConfig, write_sample_web
    from linkscope.samples.archive import write_sample_warc
    from linkscope.store import ingest, open_index

    index = directory / "index"
    if not (index / "CURRENT").exists():
        write_sample_web(directory / "web", WebConfig(sites=40, seed=3, port=8790,
                                                      pages_per_site=6))
        warcs = write_sample_warc(directory / "web", directory / "warc")
        ingest(index, [str(p) for p in warcs], workers=1)
        rank_index(index)
    with open_index(index) as reader:
        row = reader.con.execute("SELECT domain FROM domain_metrics ORDER BY dr DESC, domain "
                                 "LIMIT 1").fetchone()
    assert row is not None
    print(row[0])


def small_index(directory: Path) -> tuple[Path, str]:
    """The index and its target, built in a child process: this one stays small, since a
    child's peak resident set counts the parent's memory that it was forked with."""
    result = subprocess.run([sys.executable, __file__, "--build-index", str(directory)],
                            capture_output=True, text=True, check=True)
    return directory / "index", result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="runs of each command (median)")
    parser.add_argument("--linkscope", default=str(Path(sys.executable).parent / "linkscope"),
                        help="the console script to measure (default: this venv's)")
    parser.add_argument("--keep", type=Path, help="build the small index here and keep it")
    parser.add_argument("--build-index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_index:
        build_index(args.build_index)
        return

    page = sorted(PAGES.glob("*/source.html"))[0] if PAGES.is_dir() else None
    if page is None:
        raise SystemExit(f"no pages under {PAGES} (see ../shared/data/README.md)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="linkscope-cli-bench-"))
    index, target = small_index(work)
    linkscope = args.linkscope
    commands = {
        "yardstick: python -c 'import selectolax.lexbor'": [sys.executable, "-c",
                                                            "import selectolax.lexbor"],
        "linkscope --help": [linkscope, "--help"],
        f"linkscope extract {page.parent.name}/source.html": [linkscope, "extract", str(page),
                                                               "--url", PAGE_URL],
        f"linkscope backlinks {target}": [linkscope, "--index", str(index), "backlinks", target],
    }
    for command in commands.values():  # warm the page cache and numba's, unmeasured
        run_once(command)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, command in commands.items():
            runs[name].append(run_once(command))

    load = os.getloadavg()
    print(f"{shlex.join([sys.executable, *sys.argv])}")
    print(f"console script: {linkscope}; {args.rounds} runs each, medians; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; page: {page}; index: {index}")
    yardstick = statistics.median(s for s, _ in runs[next(iter(commands))])
    print(f"{'command':<56} {'wall s':>7} {'peak MB':>8} {'x yardstick':>11}")
    for name in commands:
        seconds = statistics.median(s for s, _ in runs[name])
        peak = statistics.median(m for _, m in runs[name])
        print(f"{name:<56} {seconds:7.3f} {peak:8.1f} {seconds / yardstick:11.1f}")


if __name__ == "__main__":
    main()
