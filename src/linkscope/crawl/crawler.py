"""The crawl loop: workers take URLs host by host, fetch, record, discover, queue.

For each URL a worker: asks robots.txt first (once per origin, itself a recorded fetch),
skips what robots.txt disallows, fetches, retries a timeout, a dropped connection, 429 or 5xx
after a backoff (the host waits, the worker moves on), then writes the final outcome as WARC
records, finds the links of an HTML page (or the Location of a redirect) with
`linkscope.extract.extract_page`, and commits the outcome and the new in-scope URLs to the
frontier in one transaction.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from linkscope.crawl.config import CrawlConfig, Scope
from linkscope.crawl.fetch import Fetcher, FetchResult
from linkscope.crawl.frontier import BLOCKED, DISALLOWED, DONE, Entry, Frontier
from linkscope.crawl.politeness import Politeness
from linkscope.crawl.robots import (
    MAX_REDIRECTS,
    HostRules,
    origin_of,
    parse_rules,
    robots_text,
    robots_url,
    rules_from,
)
from linkscope.crawl.safety import make_resolver
from linkscope.extract import DEFAULT_LIMITS, ExtractLimits, extract_page
from linkscope.records import FetchedPage, LinkKind
from linkscope.urls import resolve_web
from linkscope.warc.write import WarcWriter

log = logging.getLogger(__name__)

_HTML = ("text/html", "application/xhtml+xml")
PROGRESS_EVERY = 0.1  # seconds between two progress reports
Progress = Callable[[dict[str, int]], None]


def host_of(url: str) -> str:
    """The host (no port, no brackets kept) of a normalized http(s) URL."""
    authority = url.split("://", 1)[1].split("/", 1)[0]
    if authority.startswith("["):
        return authority[: authority.index("]") + 1]
    return authority.rsplit(":", 1)[0] if ":" in authority else authority


class Crawler:
    """One session of a crawl over its frontier; `await run()` until nothing is left."""

    def __init__(self, config: CrawlConfig, frontier: Frontier, writer: WarcWriter,
                 log_file: TextIO, progress: Progress | None = None,
                 limits: ExtractLimits = DEFAULT_LIMITS) -> None:
        self.config = config
        self.progress = progress
        self._next_report = 0.0
        self.limits = limits
        self.frontier = frontier
        self.writer = writer
        self.log_file = log_file
        self.scope = Scope(config.scope, config.seeds)
        self.polite = Politeness(config.per_host_concurrency)
        self.counters: Counter[str] = Counter()
        self.rules: dict[str, HostRules] = {}
        self._robots_pending: dict[str, asyncio.Future[None]] = {}
        self.pages = frontier.count(DONE) + frontier.count(BLOCKED)  # page fetches so far
        self.fetcher: Fetcher | None = None

    def _load_robots(self) -> None:
        for origin, status, error, body, closed_until in self.frontier.robots():
            parser = parse_rules(body) if body is not None else None
            self.rules[origin] = HostRules(parser, closed_until, status, error)

    async def run(self) -> Counter[str]:
        self._load_robots()
        for entry in self.frontier.queued():
            self.polite.push(entry)
        resolver = make_resolver(self.config.hosts_file, self.config.allow_private)
        async with Fetcher(self.config, resolver) as fetcher:
            self.fetcher = fetcher
            workers = [asyncio.create_task(self._work()) for _ in range(self.config.concurrency)]
            await asyncio.gather(*workers)
        self.counters["crawl/left_queued"] = self.polite.pending()
        if self.progress is not None:
            self.progress(self.snapshot())
        return self.counters

    def snapshot(self) -> dict[str, int]:
        """Where the crawl stands, for a progress report: page fetches so far (earlier
        sessions included) and how many are planned when that is known (--max-pages, or the
        pages a recrawl revisits; else 0), fetches this session, URLs queued, fetches that got
        no answer (timeouts, refused connections, blocked addresses), retries."""
        config = self.config
        planned = config.max_pages or (len(config.seeds) if config.kind == "recrawl" else 0)
        errors = sum(count for key, count in self.counters.items()
                     if key.startswith("crawl/status/") and not key[13:].isdigit())
        return {"pages": self.pages, "planned": planned,
                "fetches": self.counters["crawl/fetches"], "queued": self.polite.pending(),
                "errors": errors, "retries": self.counters["crawl/retries"]}

    async def _work(self) -> None:
        while (entry := await self.polite.get()) is not None:
            delay = 0.0
            try:
                delay = await self._visit(entry)
            finally:
                self.polite.release(entry.host, delay)
            if self.polite.closed:
                self.polite.reopen_due()

    def _host_delay(self, origin: str) -> float:
        rules = self.rules.get(origin)
        robots_delay = rules.crawl_delay(self.config.user_agent,
                                         self.config.max_crawl_delay) if rules else 0.0
        return max(self.config.per_host_delay, robots_delay)

    async def _visit(self, entry: Entry) -> float:
        """Handle one entry; return the delay its host must keep before the next request."""
        config = self.config
        if entry.url in self.frontier.finished:
            return 0.0  # fetched already, as a robots.txt
        origin = origin_of(entry.url)
        rules = self.rules.get(origin)
        if rules is None:
            pending = self._robots_pending.get(origin)
            if pending is not None:
                await pending
            else:
                await self._fetch_robots(origin)
            self.polite.push(entry, front=True)
            return self._host_delay(origin) if pending is None else 0.0
        if rules.closed():
            self.polite.close_host(entry.host, rules.closed_until - time.time())
            self.polite.push(entry, front=True)
            self.counters["crawl/robots/host_closed_waits"] += 1
            return 0.0
        if not rules.allows(entry.url, config.user_agent):
            self.frontier.finish(entry, DISALLOWED)
            self.counters["crawl/robots/disallowed"] += 1
            self._log(entry, "disallowed")
            return 0.0
        if config.max_pages is not None and self.pages >= config.max_pages:
            self.polite.stop()
            return 0.0
        self.pages += 1
        assert self.fetcher is not None
        result = await self.fetcher.fetch(entry.url)
        if result.retryable and entry.attempts < config.retries:
            entry.attempts += 1
            self.pages -= 1
            self.counters["crawl/retries"] += 1
            self._log(entry, "retry", result)
            self.polite.push(entry, front=True)
            backoff = float(config.backoff * 2 ** (entry.attempts - 1))
            return max(self._host_delay(origin), backoff)
        self._record(entry, result)
        return self._host_delay(origin)

    async def _fetch_robots(self, origin: str) -> None:
        """Fetch and record robots.txt of `origin` (following up to 5 redirects); set its rules."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._robots_pending[origin] = done
        try:
            await self._robots_chain(origin)
        finally:
            del self._robots_pending[origin]
            done.set_result(None)

    async def _robots_chain(self, origin: str) -> None:
        url = robots_url(origin + "/")
        rules = HostRules()  # past the redirect limit, or a redirect to nowhere: allow all
        for _ in range(MAX_REDIRECTS + 1):
            if url in self.frontier.finished:
                break  # fetched already (a page, or another origin's robots.txt)
            assert self.fetcher is not None
            result = await self.fetcher.fetch(url)
            entry = Entry(url, host_of(url), robots=True)
            found = rules_from(result, self.config.robots_error_wait)
            if found is not None:
                body = None
                if found.parser is not None:
                    body = robots_text(result)
                self.rules[origin] = found
                if found.closed_until:
                    self.counters["crawl/robots/closed"] += 1
                self._record(entry, result, robots=(origin, found.status, found.error, body,
                                                    found.closed_until))
                return
            self._record(entry, result)
            target = resolve_web(result.header("location") or "", url)
            if target is None:
                break
            url = target
        self.rules[origin] = rules
        self.frontier.con.execute("INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?, ?)",
                                  (origin, rules.status, rules.error, None, 0.0))

    def _record(self, entry: Entry, result: FetchResult,
                robots: tuple[str, int | None, str | None, str | None, float] | None = None
                ) -> None:
        """Write the outcome to WARC, find the links, commit both to the frontier."""
        state = DONE
        if result.error == "blocked":
            state = BLOCKED
        elif result.error is not None:
            self.writer.write_failure(entry.url, result.time, result.error,
                                      message=result.message, ip=result.ip,
                                      status=result.status)
        else:
            request_id = self.writer.write_request(entry.url, result.request, time=result.time,
                                                   ip=result.ip)
            self.writer.write_response(entry.url, result.status_line, result.headers,
                                       result.body, time=result.time, ip=result.ip,
                                       concurrent_to=request_id)
        self.writer.flush()
        found = [] if entry.robots or result.error else self._discover(entry, result)
        fresh = self.frontier.finish(entry, state, result.status, result.error, found, robots)
        for new in fresh:
            self.polite.push(new)
        self.counters["crawl/fetches"] += 1
        self.counters[f"crawl/status/{result.status or result.error}"] += 1
        self.counters["crawl/discovered"] += len(fresh)
        self._log(entry, "blocked" if state == BLOCKED else "fetched", result)
        if self.progress is not None and time.monotonic() >= self._next_report:
            self._next_report = time.monotonic() + PROGRESS_EVERY
            self.progress(self.snapshot())

    def _discover(self, entry: Entry, result: FetchResult) -> list[Entry]:
        status = result.status or 0
        content_type = (result.header("content-type") or "").split(";", 1)[0].strip().lower()
        is_html = not content_type or content_type in _HTML
        if status >= 400 or not (is_html or 300 <= status < 400):
            return []
        body = (result.decoded(self.config.max_decoded_body, self.counters) if is_html
                else b"")
        page = FetchedPage(entry.url, status, tuple(result.headers), body, result.ip,
                           result.time)
        found: list[Entry] = []
        max_depth = self.config.max_depth
        for link in extract_page(page, limits=self.limits).links:
            if link.kind not in self.config.follow:
                continue
            depth = entry.depth + (0 if link.kind == LinkKind.REDIRECT else 1)
            if max_depth is not None and depth > max_depth:
                continue
            host = host_of(link.target)
            outside = self.scope.outside(host, entry.outside)
            if outside is not None:
                found.append(Entry(link.target, host, depth, outside))
        return found

    def _log(self, entry: Entry, outcome: str, result: FetchResult | None = None) -> None:
        line: dict[str, object] = {"url": entry.url, "outcome": outcome, "depth": entry.depth}
        if result is not None:
            line.update(time=result.time, status=result.status, error=result.error,
                        ip=result.ip, size=len(result.body), attempts=entry.attempts + 1)
            if result.message:
                line["message"] = result.message
        if entry.robots:
            line["robots"] = True
        self.log_file.write(json.dumps(line) + "\n")


def open_log(directory: Path) -> TextIO:
    return (directory / "crawl.log").open("a", encoding="utf-8", buffering=1 << 16)
