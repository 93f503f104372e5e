"""Worker processes that end with the process that started them: `bind_to_parent`.

An ingest's readers are forked worker processes. When the main process is killed (kill -9,
or a plain SIGTERM, which runs no `finally`), nothing tells them: a worker waiting for its
next task waits forever on a pipe whose other end it holds itself. They also held a copy of
the index lock's file, so the lock outlived the build and every later ingest, crawl and rank
failed with "another build is writing this index". So a worker, as it starts:

- closes its copy of the lock's file: the lock is the main process's, and the kernel frees
  it the moment that process dies;
- asks Linux to kill it when its parent dies (prctl PR_SET_PDEATHSIG), then checks that the
  parent did not die before the request was made;
- starts a watchdog thread that polls os.getppid(): a worker whose parent died has been
  adopted by another process, so the parent pid changes, and the worker exits. This covers
  systems without prctl, and a parent thread that forked it and ended (the kernel's signal
  follows the thread, not the process).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5  # how often the watchdog looks at the parent pid
ORPHANED = 3  # exit status of a worker that found its parent gone


def bind_to_parent(parent: int, inherited: Iterable[int] = ()) -> None:
    """Make this (forked) process end when process `parent` ends; close `inherited` fds."""
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    _kill_me_with_parent()
    if os.getppid() != parent:
        os._exit(ORPHANED)  # the parent died before the kernel was asked
    threading.Thread(target=_watch, args=(parent,), name="linkscope-lifeline",
                     daemon=True).start()


def _kill_me_with_parent() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(ORPHANED)
