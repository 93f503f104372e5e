"""Captures become the ingest's reading tasks: byte ranges of the files that hold them.

Each capture's record is the range [offset, offset + length) of `DATA_BASE/filename`
(an http(s) base is read by range requests, a local mirror by seeking). The captures of one
file are sorted by offset and records that touch are merged into one range (one request for a
run of neighbours); the ranges of a file are then cut into tasks of at most `TASK_RANGES`,
so that an interrupted ingest keeps what it read at that grain. A task's key names its file and
ranges, so the same selection resumes, and another selection of the same files does not take
this one's parts for its own.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable

from linkscope.commoncrawl.captures import Capture
from linkscope.store.parts import ReadTask
from linkscope.warc.sources import is_url

TASK_RANGES = 256  # ranges a task reads before its parts are written and its marker set


def data_source(base: str, filename: str) -> str:
    """`base/filename` for a URL base, the path under a local mirror otherwise."""
    if is_url(base):
        return base.rstrip("/") + "/" + filename.lstrip("/")
    return os.path.join(base, filename)


def merge_extents(captures: Iterable[Capture]) -> list[tuple[int, int]]:
    """The byte ranges holding `captures`, sorted, touching or overlapping ones merged."""
    spans = sorted((c.offset, c.end) for c in captures)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def plan_capture_tasks(captures: Iterable[Capture], base: str,
                       task_ranges: int = TASK_RANGES) -> tuple[list[str], list[ReadTask]]:
    """(the sources, the tasks) that read exactly the records of `captures` under `base`."""
    by_file: dict[str, list[Capture]] = defaultdict(list)
    for capture in captures:
        by_file[capture.filename].append(capture)
    sources: list[str] = []
    tasks: list[ReadTask] = []
    for filename in sorted(by_file):
        source = data_source(base, filename)
        sources.append(source)
        extents = merge_extents(by_file[filename])
        for first in range(0, len(extents), task_ranges):
            chunk = tuple(extents[first:first + task_ranges])
            ident = source + "|" + ",".join(f"{a}-{b}" for a, b in chunk)
            key = "cc-" + hashlib.sha256(ident.encode()).hexdigest()[:20]
            tasks.append(ReadTask(source, key, extents=chunk))
    return sources, tasks
