"""Ingest archives into the index: read, extract, write part files, merge into a generation.

Each source (a WARC/ARC file or URL) is read by one worker process into part files under
`INDEX/runs/<run id>/parts/` (parts.py); a local file over SPLIT_BYTES that is plain or
compressed record by record is split into byte ranges of about RANGE_BYTES, each read by its
own worker into its own part files (warc.ranges). The run id is derived from the sources and
the crawl date, so running the same ingest again after an interruption skips the sources and
ranges already done and finishes the job. When every
source is read, the parts are merged with the served generation into a new one (merge.py),
which is switched in atomically (after `before_publish`, if given, has run on it: the CLI ranks
it there), and the run directory is removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import duckdb

from linkscope.store.catalog import write_catalog, write_manifest
from linkscope.store.generations import IndexDir
from linkscope.store.merge import merge_run
from linkscope.store.parts import ReadTask, read_task, source_key
from linkscope.warc.ranges import plan_ranges
from linkscope.warc.sources import is_url

log = logging.getLogger(__name__)

SPLIT_BYTES = 64 << 20  # a local file larger than this is read in byte ranges by several workers
RANGE_BYTES = 32 << 20  # about how large each range is
Progress = Callable[[dict[str, int]], None]
BeforePublish = Callable[[Path], None]  # runs on the complete staging generation


@dataclass
class IngestReport:
    """What an ingest did: counters (slash-separated keys), errors (one line each), counts."""

    generation: str = ""
    counters: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds by phase
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def plan_tasks(sources: list[str], split_bytes: int = SPLIT_BYTES,
               range_bytes: int = RANGE_BYTES) -> list[ReadTask]:
    """One task a source, or, for a local file over `split_bytes` that can be split, one a
    byte range of about `range_bytes` (warc.ranges); keys name the part files."""
    tasks: list[ReadTask] = []
    for source in sources:
        key = source_key(source)
        size = 0 if is_url(source) else os.path.getsize(source)
        ranges = [(0, size)]
        if size > split_bytes:
            ranges = plan_ranges(source, max(2, round(size / range_bytes)))
        if len(ranges) == 1:
            tasks.append(ReadTask(source, key))
            continue
        tasks.extend(ReadTask(source, f"{key}-r{index}", start, stop)
                     for index, (start, stop) in enumerate(ranges))
    return tasks


_progress_queue: Any = None


def _init_worker(queue: Any) -> None:
    global _progress_queue
    _progress_queue = queue


def _read_in_worker(task: ReadTask, parts: Path, crawl_id: str) -> dict[str, Any]:
    return read_task(task, parts, crawl_id, _progress_queue)


def run_id_for(sources: Iterable[str], crawl_date: date | None) -> str:
    text = "\n".join(sorted(sources)) + f"\n{crawl_date}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ingest(index: Path, sources: list[str], *, crawl_date: date | None = None,
           workers: int = 0, crawl_id: str | None = None,
           progress: Progress | None = None, split_bytes: int = SPLIT_BYTES,
           range_bytes: int = RANGE_BYTES,
           before_publish: BeforePublish | None = None) -> IngestReport:
    """Ingest `sources` (already expanded) into the index at `index`; see the module doc."""
    started = time.perf_counter()
    report = IngestReport()
    store = IndexDir(index)
    workers = workers or os.cpu_count() or 1
    with store.writing():
        run = run_id_for(sources, crawl_date)
        crawl_id = crawl_id or f"ingest-{run}"
        parts = store.runs / run / "parts"
        parts.mkdir(parents=True, exist_ok=True)
        tasks = plan_tasks(sources, split_bytes, range_bytes)
        todo = [t for t in tasks if not t.done_marker(parts).exists()]
        report.counters["ingest/sources"] = len(sources)
        report.counters["ingest/sources_resumed"] = len(sources) - len({t.source for t in todo})
        report.counters["ingest/ranges"] = sum(t.stop is not None for t in tasks)
        report.counters["ingest/ranges_resumed"] = sum(
            t.stop is not None for t in tasks if t not in todo)
        reading = time.perf_counter()
        _read_all(todo, parts, crawl_id, workers, progress)
        report.timings["read"] = time.perf_counter() - reading
        with_errors: set[str] = set()
        for done in sorted(parts.glob("*.done")):
            result = json.loads(done.read_text())
            report.counters.update(result["counters"])
            report.errors.extend(result["errors"])
            if result["errors"]:
                with_errors.add(result["source"])
        if with_errors:
            report.counters["ingest/sources_with_errors"] = len(with_errors)
        staging = store.staging()
        previous = store.current()
        merging = time.perf_counter()
        con = duckdb.connect()
        try:
            report.counts = merge_run(con, parts, previous, staging, crawl_date)
            report.timings["merge"] = time.perf_counter() - merging
            snapshots = _snapshots(store, previous, crawl_id, crawl_date, sources, report)
            write_manifest(con, staging, snapshots)
        finally:
            con.close()
        if before_publish is not None:
            before_publish(staging)
        report.generation = store.publish(staging, write_catalog).name
        shutil.rmtree(store.runs / run, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _read_all(todo: list[ReadTask], parts: Path, crawl_id: str, workers: int,
              progress: Progress | None) -> None:
    if not todo:
        return
    remaining = Counter(t.source for t in todo)  # a source is done when its last range is
    ctx = get_context("fork")
    queue = ctx.Queue()
    totals = {"pages": 0, "links": 0, "bytes": 0, "sources_done": 0}

    def drain() -> None:
        while not queue.empty():
            pages, links, size = queue.get()
            totals["pages"] += pages
            totals["links"] += links
            totals["bytes"] += size
        if progress is not None:
            progress(dict(totals))

    def finished(task: ReadTask) -> None:
        remaining[task.source] -= 1
        if not remaining[task.source]:
            totals["sources_done"] += 1

    if workers == 1 or len(todo) == 1:
        for task in todo:
            read_task(task, parts, crawl_id, queue)
            finished(task)
            drain()
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=ctx,
                             initializer=_init_worker, initargs=(queue,)) as pool:
        submitted = {pool.submit(_read_in_worker, t, parts, crawl_id): t for t in todo}
        pending: set[Future[dict[str, Any]]] = set(submitted)
        while pending:
            ready, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in ready:
                future.result()
                finished(submitted[future])
            drain()
    drain()


def _snapshots(store: IndexDir, previous: Path | None, crawl_id: str,
               crawl_date: date | None, sources: list[str],
               report: IngestReport) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if previous is not None:
        rows = [r for r in store.manifest(previous).get("snapshots", [])
                if r["crawl_id"] != crawl_id]
    rows.append({
        "crawl_id": crawl_id,
        "crawl_date": crawl_date.isoformat() if crawl_date else None,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": sources,
        "pages": report.counts.get("run_pages", 0),
        "links": report.counts.get("run_links", 0),
        "errors": len(report.errors),
    })
    return rows
