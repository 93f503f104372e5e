"""Serve a built sample web over real sockets, one loopback address per site (or shared host).

The Host header picks the site, as on any virtual-hosting server. Pages answer with the status,
headers and body the build wrote; slow pages wait as long as the truth says (capped by
`max_delay`). Only loopback addresses (127.0.0.0/8) are ever bound.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import sqlite3
import threading
from collections import Counter
from pathlib import Path

from aiohttp import web

from linkscope.errors import SampleWebError
from linkscope.samples.build import read_manifest

log = logging.getLogger(__name__)


def read_hosts(path: Path) -> dict[str, str]:
    """An /etc/hosts-style file as {host: address}."""
    mapping: dict[str, str] = {}
    for line in Path(path).read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            for name in fields[1:]:
                mapping[name.lower()] = fields[0]
    return mapping


class SampleWebServer:
    """The sample web's HTTP server. Use `async with` or start()/stop() inside an event loop."""

    def __init__(self, directory: Path, *, port: int | None = None,
                 max_delay: float | None = None) -> None:
        self.directory = Path(directory)
        manifest = read_manifest(self.directory)
        self.port = port if port is not None else int(manifest["port"])
        self.max_delay = max_delay
        self.hosts = read_hosts(self.directory / "hosts")
        self.addresses = sorted(set(self.hosts.values()),
                                key=lambda a: tuple(int(x) for x in a.split(".")))
        for address in self.addresses:
            if not ipaddress.ip_address(address).is_loopback:
                raise SampleWebError(f"refusing to bind non-loopback address {address}",
                                     where=str(self.directory / "hosts"))
        self.requests: Counter[tuple[str, str]] = Counter()
        self._db: sqlite3.Connection | None = None
        self._runner: web.ServerRunner | None = None

    async def start(self) -> None:
        self._db = sqlite3.connect(self.directory / "web.sqlite", check_same_thread=False)
        server = web.Server(self._handle)
        runner = self._runner = web.ServerRunner(server, handle_signals=False)
        await runner.setup()
        try:
            for address in self.addresses:
                await web.TCPSite(runner, address, self.port, backlog=1024).start()
        except OSError as problem:
            await self.stop()
            raise SampleWebError(f"cannot listen on port {self.port}: {problem.strerror}",
                                 where=str(self.directory),
                                 hint="is another sample web server running? try --port") from None
        log.info("serving %d hosts on %d addresses, port %d", len(self.hosts),
                 len(self.addresses), self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._db is not None:
            self._db.close()
            self._db = None

    async def __aenter__(self) -> SampleWebServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        host = (request.host or "").rsplit(":", 1)[0].lower()
        path = request.rel_url.path
        self.requests[(host, path)] += 1
        assert self._db is not None
        row = self._db.execute("SELECT status, headers, body, delay FROM responses "
                               "WHERE host = ? AND path = ?", (host, path)).fetchone()
        if row is None:
            text = "no such site" if host not in self.hosts else "not found"
            return web.Response(status=404, text=text)
        status, headers, body, delay = row
        if delay:
            await asyncio.sleep(delay if self.max_delay is None else min(delay, self.max_delay))
        return web.Response(status=status, body=body, headers=dict(json.loads(headers)))


class BackgroundServer:
    """Runs a SampleWebServer on its own thread and event loop (for tests, demos, benchmarks)."""

    def __init__(self, directory: Path, **options: object) -> None:
        self.server = SampleWebServer(directory, **options)  # type: ignore[arg-type]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="sample-web")

    def start(self) -> BackgroundServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(timeout=60)
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=60)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
