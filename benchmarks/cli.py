"""Start-up of the command line: wall time and peak memory of short commands, each in a fresh
process, against a bare interpreter importing the HTML parser in the same run.

    yardstick   python -c "import selectolax.lexbor"   (the least any extract must import)
    click       a bare click app running a command of three options: the framework's floor
    --help      linkscope --help
    extract     linkscope extract PAGE --url URL     (one real page of ../shared/data/html)
    report      linkscope --index IDX backlinks TARGET  (a small ranked index of the sample web)

The commands run round-robin, N rounds, so that a change in the machine's load touches them all
alike; each figure is the median of its N runs. Peak memory is the process's largest resident
set (wait4's ru_maxrss). The ratio is the command's median CPU time (user and system) over the
yardstick's: on a busy machine wall times stretch, CPU times much less.

`--before SRC` measures an earlier build in the same rounds, by running the same console script
with PYTHONPATH=SRC (the index is built by this checkout; its format is the same). To make SRC
from a commit, with the compiled tree pass copied in:

    git archive COMMIT src | tar -x -C /tmp/before
    cp src/linkscope/extract/_walk*.so /tmp/before/src/linkscope/extract/

A build whose dependencies this checkout no longer has (Typer, before 2026-12-04) needs them
beside it: `pip install --target /tmp/before/deps typer==0.29.2`, then
`--before /tmp/before/src:/tmp/before/deps` (SRC is used as PYTHONPATH as it is).

Run: .venv/bin/python benchmarks/cli.py [--rounds 15] [--before SRC] [--keep DIR]
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


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident set (MB) and CPU seconds (user and system) of one run of
    `command`, output discarded. CPU time is the steadier figure on a busy machine: other
    processes stretch the wall time of a start-up far more than its CPU time."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env)
    assert process.stderr is not None
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{shlex.join(command)} failed:\n{error}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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


# The least a command line built on click costs: one command with three options, run.
BARE_CLICK = """
import click
@click.group()
def app() -> None:
    pass
@app.command()
@click.argument("target")
@click.option("--limit", type=int, default=50)
@click.option("--mode", default="domain")
def run(target: str, limit: int, mode: str) -> None:
    print(target, limit, mode)
app()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="runs of each command (median)")
    parser.add_argument("--before", type=Path, help="an earlier build's src directory, measured "
                        "in the same rounds (PYTHONPATH=BEFORE)")
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
    linkscope = str(Path(sys.executable).parent / "linkscope")
    yardstick = "yardstick: python -c 'import selectolax.lexbor'"
    commands = {
        yardstick: [sys.executable, "-c", "import selectolax.lexbor"],
        "bare click app: run TARGET --limit 5": [sys.executable, "-c", BARE_CLICK, "run", "x",
                                                 "--limit", "5"],
        "linkscope --help": [linkscope, "--help"],
        f"linkscope extract {page.parent.name}/source.html": [linkscope, "extract", str(page),
                                                               "--url", PAGE_URL],
        f"linkscope backlinks {target}": [linkscope, "--index", str(index), "backlinks", target],
        "linkscope backlinks --help": [linkscope, "backlinks", "--help"],
    }
    builds = {"after": dict(os.environ)}
    if args.before:
        builds = {"before": {**os.environ, "PYTHONPATH": str(args.before)}, **builds}
    runs: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for build, env in builds.items():
        for name, command in commands.items():  # warm the page cache and numba's, unmeasured
            run_once(command, env)
            runs[build, name] = []
    for _ in range(args.rounds):
        for build, env in builds.items():
            for name, command in commands.items():
                runs[build, name].append(run_once(command, env))

    load = os.getloadavg()
    print(shlex.join([sys.executable, *sys.argv]))
    print(f"{args.rounds} runs each, medians, round-robin; load average {load[0]:.2f} "
          f"{load[1]:.2f} {load[2]:.2f} at the end; page {page}; index {index}")
    print(f"{'build':<7} {'command':<44} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} "
          f"{'x yardstick (cpu)':>17}")
    medians: dict[tuple[str, str], float] = {}
    for build in builds:
        base = statistics.median(c for _, _, c in runs[build, yardstick])
        for name in commands:
            seconds = statistics.median(s for s, _, _ in runs[build, name])
            cpu = medians[build, name] = statistics.median(c for _, _, c in runs[build, name])
            peak = statistics.median(m for _, m, _ in runs[build, name])
            print(f"{build:<7} {name[:44]:<44} {seconds:7.3f} {cpu:6.3f} {peak:8.1f} "
                  f"{cpu / base:17.1f}")
    if args.before:
        print("after / before (cpu): " + ", ".join(
            f"{name.split(',')[0]} {medians['after', name] / medians['before', name]:.2f}"
            for name in commands if name != yardstick))


if __name__ == "__main__":
    main()
