"""Running a report for a request: in a worker thread, on its own cursor, within a time limit.

The event loop never runs a query. Each report runs in a small pool of worker threads
(`workers`), so that a few slow reports cannot hold the whole server; a request that has not
finished after `timeout` seconds (time spent waiting for a free worker included) is answered
503 in the error shape, and its DuckDB cursors are interrupted so that the worker is freed at
once rather than when the query would have ended.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from linkscope.api.readers import InterruptibleCursor, QueryCancelled, ReaderPool
from linkscope.settings import QUERY_TIMEOUT, QUERY_WORKERS
from linkscope.store.catalog import IndexReader

log = logging.getLogger(__name__)
T = TypeVar("T")


class QueryTimeout(Exception):
    """A report took longer than the server's time limit."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query took longer than {seconds:g} s and was stopped")


class ReportRunner:
    def __init__(self, index: Path | str, timeout: float = QUERY_TIMEOUT,
                 workers: int = QUERY_WORKERS) -> None:
        self.pool = ReaderPool(index)
        self.timeout = timeout
        self.workers = workers
        self.executor: ThreadPoolExecutor | None = None  # started on first use, after close too

    async def run(self, work: Callable[[IndexReader], T]) -> T:
        """Run `work(reader)` on the served generation; QueryTimeout past the time limit."""
        slot: list[InterruptibleCursor] = []
        given_up = threading.Event()

        def job() -> T:
            if given_up.is_set():
                raise QueryCancelled
            with self.pool.lease() as (reader, cursor):
                slot.append(cursor)
                if given_up.is_set():
                    raise QueryCancelled
                return work(reader)

        if self.executor is None:
            self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="linkscope-query")
        future = asyncio.get_running_loop().run_in_executor(self.executor, job)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            given_up.set()
            for cursor in slot:
                cursor.interrupt()
            log.warning("report stopped after %.1f s", self.timeout)
            raise QueryTimeout(self.timeout) from None

    def close(self) -> None:
        """Stop the workers and close the reader (an app restarted by its lifespan reopens)."""
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.pool.close()
