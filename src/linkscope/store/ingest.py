"""Ingest archives into the index: read, extract, write part files, merge into a generation.

Each source (a WARC/ARC file or URL) is read by one worker process into part files under
`INDEX/runs/<run id>/parts/`, written under a temporary name and renamed when the source is
done. The run id is derived from the sources and the crawl date, so running the same ingest
again after an interruption skips the sources already done and finishes the job. When every
source is read, the parts are merged with the served generation into a new one (merge.py),
which is switched in atomically, and the run directory is removed.
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
import pyarrow.parquet as pq

from linkscope.errors import ArchiveError, LinkscopeError
from linkscope.extract import extract_page
from linkscope.records import Fetch, Link
from linkscope.store import schema
from linkscope.store.catalog import write_catalog, write_manifest
from linkscope.store.generations import IndexDir
from linkscope.store.merge import merge_run
from linkscope.warc import WarcPage, iter_fetched_pages
from linkscope.warc.sources import is_url

log = logging.getLogger(__name__)

BATCH_PAGES = 2000  # pages buffered before their batch (a row group) is written
BATCH_LINKS = 100_000  # links buffered before their batch is written
Progress = Callable[[dict[str, int]], None]


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


def source_key(source: str) -> str:
    """A stable name for a source's part files: its path or URL, size and modification time."""
    ident = source
    if not is_url(source):
        stat = os.stat(source)
        ident = f"{os.path.abspath(source)}|{stat.st_size}|{stat.st_mtime_ns}"
    return hashlib.sha256(ident.encode()).hexdigest()[:20]


class _PartWriter:
    """Buffers one source's records and writes them as three Parquet part files."""

    def __init__(self, directory: Path, key: str) -> None:
        self.final = {t: directory / f"{key}.{t}.parquet" for t in ("pages", "links", "fetches")}
        self.tmp = {t: p.with_suffix(".tmp") for t, p in self.final.items()}
        self.writers = {
            "pages": pq.ParquetWriter(self.tmp["pages"], schema.RUN_PAGES, compression="zstd"),
            "links": pq.ParquetWriter(self.tmp["links"], schema.RUN_LINKS, compression="zstd"),
            "fetches": pq.ParquetWriter(self.tmp["fetches"], schema.RUN_FETCHES,
                                        compression="zstd"),
        }
        self.pages: list[Any] = []
        self.links = schema.LinkColumns()
        self.fetches: list[Fetch] = []

    def add(self, page: Any, links: list[Link], fetch: Fetch) -> None:
        self.pages.append(page)
        if links:
            self.links.add(links, page)
        self.fetches.append(fetch)
        if len(self.fetches) >= BATCH_PAGES or len(self.links) >= BATCH_LINKS:
            self.flush()

    def add_fetch(self, fetch: Fetch) -> None:
        self.fetches.append(fetch)

    def flush(self) -> None:
        if self.pages:
            self.writers["pages"].write_batch(schema.pages_batch(self.pages))
        if len(self.links):
            self.writers["links"].write_batch(self.links.take())
        if self.fetches:
            self.writers["fetches"].write_batch(schema.fetches_batch(self.fetches))
        self.pages, self.fetches = [], []

    def close(self) -> None:
        self.flush()
        for table, writer in self.writers.items():
            writer.close()
            self.tmp[table].replace(self.final[table])


def read_source(source: str, parts: Path, crawl_id: str,
                progress: Any = None) -> dict[str, Any]:
    """Read one source into part files; return its counters and error lines. Runs in a worker."""
    key = source_key(source)
    done = parts / f"{key}.done"
    stats: Counter[str] = Counter()
    errors: list[str] = []

    def on_error(error: ArchiveError) -> None:
        errors.append(error.one_line())

    writer = _PartWriter(parts, key)
    pages = links = size = 0
    try:
        for item in iter_fetched_pages(source, stats, on_error=on_error, crawl_id=crawl_id):
            if isinstance(item, Fetch):
                writer.add_fetch(item)
                continue
            result = extract_page(item)
            stats.update(result.skipped)
            kept = result.links if item.status < 400 else []
            writer.add(result.page, kept, _fetch_of(item))
            pages += 1
            links += len(kept)
            size += len(item.body)
            if progress is not None and pages % 200 == 0:
                progress.put((pages, links, size))
                pages = links = size = 0
    except LinkscopeError as problem:
        errors.append(problem.one_line())
    writer.close()
    if progress is not None:
        progress.put((pages, links, size))
    result_ = {"source": source, "counters": dict(stats), "errors": errors}
    done.write_text(json.dumps(result_))
    return result_


def _fetch_of(page: WarcPage) -> Fetch:
    return page.to_fetch()


_progress_queue: Any = None


def _init_worker(queue: Any) -> None:
    global _progress_queue
    _progress_queue = queue


def _read_in_worker(source: str, parts: Path, crawl_id: str) -> dict[str, Any]:
    return read_source(source, parts, crawl_id, _progress_queue)


def run_id_for(sources: Iterable[str], crawl_date: date | None) -> str:
    text = "\n".join(sorted(sources)) + f"\n{crawl_date}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ingest(index: Path, sources: list[str], *, crawl_date: date | None = None,
           workers: int = 0, crawl_id: str | None = None,
           progress: Progress | None = None) -> IngestReport:
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
        todo = [s for s in sources if not (parts / f"{source_key(s)}.done").exists()]
        report.counters["ingest/sources"] = len(sources)
        report.counters["ingest/sources_resumed"] = len(sources) - len(todo)
        reading = time.perf_counter()
        _read_all(todo, parts, crawl_id, workers, progress)
        report.timings["read"] = time.perf_counter() - reading
        for done in sorted(parts.glob("*.done")):
            result = json.loads(done.read_text())
            report.counters.update(result["counters"])
            report.errors.extend(result["errors"])
            if result["errors"]:
                report.counters["ingest/sources_with_errors"] += 1
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
        report.generation = store.publish(staging, write_catalog).name
        shutil.rmtree(store.runs / run, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _read_all(todo: list[str], parts: Path, crawl_id: str, workers: int,
              progress: Progress | None) -> None:
    if not todo:
        return
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

    if workers == 1 or len(todo) == 1:
        for source in todo:
            read_source(source, parts, crawl_id, queue)
            totals["sources_done"] += 1
            drain()
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=ctx,
                             initializer=_init_worker, initargs=(queue,)) as pool:
        pending: set[Future[dict[str, Any]]] = {
            pool.submit(_read_in_worker, s, parts, crawl_id) for s in todo}
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                future.result()
                totals["sources_done"] += 1
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
