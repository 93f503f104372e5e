"""The served generation, opened once and shared; each request gets its own DuckDB cursor.

`ReaderPool.lease()` reads CURRENT (one small file) on every request. When a new generation
has been switched in, the pool opens it and retires the old reader, which is closed as soon as
the last request that uses it finishes: a request never sees two generations, and a running
server follows ingests and ranks without a restart.

A lease hands out an `IndexReader` whose `con` is an `InterruptibleCursor`: a cursor of the
shared connection (so temp tables and interrupts stay per request) that the query runner can
interrupt, together with every cursor the report opened from it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from linkscope.store.catalog import IndexReader, open_index
from linkscope.store.generations import IndexDir


class QueryCancelled(Exception):
    """Raised in the worker thread when its request has already given up."""


class InterruptibleCursor:
    """A DuckDB cursor that can be interrupted from another thread, with its child cursors."""

    def __init__(self, con: duckdb.DuckDBPyConnection, root: InterruptibleCursor | None = None):
        self._con = con
        self._root = root or self
        self._children: list[InterruptibleCursor] = []
        self.cancelled = False

    def execute(self, query: str, parameters: Any = None) -> duckdb.DuckDBPyConnection:
        if self._root.cancelled:
            raise QueryCancelled
        return self._con.execute(query, parameters)

    def cursor(self) -> InterruptibleCursor:
        child = InterruptibleCursor(self._con.cursor(), self._root)
        self._root._children.append(child)
        return child

    def interrupt(self) -> None:
        self._root.cancelled = True
        for cursor in [self._root, *self._root._children]:
            with suppress(duckdb.Error):  # already closed: its query is over
                cursor._con.interrupt()

    def close(self) -> None:
        self._con.close()

    def close_all(self) -> None:
        for cursor in [*self._children, self]:
            cursor._con.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@dataclass
class _Held:
    reader: IndexReader
    users: int = 0
    retired: bool = False


class ReaderPool:
    """The reader of the served generation, reopened when CURRENT changes."""

    def __init__(self, index: Path | str) -> None:
        self.index = Path(index)
        self.store = IndexDir(self.index)
        self._lock = threading.Lock()
        self._held: _Held | None = None

    @property
    def generation(self) -> str | None:
        return self._held.reader.generation.name if self._held else None

    def _acquire(self) -> _Held:
        generation = self.store.require_current()  # StoreError when the index is missing
        with self._lock:
            held = self._held
            if held is None or held.reader.generation != generation:
                fresh = _Held(open_index(self.index))
                if held is not None:
                    held.retired = True
                    if held.users == 0:
                        held.reader.close()
                self._held = held = fresh
            held.users += 1
            return held

    def _release(self, held: _Held) -> None:
        with self._lock:
            held.users -= 1
            if held.retired and held.users == 0:
                held.reader.close()

    @contextmanager
    def lease(self) -> Iterator[tuple[IndexReader, InterruptibleCursor]]:
        held = self._acquire()
        try:
            cursor = InterruptibleCursor(held.reader.con.cursor())
            try:
                base = held.reader
                reader = IndexReader(base.index, base.generation, base.manifest,
                                     cursor, base.memo)  # type: ignore[arg-type]
                yield reader, cursor
            finally:
                cursor.close_all()
        finally:
            self._release(held)

    def close(self) -> None:
        with self._lock:
            if self._held is not None:
                self._held.retired = True
                if self._held.users == 0:
                    self._held.reader.close()
                self._held = None
