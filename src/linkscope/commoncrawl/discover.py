"""`linkscope discover TARGET`: the pages that link to one domain, from Common Crawl, without
reading a whole crawl.

1. From the host graph, the hosts that link to the target's hosts (hostgraph.py).
2. From the index server, those hosts' captures (`host/*`, so `www.host` too), and of them
   the HTML pages and redirects (captures.py), at most `max_pages` of them and `max_bytes`
   of records, taken host by host in the graph's order.
3. Their records, by HTTP range requests on DATA_BASE/filename, extracted and indexed as one
   snapshot (the ingest's tasks: plan.py); the new generation is ranked as an ingest's is.

The selection is saved (`INDEX/runs/discover-<id>.json`) before anything is fetched, so that a
rerun after a kill reads the same captures and the ingest skips the tasks it finished; a
finished run removes it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from linkscope.commoncrawl.captures import Capture, select
from linkscope.commoncrawl.hostgraph import linking_hosts
from linkscope.commoncrawl.index import IndexClient
from linkscope.commoncrawl.plan import plan_capture_tasks
from linkscope.store import durable
from linkscope.store.generations import IndexDir
from linkscope.store.parts import ReadTask

HostProgress = Callable[[int, int], None]  # (hosts looked up, hosts)


@dataclass
class Selection:
    """What a discover run reads: its captures, and what it learnt choosing them."""

    target_hosts: list[str]
    linking_hosts: list[str]
    captures: list[Capture]
    counters: Counter[str] = field(default_factory=Counter)
    resumed: bool = False


def selection_file(index: Path, target: str, vertices: Path, edges: Path, api: str,
                   max_pages: int | None, max_bytes: int | None) -> Path:
    ident = json.dumps([target, str(vertices.resolve()), str(edges.resolve()), api, max_pages,
                        max_bytes])
    return IndexDir(index).runs / f"discover-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.json"


def choose_captures(target: str, vertices: Path, edges: Path, client: IndexClient,
                    max_pages: int | None = None, max_bytes: int | None = None,
                    saved: Path | None = None,
                    progress: HostProgress | None = None) -> Selection:
    """The captures to read for `target` (see the module doc); read from `saved` when an
    earlier run of the same discover left it there, and written there otherwise."""
    if saved is not None:
        found = durable.read_json(saved)
        if isinstance(found, dict):
            captures = [Capture(**c) for c in found["captures"]]
            return Selection(found["target_hosts"], found["linking_hosts"], captures,
                             Counter(found["counters"]), resumed=True)
    stats: Counter[str] = Counter()
    targets, hosts = linking_hosts(vertices, edges, target)
    stats["cc/graph/target-hosts"] = len(targets)
    stats["cc/graph/linking-hosts"] = len(hosts)
    chosen: list[Capture] = []
    size = 0
    for done, host in enumerate(hosts):
        if progress is not None:
            progress(done, len(hosts))
        if max_pages is not None and len(chosen) >= max_pages:
            stats["cc/hosts/not-looked-up"] += len(hosts) - done
            break
        found_before = stats["cc/captures"]
        picked = select(client.captures(f"{host}/*", stats), stats)
        if stats["cc/captures"] == found_before:
            stats["cc/hosts/no-captures"] += 1
        for capture in picked:
            if max_pages is not None and len(chosen) >= max_pages:
                stats["cc/skipped/max-pages"] += 1
                continue
            if max_bytes is not None and size + capture.length > max_bytes:
                stats["cc/skipped/max-bytes"] += 1
                continue
            chosen.append(capture)
            size += capture.length
    if progress is not None:
        progress(len(hosts), len(hosts))
    stats["cc/fetch/bytes"] = size
    selection = Selection(targets, hosts, chosen, stats)
    if saved is not None:
        saved.parent.mkdir(parents=True, exist_ok=True)
        durable.write_json(saved, {"target_hosts": targets, "linking_hosts": hosts,
                                   "captures": [asdict(c) for c in chosen],
                                   "counters": dict(stats)})
    return selection


def reading_plan(selection: Selection, data_base: str) -> tuple[list[str], list[ReadTask]]:
    return plan_capture_tasks(selection.captures, data_base)
