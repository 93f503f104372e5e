"""Reading one task's records into part files: what an ingest worker does.

A task is a whole source (a WARC/ARC file or URL) or one byte range of a large local file
(`warc.ranges`). Its records go through extraction into three Parquet part files under
`INDEX/runs/<run id>/parts/` (and a fourth, the pages' texts), written under a temporary
name, synced and renamed when the task is done; then a `<key>.done` marker holds its
counters and error lines, so that an
interrupted ingest skips the tasks already done. The marker is written whole or not at all
(store.durable), and a marker that does not read (cut short by an older version's kill) means
the task was not done: it is read again, and its part files replaced.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from linkscope.errors import ArchiveError, LinkscopeError
from linkscope.extract import DEFAULT_LIMITS, Extraction, ExtractLimits, extract_page
from linkscope.extract.text import PageText
from linkscope.extract.wat import extract_wat
from linkscope.records import Fetch, Link
from linkscope.settings import MAX_DECODED_BODY
from linkscope.store import durable, schema
from linkscope.warc import iter_fetched_pages
from linkscope.warc.pages import WarcPage
from linkscope.warc.revisit import RevisitResolver
from linkscope.warc.sources import is_url
from linkscope.warc.wat import WatPage, is_wat, iter_wat_pages

BATCH_PAGES = 2000  # pages buffered before their batch (a row group) is written
BATCH_LINKS = 100_000  # links buffered before their batch is written


def source_key(source: str) -> str:
    """A stable name for a source's part files: its path or URL, size and modification time."""
    ident = source
    if not is_url(source):
        stat = os.stat(source)
        ident = f"{os.path.abspath(source)}|{stat.st_size}|{stat.st_mtime_ns}"
    return hashlib.sha256(ident.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class ReadTask:
    """A whole source, or the records of a local file that start in [start, stop), or the
    records in `extents`: byte ranges [start, end) of the source that each hold whole records
    (Common Crawl captures, fetched by range requests when the source is a URL)."""

    source: str
    key: str  # names the part files and the `.done` marker
    start: int = 0
    stop: int | None = None
    extents: tuple[tuple[int, int], ...] = ()

    def done_marker(self, parts: Path) -> Path:
        return parts / f"{self.key}.done"

    def result(self, parts: Path) -> dict[str, Any] | None:
        """What the task's `.done` marker holds, or None when the task is not done: no
        marker, or one that does not read."""
        found = durable.read_json(self.done_marker(parts))
        if isinstance(found, dict) and {"source", "counters", "errors"} <= found.keys():
            return found
        return None


class PartWriter:
    """Buffers one task's records and writes them as three Parquet part files."""

    def __init__(self, directory: Path, key: str) -> None:
        self.final = {t: directory / f"{key}.{t}.parquet"
                      for t in ("pages", "links", "fetches", "texts")}
        # per process: a worker of a killed ingest still running as its rerun starts must not
        # write into the same temporary file
        self.tmp = {t: p.with_suffix(f".{os.getpid()}.tmp") for t, p in self.final.items()}
        self.writers = {
            "pages": pq.ParquetWriter(self.tmp["pages"], schema.RUN_PAGES, compression="zstd"),
            "links": pq.ParquetWriter(self.tmp["links"], schema.RUN_LINKS, compression="zstd"),
            "fetches": pq.ParquetWriter(self.tmp["fetches"], schema.RUN_FETCHES,
                                        compression="zstd"),
            "texts": pq.ParquetWriter(self.tmp["texts"], schema.RUN_TEXTS, compression="zstd"),
        }
        self.pages: list[Any] = []
        self.links = schema.LinkColumns()
        self.fetches: list[Fetch] = []
        self.texts: list[tuple[Any, PageText]] = []

    def add(self, page: Any, links: list[Link], fetch: Fetch,
            text: PageText | None = None) -> None:
        self.pages.append(page)
        if text is not None and 200 <= page.status < 300:
            self.texts.append((page, text))
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
        if self.texts:
            self.writers["texts"].write_batch(schema.texts_batch(self.texts))
        self.pages, self.fetches, self.texts = [], [], []

    def close(self) -> None:
        self.flush()
        for table, writer in self.writers.items():
            writer.close()
            durable.sync_file(self.tmp[table])  # on disk before the marker says it is done
            self.tmp[table].replace(self.final[table])


def _iter_task(task: ReadTask, stats: Counter[str], errors: list[str], crawl_id: str,
               max_body: int) -> Iterator[WarcPage | Fetch]:
    """The task's pages and fetches; a source that cannot be read raises, while a range of
    `extents` that cannot be fetched is reported in `errors` and the next range is read."""

    def on_error(error: ArchiveError) -> None:
        errors.append(error.one_line())

    if not task.extents:
        yield from iter_fetched_pages(task.source, stats, on_error=on_error, crawl_id=crawl_id,
                                      start=task.start, stop=task.stop, max_body=max_body)
        return
    resolver = RevisitResolver()
    for start, end in task.extents:
        try:
            yield from iter_fetched_pages(task.source, stats, on_error=on_error,
                                          resolver=resolver, crawl_id=crawl_id, start=start,
                                          stop=end, end=end, max_body=max_body)
        except LinkscopeError as problem:
            errors.append(f"{problem.one_line()} (bytes {start}-{end - 1})")
            stats["warc/ranges-failed"] += 1


def read_task(task: ReadTask, parts: Path, crawl_id: str, progress: Any = None,
              max_body: int = MAX_DECODED_BODY,
              limits: ExtractLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Read one task into part files; return its counters and error lines. Runs in a worker.

    A page body that decodes past `max_body` bytes is kept cut there (`warc/truncated/body`);
    extraction is bounded by `limits` (`extract/truncated/<reason>`).
    """
    stats: Counter[str] = Counter()
    errors: list[str] = []
    writer = PartWriter(parts, task.key)
    pages = links = size = 0
    try:
        for item, result in _extracted(task, stats, errors, crawl_id, max_body, limits):
            if isinstance(item, Fetch) or result is None:
                assert isinstance(item, Fetch)  # only a failed fetch comes without extraction
                writer.add_fetch(item)
                continue
            stats.update(result.skipped)
            kept = result.links if item.status < 400 else []
            writer.add(result.page, kept, item.to_fetch(), result.text)
            pages += 1
            links += len(kept)
            size += item.entity_length if isinstance(item, WatPage) else len(item.body)
            if progress is not None and pages % 200 == 0:
                progress.put((pages, links, size))
                pages = links = size = 0
    except LinkscopeError as problem:
        errors.append(problem.one_line())
    writer.close()
    if progress is not None:
        progress.put((pages, links, size))
    result_ = {"source": task.source, "range": [task.start, task.stop], "counters": dict(stats),
               "errors": errors}
    durable.write_json(task.done_marker(parts), result_)  # syncs the renames above too
    return result_


def _extracted(task: ReadTask, stats: Counter[str], errors: list[str], crawl_id: str,
               max_body: int, limits: ExtractLimits
               ) -> Iterator[tuple[WarcPage | WatPage | Fetch, Extraction | None]]:
    """(page, its extraction) for each page a task reads, (fetch, None) for a failed fetch:
    a WARC or ARC file (whole, or the ranges of its `extents`) through `extract_page`, a WAT
    file through `extract_wat`."""
    if is_wat(task.source):
        def on_error(error: ArchiveError) -> None:
            errors.append(error.one_line())

        for page in iter_wat_pages(task.source, stats, on_error, crawl_id, task.start,
                                   task.stop):
            yield page, extract_wat(page, page.metadata)
        return
    for item in _iter_task(task, stats, errors, crawl_id, max_body):
        if isinstance(item, WarcPage):
            yield item, extract_page(item, limits=limits)
        else:
            yield item, None
