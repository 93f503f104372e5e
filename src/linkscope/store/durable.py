"""State files that are whole or absent after a kill or a power cut: written beside, synced,
renamed.

A file written in place and killed mid-write is left empty or cut short, and whatever reads
it next fails: an empty `.done` marker stopped every later ingest with a JSONDecodeError
until `runs/` was deleted by hand. So state is written under a temporary name in the same
directory, flushed and fsynced, renamed over its final name (atomic on POSIX), and the
directory is fsynced so that the rename itself survives a power cut. Readers take a file
that does not parse as absent, so that the work it records is done again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically and durably."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(path.parent)


def write_json(path: Path, data: Any, indent: int | None = None) -> None:
    """Replace `path` with `data` as JSON, atomically and durably."""
    write_text(path, json.dumps(data, indent=indent, sort_keys=indent is not None)
               + ("\n" if indent is not None else ""))


def read_json(path: Path) -> Any | None:
    """The JSON value in `path`, or None when the file is missing or does not parse (a file
    written in place by an older version and cut short by a kill)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def sync_file(path: Path) -> None:
    """Flush a finished file's data to disk (before it is renamed or recorded as done)."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def sync_directory(path: Path) -> None:
    """Make the names created or renamed in `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
