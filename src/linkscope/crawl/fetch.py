"""One HTTP fetch with aiohttp: never follows redirects, never raises, always says what happened.

The client keeps connections alive (one pool for the crawl), bounds each request by a timeout,
reads at most `max_body` bytes, and keeps the body as it came on the wire (content-encoded), as
a WARC response record wants it. `max_body` counts bytes on the wire, and a few kilobytes of
gzip or brotli inflate to gigabytes: whoever reads the page decodes it with
`FetchResult.decoded`, which stops at its own limit. A fetch that gets no usable answer comes
back with `error` set to a short token: `dns`, `refused`, `connect`, `timeout`, `tls`,
`disconnected`, `too-large`, `bad-url`, or `blocked` (the address guard of safety.py refused
the host).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aiohttp
from yarl import URL

from linkscope.crawl.config import CrawlConfig
from linkscope.crawl.safety import AddressBlocked, GuardedResolver, check_literal
from linkscope.warc.decode import decode_payload

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_ERRORS = frozenset({"timeout", "disconnected", "connect"})


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class FetchResult:
    """What one fetch got: a response (status set) or a failure (error set)."""

    url: str
    time: str
    status: int | None = None
    status_line: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""  # as received: transfer coding removed, content coding kept
    request: bytes = b""  # the request as sent (request line and headers)
    ip: str | None = None
    error: str | None = None
    message: str | None = None

    @property
    def retryable(self) -> bool:
        return self.error in RETRY_ERRORS or self.status in RETRY_STATUSES

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def decoded(self, limit: int, stats: Counter[str] | None = None) -> bytes:
        """The body with its content codings removed, decoded in a stream that stops at
        `limit` bytes (counted as `crawl/truncated/body` in `stats`)."""
        return decode_payload(self.body, tuple(self.headers), stats, limit=limit,
                              prefix="crawl")


class Fetcher:
    """An aiohttp session shaped for crawling. Use `async with Fetcher(config, resolver)`."""

    def __init__(self, config: CrawlConfig, resolver: GuardedResolver) -> None:
        self.config = config
        self.resolver = resolver
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(limit=self.config.concurrency, limit_per_host=0,
                                         resolver=self.resolver, ttl_dns_cache=300)
        timeout = aiohttp.ClientTimeout(total=self.config.timeout,
                                        sock_connect=self.config.connect_timeout)
        self.session = aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={"User-Agent": self.config.user_agent,
                     "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def fetch(self, url: str) -> FetchResult:
        result = FetchResult(url=url, time=now_iso())
        assert self.session is not None
        target = URL(url, encoded=True)
        try:
            check_literal(target.host or "", self.config.allow_private)
            async with self.session.get(target, allow_redirects=False) as response:
                result.ip = _peer(response) or self.resolver.seen.get((target.host or "").lower())
                result.status = response.status
                version = response.version or aiohttp.HttpVersion11
                result.status_line = (f"HTTP/{version.major}.{version.minor} "
                                      f"{response.status} {response.reason or ''}").rstrip()
                result.headers = [(k.decode("latin-1"), v.decode("latin-1"))
                                  for k, v in response.raw_headers
                                  if k.lower() != b"transfer-encoding"]
                result.request = _request_bytes(response)
                result.body = await _read_body(response, self.config.max_body)
        except BodyTooLarge as too_large:
            result.error, result.message = "too-large", str(too_large)
        except Exception as problem:  # noqa: BLE001 (every failure is recorded, none raised)
            result.error, result.message = classify(problem)
            if result.ip is None:
                result.ip = self.resolver.seen.get((target.host or "").lower())
        if result.error is not None:
            result.body = b""
        return result


class BodyTooLarge(Exception):
    pass


async def _read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    declared = response.content_length
    if declared is not None and declared > limit:
        raise BodyTooLarge(f"Content-Length {declared} is over the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _peer(response: aiohttp.ClientResponse) -> str | None:
    connection = response.connection
    if connection is None or connection.transport is None:
        return None
    peer = connection.transport.get_extra_info("peername")
    return str(peer[0]) if peer else None


def _request_bytes(response: aiohttp.ClientResponse) -> bytes:
    info = response.request_info
    target = info.url.raw_path_qs or "/"
    lines = [f"{info.method} {target} HTTP/1.1"]
    headers = info.headers
    if "Host" not in headers:
        lines.append(f"Host: {info.url.raw_authority}")
    lines.extend(f"{k}: {v}" for k, v in headers.items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def classify(problem: BaseException) -> tuple[str, str]:
    """A short error token and a message for an exception raised by a fetch."""
    message = str(problem) or type(problem).__name__
    if isinstance(problem, AddressBlocked):
        return "blocked", message
    if isinstance(problem, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout", message
    if isinstance(problem, aiohttp.ClientConnectorDNSError):
        if isinstance(problem.os_error, AddressBlocked):
            return "blocked", str(problem.os_error)
        return "dns", str(problem.os_error)
    if isinstance(problem, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError
                  | ssl.SSLError):
        return "tls", message
    if isinstance(problem, aiohttp.ClientConnectorError):
        if isinstance(problem.os_error, ConnectionRefusedError):
            return "refused", str(problem.os_error)
        return "connect", str(problem.os_error)
    if isinstance(problem, aiohttp.InvalidURL | ValueError):
        return "bad-url", message
    if isinstance(problem, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError
                  | aiohttp.ClientOSError | ConnectionError):
        return "disconnected", message
    if isinstance(problem, aiohttp.ClientError):
        return "http", message
    raise problem  # not a fetch failure: a bug
