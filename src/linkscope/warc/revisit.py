"""Resolve revisit records to the response they repeat.

A revisit record (profile identical-payload-digest) stores the HTTP headers of a new capture
but not its payload, because the payload equals one stored earlier. The resolver remembers
each response by its WARC-Payload-Digest and by its URL, and hands a revisit the original's
payload: from memory while the body cache has room (a byte budget, least recently used out
first), else by re-reading the original record from its local file at its offset.
A revisit whose original was not seen earlier in the file set stays unresolved.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from fastwarc.warc import ArchiveIterator

from linkscope.warc.sources import is_url

IDENTICAL_PAYLOAD = "identical-payload-digest"


@dataclass(frozen=True, slots=True)
class Original:
    """What a revisit needs from the response it repeats."""

    url: str
    status: int | None
    headers: tuple[tuple[str, str], ...]
    file: str
    offset: int | None


class RevisitResolver:
    """Responses seen so far, by payload digest and by URL; share one across a file set."""

    def __init__(self, cache_bytes: int = 256 << 20) -> None:
        self.cache_bytes = cache_bytes
        self._by_digest: dict[str, Original] = {}
        self._by_url: dict[str, Original] = {}
        self._bodies: OrderedDict[str, bytes] = OrderedDict()  # key -> raw payload
        self._cached = 0

    def remember(self, original: Original, digest: str | None, body: bytes) -> None:
        """Record a response; `body` is its payload as recorded (before HTTP decoding)."""
        key = digest or f"url:{original.url}"
        if digest:
            self._by_digest[digest] = original
        self._by_url[original.url] = original
        if key in self._bodies:
            self._cached -= len(self._bodies.pop(key))
        if len(body) <= self.cache_bytes:
            self._bodies[key] = body
            self._cached += len(body)
            while self._cached > self.cache_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._cached -= len(dropped)

    def resolve(
        self, digest: str | None, refers_to: str | None, url: str | None
    ) -> tuple[Original, bytes] | None:
        """The original and its raw payload for a revisit, or None if not found."""
        original = self._by_digest.get(digest) if digest else None
        key = digest
        if original is None:
            for candidate in (refers_to, url):
                if candidate and candidate in self._by_url:
                    original = self._by_url[candidate]
                    break
            if original is None:
                return None
            key = digest if digest in self._bodies else f"url:{original.url}"
        body = self._bodies.get(key) if key else None
        if body is not None:
            self._bodies.move_to_end(key)  # type: ignore[arg-type]
            return original, body
        reread = _reread(original)
        return None if reread is None else (original, reread)


def _reread(original: Original) -> bytes | None:
    """The payload of a record read again from its local file, or None if that cannot be done."""
    if original.offset is None or is_url(original.file):
        return None
    try:
        with open(original.file, "rb") as handle:
            handle.seek(original.offset)
            for record in ArchiveIterator(handle, parse_http=True):
                return record.reader.read()
    except OSError:
        return None
    return None
