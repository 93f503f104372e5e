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

from linkscope.errors import StoreError
from linkscope.extract import DEFAULT_LIMITS, ExtractLimits
from linkscope.settings import MAX_DECODED_BODY
from linkscope.store.catalog import write_catalog, write_manifest
from linkscope.store.fulltext import update_search
from linkscope.store.generations import IndexDir
from linkscope.store.lifeline import bind_to_parent
from linkscope.store.merge import merge_run
from linkscope.store.outcome import failed_sources
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
    failed_sources: list[str] = field(default_factory=list)  # yielded nothing (store.outcome)
    published: bool = False  # False when every source failed: the index was left as it was

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


def _init_worker(queue: Any, parent: int, lock_fd: int) -> None:
    """A worker ends with the ingest that forked it and never holds its index lock."""
    bind_to_parent(parent, inherited=(lock_fd,))
    global _progress_queue
    _progress_queue = queue


def _read_in_worker(task: ReadTask, parts: Path, crawl_id: str, max_body: int,
                    limits: ExtractLimits) -> dict[str, Any]:
    return read_task(task, parts, crawl_id, _progress_queue, max_body, limits)


def _result(task: ReadTask, parts: Path) -> dict[str, Any]:
    result = task.result(parts)
    if result is None:
        raise StoreError("a resume marker does not read right after its task was read",
                         where=str(task.done_marker(parts)))
    return result


def _done_before(task: ReadTask, parts: Path) -> dict[str, Any] | None:
    """The result of a task an earlier run did, or None: then it is (read) again."""
    result = task.result(parts)
    if result is None and task.done_marker(parts).exists():
        log.warning("%s: unreadable resume marker (cut short by a kill?); reading %s again",
                    task.done_marker(parts), task.source)
    return result


def run_id_for(sources: Iterable[str], crawl_date: date | None) -> str:
    text = "\n".join(sorted(sources)) + f"\n{crawl_date}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ingest(index: Path, sources: list[str], *, crawl_date: date | None = None,
           workers: int = 0, crawl_id: str | None = None,
           progress: Progress | None = None, split_bytes: int = SPLIT_BYTES,
           range_bytes: int = RANGE_BYTES,
           max_decoded_body: int = MAX_DECODED_BODY,
           limits: ExtractLimits = DEFAULT_LIMITS,
           before_publish: BeforePublish | None = None,
           tasks: list[ReadTask] | None = None) -> IngestReport:
    """Ingest `sources` (already expanded) into the index at `index`; see the module doc.

    `tasks`, when given, are the reading tasks of `sources` as the caller planned them (the
    Common Crawl sources: the byte ranges of the captures they selected), each naming one of
    `sources`; the run id then comes from their keys.

    A page body that decodes past `max_decoded_body` bytes is kept cut there; a page's
    extraction is bounded by `limits`; `before_publish` runs on the new generation before it
    becomes current (the ranking).
    """
    started = time.perf_counter()
    report = IngestReport()
    store = IndexDir(index)
    workers = workers or os.cpu_count() or 1
    with store.writing() as lock_fd:
        run = run_id_for(sources if tasks is None else [t.key for t in tasks], crawl_date)
        crawl_id = crawl_id or f"ingest-{run}"
        parts = store.runs / run / "parts"
        parts.mkdir(parents=True, exist_ok=True)
        if tasks is None:
            tasks = plan_tasks(sources, split_bytes, range_bytes)
        todo = [t for t in tasks if _done_before(t, parts) is None]
        report.counters["ingest/sources"] = len(sources)
        report.counters["ingest/sources_resumed"] = len(sources) - len({t.source for t in todo})
        report.counters["ingest/ranges"] = sum(t.stop is not None or bool(t.extents)
                                               for t in tasks)
        report.counters["ingest/ranges_resumed"] = sum(
            t.stop is not None or bool(t.extents) for t in tasks if t not in todo)
        reading = time.perf_counter()
        _read_all(todo, parts, crawl_id, workers, progress, max_decoded_body, lock_fd, limits)
        report.timings["read"] = time.perf_counter() - reading
        results = [_result(task, parts) for task in tasks]
        with_errors: set[str] = set()
        for result in results:
            report.counters.update(result["counters"])
            report.errors.extend(result["errors"])
            if result["errors"]:
                with_errors.add(result["source"])
        if with_errors:
            report.counters["ingest/sources_with_errors"] = len(with_errors)
        report.failed_sources, lines = failed_sources(sources, results)
        report.errors.extend(lines)
        if report.failed_sources:
            report.counters["ingest/sources_failed"] = len(report.failed_sources)
        if sources and len(report.failed_sources) == len(sources):
            # nothing to publish; a rerun reads every source again (one may have been down)
            shutil.rmtree(store.runs / run, ignore_errors=True)
            current = store.current()
            report.generation = current.name if current is not None else ""
            report.seconds = time.perf_counter() - started
            return report
        staging = store.staging()
        previous = store.current()
        merging = time.perf_counter()
        con = duckdb.connect()
        try:
            report.counts = merge_run(con, parts, previous, staging, crawl_date)
            report.timings["merge"] = time.perf_counter() - merging
            indexing = time.perf_counter()
            report.counts.update(update_search(con, previous, staging))
            report.timings["search"] = time.perf_counter() - indexing
            snapshots = _snapshots(store, previous, crawl_id, crawl_date, sources, report)
            write_manifest(con, staging, snapshots)
        finally:
            con.close()
        if before_publish is not None:
            before_publish(staging)
        report.generation = store.publish(staging, write_catalog).name
        report.published = True
        shutil.rmtree(store.runs / run, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _read_all(todo: list[ReadTask], parts: Path, crawl_id: str, workers: int,
              progress: Progress | None, max_body: int, lock_fd: int,
              limits: ExtractLimits = DEFAULT_LIMITS) -> None:
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
            read_task(task, parts, crawl_id, queue, max_body, limits)
            finished(task)
            drain()
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=ctx,
                             initializer=_init_worker,
                             initargs=(queue, os.getpid(), lock_fd)) as pool:
        submitted = {pool.submit(_read_in_worker, t, parts, crawl_id, max_body, limits): t
                     for t in todo}
        pending: set[Future[dict[str, Any]]] = set(submitted)
        try:
            while pending:
                ready, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in ready:
                    future.result()
                    finished(submitted[future])
                drain()
        except BaseException:
            # Ctrl-C or a failed task: stop now rather than read every queued source first.
            # The tasks done are kept (their markers written); the workers are ended mid-task,
            # leaving only temporary part files, and a rerun reads those tasks again.
            workers_running = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers_running:
                process.terminate()
            for process in workers_running:  # gone before anyone counts what was kept
                process.join(timeout=10)
            raise
    drain()


def _snapshots(store: IndexDir, previous: Path | None, crawl_id: str,
               crawl_date: date | None, sources: list[str],
               report: IngestReport) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if previous is not None:
        rows = [r for r in store.manifest(previous).get("snapshots", [])
                if r["crawl_id"] != crawl_id]
    row = {
        "crawl_id": crawl_id,
        "crawl_date": crawl_date.isoformat() if crawl_date else None,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": [s for s in sources if s not in report.failed_sources],
        "pages": report.counts.get("run_pages", 0),
        "links": report.counts.get("run_links", 0),
        "errors": len(report.errors),
    }
    if report.failed_sources:
        row["failed_sources"] = report.failed_sources
    rows.append(row)
    return rows
