"""`linkscope samples serve DIR --common-crawl`: the look-alike of a Common Crawl crawl
(commoncrawl.py) served as index.commoncrawl.org and data.commoncrawl.org answer, on one
loopback address.

    GET /CC-MAIN-SAMPLE-index?url=example.com/*&output=json[&matchType=..][&page=N]
        [&pageSize=B][&showNumPages=true]      the index server (pywb's CDX server API)
    GET /collinfo.json                         the crawls it serves
    GET /crawl-data/..., /cc-index/..., /projects/...   the files, with Range requests

Behaviours copied from the real servers: JSON values are strings; `url` matches by SURT key, so
`www.` does not matter; `host/*` or matchType=prefix is a key prefix, `*.domain` or
matchType=domain takes the hosts under a domain, matchType=host one host; the index is read in
blocks of `BLOCK_LINES` lines and a page is `pageSize` blocks (5 unless asked), so
`showNumPages` counts the blocks a query touches and says at least one page; a query (or page)
with no captures answers 404 `{"message": "No Captures found for: ..."}`; a page past the last
answers 400. A data request for one byte range gets 206; for several ranges the whole file
with 200, as Common Crawl's data server does; without Range, 200.

For tests of what breaks: `drop_after` maps a file path to a byte count: the first request of
that file is cut off after that many bytes of its body (the connection is closed);
`ignore_ranges` answers every data request with the whole file, as a server or proxy that
ignores Range does; `busy` answers that many index requests 503, as the real index server does
when asked too fast; `requests` lists every request as (path, Range header or "").
"""

from __future__ import annotations

import asyncio
import bisect
import gzip
import json
import threading
from pathlib import Path
from typing import Any

from aiohttp import web

from linkscope.commoncrawl.keys import host_part, surt_key
from linkscope.errors import SampleWebError
from linkscope.samples.commoncrawl import CRAWL, cc_dir, index_dir

BLOCK_LINES = 5  # index lines a block (Common Crawl: 3,000)
PAGE_BLOCKS = 5  # blocks a page, unless the query says pageSize


def load_index(root: Path) -> tuple[list[str], list[str]]:
    """(sorted keys, their lines) of the look-alike's CDXJ files."""
    lines: list[str] = []
    for path in sorted(index_dir(root).glob("cdx-*.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines.extend(line.rstrip("\n") for line in handle if line.strip())
    lines.sort()
    return [line.split(" ", 1)[0] for line in lines], lines


def key_range(query: str, match_type: str | None) -> tuple[str, str | None, bool]:
    """(first key, key that ends the range or None for an exact match, inclusive prefix?)."""
    text = query.strip()
    for scheme in ("http://", "https://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme):]
    if text.startswith("*."):
        text, match_type = text[2:], match_type or "domain"
    if text.endswith("*"):
        text, match_type = text[:-1], match_type or "prefix"
    match_type = match_type or "exact"
    host = text.split("/", 1)[0]
    name, _, port = host.partition(":")
    if match_type == "domain":
        return host_part(name) + ")", None, True
    if match_type == "host":
        return host_part(name, int(port) if port.isdigit() else None) + ")", None, True
    key = surt_key(text)
    if match_type == "prefix":
        return key, None, True
    return key, key, False


class CommonCrawlServer:
    """The look-alike's index and data server (see the module doc)."""

    def __init__(self, web_dir: Path, *, address: str = "127.0.0.1", port: int = 0) -> None:
        self.root = cc_dir(Path(web_dir))
        if not (self.root / "manifest.json").is_file():
            raise SampleWebError("no Common Crawl look-alike here", where=str(self.root),
                                 hint="build it with `linkscope samples build DIR "
                                      "--as-common-crawl`")
        if not address.startswith("127."):
            raise SampleWebError(f"refusing to bind non-loopback address {address}",
                                 where="--common-crawl")
        self.address = address
        self.port = port
        self.keys, self.lines = load_index(self.root)
        self.drop_after: dict[str, int] = {}
        self.ignore_ranges = False  # answer every data request with the whole file (200)
        self.busy = 0  # answer this many index requests 503 Slow Down, as the real one does
        self.requests: list[tuple[str, str]] = []
        self._runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.base}/{CRAWL}-index"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get(f"/{CRAWL}-index", self._index)
        app.router.add_get("/collinfo.json", self._collinfo)
        app.router.add_get("/{path:.+}", self._file)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.address, self.port)
        try:
            await site.start()
        except OSError as problem:
            await self.stop()
            raise SampleWebError(f"cannot listen on {self.address}:{self.port}: "
                                 f"{problem.strerror}", where="--common-crawl") from None
        if self.port == 0:
            sockets: list[Any] = list(getattr(site._server, "sockets", None) or [])
            self.port = int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> CommonCrawlServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- the index server
    async def _collinfo(self, request: web.Request) -> web.Response:
        return web.json_response([{"id": CRAWL, "name": "linkscope sample web",
                                   "cdx-api": self.api}])

    async def _index(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        self.requests.append((request.path_qs, ""))
        if self.busy > 0:
            self.busy -= 1
            return _message(503, "Slow Down")
        url = query.get("url", "")
        if not url:
            return _message(400, "The \"url\" param is required")
        match_type = query.get("matchType")
        if match_type not in (None, "exact", "prefix", "host", "domain"):
            return _message(400, f"Invalid matchType: {match_type}")
        try:
            page_size = int(query.get("pageSize", PAGE_BLOCKS))
            page = int(query.get("page", "0"))
        except ValueError:
            return _message(400, "page and pageSize must be numbers")
        low, high = self._matches(url, match_type)
        blocks = ({i // BLOCK_LINES for i in range(low, high)} if high > low
                  else {low // BLOCK_LINES})
        first_block = min(blocks)
        pages = max(1, -(-len(blocks) // max(1, page_size)))
        if query.get("showNumPages") == "true":
            return web.json_response({"pages": pages, "pageSize": page_size,
                                      "blocks": len(blocks)})
        if page >= pages or page < 0:
            return _message(400, f"Page {page} invalid: First Page is 0, Last Page is "
                                 f"{pages - 1}")
        lo_block = first_block + page * page_size
        lo = max(low, lo_block * BLOCK_LINES)
        hi = min(high, (lo_block + page_size) * BLOCK_LINES)
        if hi <= lo:
            return _message(404, f"No Captures found for: {url}")
        if query.get("output") == "json":
            body = "".join(_json_line(line) + "\n" for line in self.lines[lo:hi])
            return web.Response(text=body, content_type="text/x-ndjson")
        return web.Response(text="".join(line + "\n" for line in self.lines[lo:hi]),
                            content_type="text/x-cdxj")

    def _matches(self, url: str, match_type: str | None) -> tuple[int, int]:
        first, last, prefix = key_range(url, match_type)
        low = bisect.bisect_left(self.keys, first)
        if not prefix:
            return low, bisect.bisect_right(self.keys, last or first)
        high = low
        while high < len(self.keys) and _under(self.keys[high], first, match_type, url):
            high += 1
        return low, high

    # --- the data server
    async def _file(self, request: web.Request) -> web.StreamResponse:
        relative = request.match_info["path"]
        wanted = request.headers.get("Range", "")
        self.requests.append((request.path, wanted))
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            return web.Response(status=404, text="Not Found")
        data = path.read_bytes()
        status, body, headers = 200, data, {"Accept-Ranges": "bytes"}
        if wanted.startswith("bytes=") and "," not in wanted and not self.ignore_ranges:
            first_text, _, last_text = wanted[6:].partition("-")
            try:
                first = int(first_text)
                last = int(last_text) if last_text else len(data) - 1
            except ValueError:
                return web.Response(status=416)
            if first >= len(data) or last < first:
                return web.Response(status=416, headers={"Content-Range": f"bytes */{len(data)}"})
            last = min(last, len(data) - 1)
            status, body = 206, data[first:last + 1]
            headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
        cut = self.drop_after.pop(request.path, None)
        if cut is None:
            return web.Response(status=status, body=body, headers=headers)
        response = web.StreamResponse(status=status, headers=headers)
        response.content_length = len(body)
        await response.prepare(request)
        await response.write(body[:cut])
        assert request.transport is not None
        request.transport.close()  # the connection drops mid-body
        return response


def _under(key: str, first: str, match_type: str | None, url: str) -> bool:
    if match_type == "domain" or url.startswith("*."):
        host = first[:-1]  # without ")"
        return key.startswith(first) or key.startswith(host + ",")
    return key.startswith(first)


def _json_line(line: str) -> str:
    key, stamp, fields = line.split(" ", 2)
    return json.dumps({"urlkey": key, "timestamp": stamp, **json.loads(fields)})


def _message(status: int, text: str) -> web.Response:
    return web.json_response({"message": text}, status=status)


class BackgroundCommonCrawlServer:
    """A CommonCrawlServer on its own thread and event loop (tests, benchmarks)."""

    def __init__(self, web_dir: Path, **options: Any) -> None:
        self.server = CommonCrawlServer(web_dir, **options)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="common-crawl")

    def __enter__(self) -> CommonCrawlServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(timeout=60)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
