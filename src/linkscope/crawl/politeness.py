"""Politeness: which queued URL may be fetched next, so that no host is hurried.

Each host (the name, without port) has its own queue. A host is ready when it has fewer than
`per_host` requests in flight and its delay since the end of its last request has passed; the
delay is the larger of `--per-host-delay` and the host's robots.txt Crawl-delay (capped). Many
hosts are fetched in parallel, up to the workers' number. A host can be closed for a while
(robots.txt failed): its URLs wait, and the crawl does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
from collections import deque
from dataclasses import dataclass, field

from linkscope.crawl.frontier import Entry


@dataclass
class HostQueue:
    urls: deque[Entry] = field(default_factory=deque)
    busy: int = 0
    ready_at: float = 0.0  # loop time before which no request may start
    scheduled: bool = False  # whether the host is in the ready heap
    closed_until: float = 0.0  # loop time; while in the future the host is not scheduled


class Politeness:
    """Hands out entries host by host, respecting per-host concurrency and delays."""

    def __init__(self, per_host: int = 1) -> None:
        self.per_host = per_host
        self.hosts: dict[str, HostQueue] = {}
        self.heap: list[tuple[float, int, str]] = []
        self.busy = 0
        self.stopped = False
        self.closed: set[str] = set()
        self._tick = 0
        self._wake = asyncio.Event()

    def _clock(self) -> float:
        return asyncio.get_running_loop().time()

    def _schedule(self, host: str, queue: HostQueue) -> None:
        if queue.scheduled or not queue.urls or queue.busy >= self.per_host:
            return
        if queue.closed_until > self._clock():
            return
        queue.scheduled = True
        self._tick += 1
        heapq.heappush(self.heap, (queue.ready_at, self._tick, host))
        self._wake.set()

    def push(self, entry: Entry, front: bool = False) -> None:
        queue = self.hosts.setdefault(entry.host, HostQueue())
        if front:
            queue.urls.appendleft(entry)
        else:
            queue.urls.append(entry)
        self._schedule(entry.host, queue)

    def pending(self) -> int:
        return sum(len(q.urls) for q in self.hosts.values())

    def stop(self) -> None:
        """Hand out nothing more; workers finish what they hold."""
        self.stopped = True
        self._wake.set()

    async def get(self) -> Entry | None:
        """The next entry whose host is ready; None when the crawl has nothing left to do."""
        while True:
            if self.stopped:
                return None
            wait: float | None = None
            if self.heap:
                ready_at, _, host = self.heap[0]
                now = self._clock()
                if ready_at <= now:
                    heapq.heappop(self.heap)
                    queue = self.hosts[host]
                    queue.scheduled = False
                    entry = queue.urls.popleft()
                    queue.busy += 1
                    self.busy += 1
                    self._schedule(host, queue)
                    return entry
                wait = ready_at - now
            elif self.busy == 0:
                self._wake.set()  # let the other workers see the end too
                return None
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    def release(self, host: str, delay: float) -> None:
        """A request to `host` ended: the next may start after `delay` seconds."""
        queue = self.hosts[host]
        queue.busy -= 1
        self.busy -= 1
        queue.ready_at = max(queue.ready_at, self._clock() + delay)
        self._schedule(host, queue)
        self._wake.set()

    def close_host(self, host: str, seconds: float) -> None:
        """Fetch nothing from `host` for `seconds`; its URLs stay queued."""
        queue = self.hosts.setdefault(host, HostQueue())
        queue.closed_until = self._clock() + seconds
        self.closed.add(host)

    def reopen_due(self) -> None:
        """Schedule closed hosts whose time is up (the crawler calls this as it goes)."""
        now = self._clock()
        for host in [h for h in self.closed if self.hosts[h].closed_until <= now]:
            self.closed.discard(host)
            queue = self.hosts[host]
            queue.closed_until = 0.0
            self._schedule(host, queue)
