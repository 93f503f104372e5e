"""An http(s) archive read as a forward byte stream that survives a dropped connection.

`RemoteStream` opens its URL lazily, at the position it was seeked to before the first read,
with a `Range` request (`bytes=START-` or `bytes=START-END` when an end is known). When the
connection drops or times out mid-body, it asks again from the byte it reached
(`Range: bytes=POSITION-...`), up to `retries` times in a row with a growing pause, so a
download of a large Common Crawl file that breaks near its end resumes there instead of
starting again. A 5xx answer is retried the same way, a refused connection twice; a 4xx
answer is not (the file is missing).

Servers that ignore `Range` answer 200 with the whole file; Common Crawl's data server does so
for a request of several ranges, and so may a proxy. The stream then reads and drops the bytes
before its position (counted in `skipped_bytes`), so the caller still gets the bytes it asked
for.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from linkscope.errors import FetchError

log = logging.getLogger(__name__)

USER_AGENT = "linkscope-warc/0.1"
RETRIES = 5  # attempts in a row after a failure, before the source is given up
REFUSED_RETRIES = 2  # fewer for a refused connection: nothing listens there
_PAUSE = 0.2  # seconds before the first retry; doubled each time, at most _MAX_PAUSE
_MAX_PAUSE = 5.0
_DROPPED = (http.client.IncompleteRead, http.client.HTTPException, ConnectionError,
            TimeoutError, OSError)


class RemoteStream:
    """A readable, forward-only view of the bytes [start, end) of an http(s) URL.

    `seek` is allowed before the first read only (ReplayReader seeks to a range's start);
    `end` None reads to the end of the file.
    """

    def __init__(self, url: str, *, end: int | None = None, timeout: float = 60.0,
                 retries: int = RETRIES, pause: float = _PAUSE) -> None:
        self.url = url
        self.end = end
        self.timeout = timeout
        self.retries = retries
        self.pause = pause
        self.position = 0
        self.requests = 0  # HTTP requests made (a resumed download makes more than one)
        self.resumed = 0  # requests that resumed after a dropped connection
        self.skipped_bytes = 0  # bytes read and dropped when a server ignored Range
        self._response: Any = None
        self._body_end: int | None = None  # where the current answer's body ends, if said
        self._started = False

    # --- the file-like interface ReplayReader uses
    def seek(self, offset: int, whence: int = 0) -> int:
        if self._started or whence != 0:
            raise OSError(f"{self.url}: a remote stream seeks only before it is read")
        self.position = offset
        return offset

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        if self.end is not None:
            if self.position >= self.end:
                return b""
            size = self.end - self.position if size < 0 else min(size, self.end - self.position)
        failures = 0
        while True:
            try:
                if self._response is None and not self.open():
                    return b""
                data: bytes = self._response.read(size) if size >= 0 else self._response.read()
            except _DROPPED as problem:
                failures += 1
                self._drop()
                if failures > self.retries:
                    raise FetchError(f"connection lost at byte {self.position:,} and not "
                                     f"regained after {self.retries} retries: {problem}",
                                     where=self.url) from None
                log.info("%s: connection lost at byte %d (%s); resuming", self.url,
                         self.position, problem)
                self.resumed += 1
                time.sleep(min(self.pause * 2 ** (failures - 1), _MAX_PAUSE))
                continue
            expected = self.end if self.end is not None else self._body_end
            if not data and expected is not None and self.position < expected:
                # the connection closed before the body's Content-Length without an error
                # (http.client then reads b""): resume as for a drop
                failures += 1
                self._drop()
                if failures > self.retries:
                    raise FetchError(f"body ended at byte {self.position:,}, before byte "
                                     f"{expected:,}", where=self.url)
                self.resumed += 1
                continue
            self.position += len(data)
            return data

    def close(self) -> None:
        self._drop()

    # --- requests
    def open(self) -> bool:
        """Ask for the bytes from `position` on; False when there are none (416)."""
        self._started = True
        headers = {"User-Agent": USER_AGENT}
        ranged = self.position > 0 or self.end is not None
        if ranged:
            last = "" if self.end is None else str(self.end - 1)
            headers["Range"] = f"bytes={self.position}-{last}"
        request = urllib.request.Request(self.url, headers=headers)
        failures = 0
        while True:
            self.requests += 1
            try:
                response = urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
                break
            except urllib.error.HTTPError as exc:
                if exc.code == 416:
                    return False
                if exc.code < 500 or failures >= self.retries:
                    raise FetchError(f"HTTP {exc.code} {exc.reason}", where=self.url) from None
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if failures >= (REFUSED_RETRIES if isinstance(reason, ConnectionRefusedError)
                                else self.retries):
                    raise FetchError(f"cannot fetch: {reason}", where=self.url) from None
            failures += 1
            time.sleep(min(self.pause * 2 ** (failures - 1), _MAX_PAUSE))
        length = response.headers.get("Content-Length", "")
        body_start = self.position if response.status == 206 else 0
        self._body_end = body_start + int(length) if length.isdigit() else None
        if ranged and response.status == 200:
            self._skip_to(response, self.position)
        self._response = response
        return True

    def _skip_to(self, response: Any, position: int) -> None:
        """A server that ignored Range sent the whole file: drop the bytes before `position`."""
        left = position
        while left > 0:
            data = response.read(min(left, 1 << 20))
            if not data:
                raise FetchError(f"file ends before byte {position:,}", where=self.url)
            left -= len(data)
            self.skipped_bytes += len(data)

    def _drop(self) -> None:
        if self._response is not None:
            with contextlib.suppress(OSError):
                self._response.close()
            self._response = None
