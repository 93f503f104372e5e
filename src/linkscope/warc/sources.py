"""Where archive bytes come from: local paths, globs and http(s) URLs, read forward only.

Every source is read through a `ReplayReader`: a forward-only byte stream that knows its
absolute position and keeps the bytes read since a mark, so that the reader can restart
parsing at an earlier offset after an error without seeking. This is what lets a streamed
URL resynchronize exactly like a local file.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from linkscope.errors import SourceError, UsageError

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4", ".arc", ".arc.gz")
WAT_SUFFIXES = (".wat", ".wat.gz", ".wat.lz4")  # Common Crawl names them `*.warc.wat.gz`
_GLOB_CHARS = frozenset("*?[")
_CHUNK = 1 << 16


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def expand_sources(patterns: Iterable[str]) -> list[str]:
    """Turn CLI arguments into a sorted list of sources, each once, in argument order.

    URLs pass through; a glob (`**` allowed) expands to the files it matches; a directory
    expands to the archive files under it (suffixes in ARCHIVE_SUFFIXES), or, when it holds
    none, to its WAT files (WAT_SUFFIXES): a WAT describes the pages of a WARC, so a folder
    holding both is read once, from its WARCs. A pattern that matches nothing is a usage
    error naming the pattern.
    """
    seen: set[str] = set()
    out: list[str] = []
    for pattern in patterns:
        if is_url(pattern):
            found = [pattern]
        elif _GLOB_CHARS & set(pattern):
            found = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
        elif os.path.isdir(pattern):
            files = sorted(str(p) for p in Path(pattern).rglob("*") if p.is_file())
            found = ([f for f in files if f.endswith(ARCHIVE_SUFFIXES)]
                     or [f for f in files if f.endswith(WAT_SUFFIXES)])
        elif os.path.isfile(pattern):
            found = [pattern]
        else:
            found = []
        if not found:
            raise UsageError("matches no file", where=pattern, hint="check the path or glob")
        for item in found:
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out


def open_raw(source: str, timeout: float = 60.0, end: int | None = None) -> BinaryIO:
    """Open a local path or an http(s) URL as a raw byte stream (streamed, never loaded whole).

    A URL is read by a `remote.RemoteStream`: opened at the first read, from the offset it was
    seeked to, resumed where it dropped; `end` (URLs only) is the byte before which the caller
    needs everything, so that no byte past it is asked for.
    """
    if is_url(source):
        from linkscope.warc.remote import RemoteStream

        return RemoteStream(source, end=end, timeout=timeout)  # type: ignore[return-value]
    try:
        return open(source, "rb")  # noqa: SIM115 (closed by ReplayReader.close)
    except OSError as exc:
        raise SourceError(f"cannot open: {exc.strerror or exc}", where=source) from exc


class ReplayReader:
    """A forward-only reader with an absolute position and a replay buffer since a mark.

    `read` serves bytes from `start` on; `replay_from(offset)` returns a fresh reader
    positioned at an earlier `offset`, as long as that offset is not older than the mark.
    The buffer holds only the bytes between the mark and the read position, so its size
    is bounded by one record plus the parser's read-ahead.
    """

    def __init__(self, raw: BinaryIO, name: str, start: int = 0) -> None:
        """Read `raw` from absolute offset `start` on (a local file is seeked there)."""
        self.raw = raw
        self.name = name
        if start:
            raw.seek(start)
        self._chunks: list[tuple[int, bytes]] = []  # (absolute start, bytes) since the mark
        self._end = start  # absolute position of the next byte from raw
        self._pos = start  # absolute position of the next byte served
        self._eof = False
        self._size = _regular_file_size(raw)

    def size(self) -> int | None:
        """The source's size in bytes, when known: a local file, or a stream read to its end.

        Framing checks ask it before looking at an offset a record's Content-Length names,
        which may lie far past the end: peeking there would buffer the whole rest of a file.
        """
        if self._size is not None:
            return self._size
        return self._end if self._eof else None

    # --- the file-like interface the parsers use
    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            parts = [self.read(_CHUNK)]
            while parts[-1]:
                parts.append(self.read(_CHUNK))
            return b"".join(parts)
        if self._pos < self._end:
            return self._serve_buffered(size)
        if self._eof:
            return b""
        data = self.raw.read(max(size, _CHUNK))
        if not data:
            self._eof = True
            return b""
        self._chunks.append((self._end, data))
        self._end += len(data)
        return self._serve_buffered(size)

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        target = {0: offset, 1: self._pos + offset}.get(whence)
        if target is None or not self._buffered(target):
            raise OSError("ReplayReader cannot seek there")
        self._pos = target
        return self._pos

    def close(self) -> None:
        self.raw.close()

    # --- replay
    def mark(self, offset: int) -> None:
        """Forget buffered bytes before `offset` (the parser will not return before it)."""
        while len(self._chunks) > 1 and self._chunks[0][0] + len(self._chunks[0][1]) <= offset:
            self._chunks.pop(0)

    def peek_from(self, offset: int, size: int) -> bytes:
        """Up to `size` bytes from absolute `offset` (reading ahead if needed), position kept."""
        while self._end < offset + size and not self._eof:
            data = self.raw.read(_CHUNK)
            if not data:
                self._eof = True
                break
            self._chunks.append((self._end, data))
            self._end += len(data)
        if not self._buffered(offset):
            return b""
        out = bytearray()
        for start, data in self._chunks:
            if start + len(data) <= offset:
                continue
            out += data[max(0, offset - start):]
            if len(out) >= size:
                break
        return bytes(out[:size])

    def rewind(self, offset: int) -> None:
        """Serve bytes from an earlier absolute `offset` on (it must still be buffered)."""
        self.seek(offset)

    def _buffered(self, offset: int) -> bool:
        first = self._chunks[0][0] if self._chunks else self._end
        return first <= offset <= self._end

    def _serve_buffered(self, size: int) -> bytes:
        # find the chunk holding the position, searching from the newest (the usual case)
        index = len(self._chunks) - 1
        while index > 0 and self._chunks[index][0] > self._pos:
            index -= 1
        out: list[bytes] = []
        wanted = size
        while wanted > 0 and index < len(self._chunks):
            start, data = self._chunks[index]
            piece = data[self._pos - start: self._pos - start + wanted]
            out.append(piece)
            self._pos += len(piece)
            wanted -= len(piece)
            index += 1
        return out[0] if len(out) == 1 else b"".join(out)


def _regular_file_size(raw: BinaryIO) -> int | None:
    try:
        info = os.fstat(raw.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None  # not a socket's 0


class OffsetReader:
    """A view of a ReplayReader that starts at `base`: parsers see offsets relative to it."""

    def __init__(self, inner: ReplayReader, base: int) -> None:
        self.inner = inner
        self.base = base
        inner.rewind(base)

    def read(self, size: int = -1) -> bytes:
        return self.inner.read(size)

    def tell(self) -> int:
        return self.inner.tell() - self.base

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 0:
            offset += self.base
        return self.inner.seek(offset, whence) - self.base

    def close(self) -> None:
        """Closing a view leaves the underlying source open for the next segment."""
