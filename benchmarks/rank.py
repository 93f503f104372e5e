"""PageRank: linkscope against python-igraph (PRPACK) and networkx, on cnr-2000 and a synthetic web.

Every measurement runs in a fresh subprocess that loads the edge arrays (int32, from .npy), imports
its library, notes its resident memory, then builds and solves; peak memory is the process's peak
resident set (VmHWM) minus the resident memory after loading, so the edge arrays themselves are not
counted. Each contender runs --repeat times and the median is printed, with the load average (other
work on the machine skews timings).

linkscope's sweeps are compiled by numba. Its worker first ranks a 3-node graph, which compiles the
kernels or loads them from numba's on-disk cache, and times that apart ("jit s"): the build, solve
and end-to-end columns exclude it. The compile cost itself is measured once a graph, in fresh
processes given an empty cache directory and then the cache the first one filled.

igraph runs PRPACK with OpenMP, on both cores by default; "igraph-1thread" is the same with
OMP_NUM_THREADS=1, which fares better when other work keeps the cores busy.

    .venv/bin/python benchmarks/rank.py          # cnr-2000 and a 20M-link synthetic graph
    .venv/bin/python benchmarks/rank.py --graphs cnr --repeat 5
    .venv/bin/python benchmarks/rank.py --graphs synthetic --links 50000000

The synthetic graph (see ``generate_web``): pages in sites of 2-200 pages; out-degrees from a
lognormal (median 8, heavy tail), 15% of pages dangling; 70% of links stay inside the source's site,
the rest go to pages drawn with probability falling as a power law of a popularity rank (exponent
about 2.1 for in-degrees); duplicate links removed. It is seeded and deterministic.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CNR = REPO.parent / "shared" / "data" / "graphs" / "cnr-2000" / "cnr-2000.edges.tsv.gz"
CONTENDERS = ("linkscope", "igraph", "igraph-1thread", "networkx")
DAMPING, TOL = 0.85, 1e-9


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    """The process's peak resident memory (VmHWM). Not ru_maxrss: that survives exec, so a worker
    started from a parent holding a big graph would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def read_cnr(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    import pyarrow.csv as pc

    table = pc.read_csv(
        path,
        read_options=pc.ReadOptions(skip_rows=3, column_names=["s", "t"]),
        parse_options=pc.ParseOptions(delimiter="\t"),
        convert_options=pc.ConvertOptions(column_types={"s": "int32", "t": "int32"}),
    )
    sources = table.column("s").to_numpy()
    targets = table.column("t").to_numpy()
    return sources, targets, int(max(sources.max(), targets.max())) + 1


def generate_web(links: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, int]:
    """A seeded synthetic web graph of about ``links`` links (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n = max(links // 8, 10)
    site_sizes = rng.integers(2, 201, size=n // 2 + 1)
    site_start = np.concatenate([[0], np.cumsum(site_sizes)])
    site_start = site_start[site_start < n]
    site_of = np.repeat(np.arange(site_start.size), np.diff(np.append(site_start, n)))
    degree = np.floor(rng.lognormal(np.log(8.0), 1.1, size=n)).astype(np.int64)
    degree[rng.random(n) < 0.15] = 0
    degree = np.minimum(degree, 5000)
    degree = np.round(degree * (links / 0.93 / max(degree.sum(), 1))).astype(np.int64)
    sources = np.repeat(np.arange(n, dtype=np.int64), degree)
    m = sources.size
    targets = np.empty(m, dtype=np.int64)
    local = rng.random(m) < 0.7
    site = site_of[sources[local]]
    lo = site_start[site]
    hi = np.append(site_start, n)[site + 1]
    targets[local] = lo + (rng.random(local.sum()) * (hi - lo)).astype(np.int64)
    popular = rng.permutation(n)  # popularity rank -> page
    # P(rank < r) = (r / n) ** (1 / 2.2): in-degree falls as rank ** -0.55
    rank = np.floor(n * rng.random(m - local.sum()) ** 2.2).astype(np.int64)
    targets[~local] = popular[np.minimum(rank, n - 1)]
    key = np.unique(sources * n + targets)
    return (key // n).astype(np.int32), (key % n).astype(np.int32), n


def run_worker(contender: str, graph: Path) -> dict[str, object]:
    sources = np.load(graph / "sources.npy")
    targets = np.load(graph / "targets.npy")
    n = int(np.load(graph / "n.npy"))
    result: dict[str, object] = {"iterations": None, "jit": None}
    if contender == "linkscope":
        from linkscope.rank import compute_pagerank, compute_transition, solve_pagerank
        from linkscope.rank.graph import check_edges

        start = time.perf_counter()
        compute_pagerank([0, 1, 2], [1, 2, 0], 3)  # compiles, or loads from numba's cache
        result["jit"] = time.perf_counter() - start
    elif contender.startswith("igraph"):
        import igraph
    else:
        import networkx as nx
    base = rss_bytes()  # after the imports: only what the computation needs is counted
    start = time.perf_counter()
    if contender == "linkscope":
        src, dst, w = check_edges(sources, targets, n, None)
        transition = compute_transition(src, dst, n, w, DAMPING)
        built = time.perf_counter()
        solved = solve_pagerank(transition, DAMPING, TOL, 1000)
        scores, result["iterations"] = solved.scores, solved.iterations
    elif contender.startswith("igraph"):
        g = igraph.Graph(n=n, edges=np.column_stack([sources, targets]).tolist(), directed=True)
        built = time.perf_counter()
        scores = np.asarray(g.pagerank(damping=DAMPING, implementation="prpack"))
    else:
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(zip(sources.tolist(), targets.tolist(), strict=True))
        built = time.perf_counter()
        ranked = nx.pagerank(g, alpha=DAMPING, tol=TOL / n, max_iter=1000)
        scores = np.fromiter((ranked[i] for i in range(n)), dtype=np.float64, count=n)
    done = time.perf_counter()
    peak = peak_rss_bytes()
    np.save(graph / f"scores-{contender}.npy", scores)
    result.update(build=built - start, solve=done - built, total=done - start,
                  peak_bytes=peak - base, links=int(sources.size))
    return result


def measure(contender: str, graph: Path, repeat: int) -> dict[str, float | None]:
    runs = []
    env = dict(os.environ, OMP_NUM_THREADS="1") if contender == "igraph-1thread" else None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--worker", contender, str(graph)],
                             check=True, capture_output=True, text=True, env=env)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    summary: dict[str, float | None] = {
        key: statistics.median(float(r[key]) for r in runs)
        for key in ("build", "solve", "total", "peak_bytes")}
    summary["jit"] = statistics.median(float(r["jit"]) for r in runs) if runs[0]["jit"] else None
    summary["iterations"] = runs[0]["iterations"]
    summary["links"] = runs[0]["links"]
    return summary


def prepare(name: str, args: argparse.Namespace) -> Path:
    graph = Path(args.cache) / (name if name == "cnr" else f"synthetic-{args.links}")
    if not (graph / "n.npy").exists():
        graph.mkdir(parents=True, exist_ok=True)
        sources, targets, n = read_cnr(CNR) if name == "cnr" else generate_web(args.links)
        np.save(graph / "sources.npy", sources)
        np.save(graph / "targets.npy", targets)
        np.save(graph / "n.npy", np.array(n))
    return graph


def report(name: str, graph: Path, args: argparse.Namespace) -> None:
    n = int(np.load(graph / "n.npy"))
    links = np.load(graph / "sources.npy", mmap_mode="r").size
    print(f"\n## {name}: {n:,} nodes, {links:,} links; damping {DAMPING}, L1 tolerance {TOL:g}; "
          f"median of {args.repeat}; load average before: {os.getloadavg()[0]:.2f}")
    rows = {}
    for contender in args.contenders:
        if contender == "networkx" and links > args.networkx_max_links:
            print(f"{contender:17} skipped: {links:,} links > --networkx-max-links "
                  f"{args.networkx_max_links:,} (about 500 bytes a link: it would not fit)")
            continue
        rows[contender] = measure(contender, graph, args.repeat)
    ours = np.load(graph / "scores-linkscope.npy") if "linkscope" in rows else None
    print(f"{'contender':17} {'jit s':>6} {'build s':>8} {'solve s':>8} {'total s':>8} "
          f"{'iters':>6} {'peak MB':>8} {'B/link':>7} {'L1 to linkscope':>16}")
    for contender, row in rows.items():
        l1 = (float(np.abs(np.load(graph / f"scores-{contender}.npy") - ours).sum())
              if ours is not None else float("nan"))
        build, solve, total, peak = (float(row[k] or 0.0) for k in ("build", "solve", "total",
                                                                     "peak_bytes"))
        iterations = row["iterations"] or "-"
        jit = f"{row['jit']:6.3f}" if row["jit"] is not None else f"{'-':>6}"
        print(f"{contender:17} {jit} {build:8.3f} {solve:8.3f} {total:8.3f} {iterations:>6} "
              f"{peak / 1e6:8.1f} {peak / links:7.1f} {l1:16.2e}")
    if "linkscope" in rows:
        mine = {k: float(v) for k, v in rows["linkscope"].items() if v is not None}
        for other in (c for c in rows if c != "linkscope"):
            theirs = {k: float(v) for k, v in rows[other].items() if v is not None}
            print(f"linkscope vs {other}: solve {theirs['solve'] / mine['solve']:.1f}x faster, "
                  f"end to end {theirs['total'] / mine['total']:.1f}x faster "
                  f"({theirs['total'] / (mine['total'] + mine['jit']):.1f}x counting numba's "
                  f"warm-up), peak memory {theirs['peak_bytes'] / mine['peak_bytes']:.1f}x smaller")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def measure_jit() -> None:
    """The first call's cost in a fresh process: compiling into an empty cache, then loading."""
    code = ("import time; t = time.perf_counter(); from linkscope.rank import compute_pagerank; "
            "i = time.perf_counter(); compute_pagerank([0, 1, 2], [1, 2, 0], 3, [1.0, 1.0, 1.0]); "
            "compute_pagerank([0, 1, 2], [1, 2, 0], 3); "
            "print(i - t, time.perf_counter() - i)")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in ("empty cache (compiles)", "warm cache (loads)"):
            out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                 text=True, env=env)
            imported, first = (float(v) for v in out.stdout.split())
            print(f"jit, {label}: import {imported:.3f} s, first weighted and unweighted calls "
                  f"{first:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", nargs="+", default=["cnr", "synthetic"],
                        choices=["cnr", "synthetic"])
    parser.add_argument("--links", type=int, default=20_000_000, help="synthetic graph size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--contenders", nargs="+", default=list(CONTENDERS), choices=CONTENDERS)
    parser.add_argument("--networkx-max-links", type=int, default=5_000_000)
    parser.add_argument("--cache", default="/tmp/linkscope-bench-rank")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker[0], Path(args.worker[1]))))
        return
    print("command:", " ".join([".venv/bin/python", "benchmarks/rank.py", *sys.argv[1:]]))
    if "linkscope" in args.contenders:
        measure_jit()
    for name in args.graphs:
        if name == "cnr" and not CNR.exists():
            print(f"cnr-2000 skipped: {CNR} is absent")
            continue
        report(name, prepare(name, args), args)


if __name__ == "__main__":
    main()
