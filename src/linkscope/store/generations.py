"""An index directory: immutable generations of tables, switched in atomically.

    INDEX/
      CURRENT                 the name of the served generation (replaced by rename)
      generations/g000001/    one complete build: Parquet tables, manifest.json, catalog.duckdb
      runs/<run id>/          an ingest's work in progress: part files, resumable
      lock                    held by the one writer at a time (readers take no lock)

A build writes a new generation under `generations/.tmp-*`, renames it to its final name, then
replaces CURRENT. A reader resolves CURRENT once and keeps that generation; old generations are
removed only when older than the last `KEEP` ones, so a reader that opened one a moment ago keeps
its files. A crash at any moment leaves CURRENT naming a complete generation.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from linkscope.errors import StoreError
from linkscope.store.durable import sync_directory, sync_file

log = logging.getLogger(__name__)

KEEP = 3  # generations kept on disk: the served one and the two before it


class IndexDir:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @property
    def generations(self) -> Path:
        return self.path / "generations"

    @property
    def runs(self) -> Path:
        return self.path / "runs"

    def exists(self) -> bool:
        return (self.path / "CURRENT").is_file()

    def current(self) -> Path | None:
        """The served generation's directory, or None for an empty index."""
        try:
            name = (self.path / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        generation = self.generations / name
        if not (generation / "manifest.json").is_file():
            raise StoreError(f"CURRENT names {name!r}, which is incomplete or missing",
                             where=str(self.path), hint="the index is damaged; re-ingest")
        return generation

    def require_current(self) -> Path:
        generation = self.current()
        if generation is None:
            raise StoreError("no index here", where=str(self.path),
                             hint="build one with `linkscope ingest` or `linkscope crawl`")
        return generation

    def manifest(self, generation: Path | None = None) -> dict[str, Any]:
        generation = generation or self.require_current()
        data: dict[str, Any] = json.loads((generation / "manifest.json").read_text())
        return data

    def next_name(self) -> str:
        numbers = [int(p.name[1:]) for p in self.generations.glob("g*") if p.name[1:].isdigit()]
        return f"g{max(numbers, default=0) + 1:06d}"

    @contextmanager
    def writing(self) -> Iterator[int]:
        """Hold the writer's lock; a second writer fails at once with a clear error.

        The lock is an flock on INDEX/lock, which the kernel frees when its holder dies;
        yielded is its file descriptor, which forked workers close (store.lifeline) so that
        they never keep it past their parent. While held, the file names the holder's pid;
        a pid left there names a build that died holding the lock: the lock is taken over,
        saying so in one WARNING line.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        handle = (self.path / "lock").open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            handle.close()
            message, hint = _refusal(holder)
            raise StoreError(message, where=str(self.path), hint=hint) from None
        previous = _holder(handle)
        if previous is not None and previous != os.getpid():
            log.warning("%s: took over the lock of build pid %d, which died holding it; an "
                        "interrupted ingest resumes where it stopped", self.path, previous)
        _set_holder(handle, os.getpid())
        try:
            yield handle.fileno()
        finally:
            _set_holder(handle, None)
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def staging(self) -> Path:
        """A fresh directory to build the next generation in."""
        self.generations.mkdir(parents=True, exist_ok=True)
        for stale in self.generations.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a crashed build
        path = self.generations / f".tmp-{self.next_name()}"
        path.mkdir()
        return path

    def publish(self, staging: Path,
                before_switch: Callable[[Path], None] | None = None) -> Path:
        """Make a complete staging directory the served generation, atomically.

        `before_switch` runs on the renamed generation before CURRENT names it (the catalog
        is written there, as DuckDB views must name files that exist).
        """
        if not (staging / "manifest.json").is_file():
            raise StoreError("refusing to publish a generation without manifest",
                             where=str(staging))
        _fsync_tree(staging)
        final = final_path(staging)
        staging.rename(final)
        if before_switch is not None:
            before_switch(final)
        sync_directory(self.generations)
        pointer = self.path / "CURRENT.tmp"
        with pointer.open("w") as out:
            out.write(final.name + "\n")
            out.flush()
            os.fsync(out.fileno())
        pointer.replace(self.path / "CURRENT")
        sync_directory(self.path)
        self._collect()
        return final

    def _collect(self) -> None:
        names = sorted(p.name for p in self.generations.glob("g*") if p.name[1:].isdigit())
        for name in names[:-KEEP]:
            shutil.rmtree(self.generations / name, ignore_errors=True)


def _holder(handle: IO[str]) -> int | None:
    """The pid written in the lock file, if any."""
    handle.seek(0)
    text = handle.read().strip()
    return int(text) if text.isdigit() else None


def _set_holder(handle: IO[str], pid: int | None) -> None:
    handle.seek(0)
    handle.truncate()
    if pid is not None:
        handle.write(f"{pid}\n")
    handle.flush()


def _refusal(holder: int | None) -> tuple[str, str]:
    """The message and hint when the lock is held: by a live build, or by what a dead one left."""
    if holder is None or _alive(holder):
        who = f" (pid {holder})" if holder is not None else ""
        return f"another build is writing this index{who}", "wait for it to finish"
    return (f"the build that took this index's lock (pid {holder}) has ended, but a process it "
            "started still holds the lock", "end it (`fuser -v INDEX/lock` names it), then "
            "run again")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def final_path(staging: Path) -> Path:
    """Where a staging directory (`.tmp-gNNNNNN`) lands when published."""
    return staging.with_name(staging.name.removeprefix(".tmp-"))


def _fsync_tree(path: Path) -> None:
    for item in path.rglob("*"):
        if item.is_file():
            sync_file(item)
    sync_directory(path)
