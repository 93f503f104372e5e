"""A crawl as a job on an index: its directory, its phases, resume, and the ingest at the end.

    INDEX/crawls/<crawl id>/
        state.sqlite      frontier, fetched set, robots rules, config (frontier.py)
        warc/             <crawl id>-s<session>-<time>-<serial>.warc.gz, rotated by size
        crawl.log         JSON Lines: one line per outcome (fetched, retry, disallowed, blocked)
        report.json       counters of the last session, and the ingest's counts

Phases (meta key `phase`): `crawling` -> `ingesting` -> `done`. `--resume` picks the newest
crawl not done and goes on from its phase; a crawl is ingested once, as one dated snapshot.
The caller's `CrawlHooks` see the work go on and get the new generation before it is served.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from linkscope.crawl.config import CrawlConfig
from linkscope.crawl.crawler import Crawler, host_of, open_log
from linkscope.crawl.frontier import DONE, QUEUED, Entry, Frontier
from linkscope.crawl.recovery import recover_directory
from linkscope.crawl.safety import AddressBlocked, check_literal, make_resolver
from linkscope.errors import FetchError, UsageError
from linkscope.extract import DEFAULT_LIMITS, ExtractLimits
from linkscope.store import IngestReport, ingest
from linkscope.store.durable import write_json
from linkscope.warc.write import WarcWriter

log = logging.getLogger(__name__)


@dataclass
class CrawlReport:
    crawl_id: str
    directory: Path
    counters: Counter[str] = field(default_factory=Counter)
    ingest: IngestReport | None = None
    resumed: bool = False


@dataclass
class CrawlHooks:
    """What the caller wants done along the way; each is optional.

    `progress` gets the crawl's `Crawler.snapshot()` a few times a second, `ingest_progress`
    the ingest's totals (`store.ingest`), and `before_publish` runs on the new generation,
    complete, before the index switches to it (the CLI ranks it there, so that the index never
    serves it unranked).
    """

    progress: Callable[[dict[str, int]], None] | None = None
    ingest_progress: Callable[[dict[str, int]], None] | None = None
    before_publish: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class CrawlState:
    """Where an unfinished crawl stands on disk: what an interruption kept."""

    crawl_id: str
    directory: Path
    phase: str  # crawling | ingesting
    fetched: int  # URLs fetched, with an answer or without (pages and robots.txt files)
    queued: int


def crawls_dir(index: Path) -> Path:
    return Path(index) / "crawls"


def new_crawl_id(index: Path, kind: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    crawl_id = f"{kind}-{stamp}"
    n = 1
    while (crawls_dir(index) / crawl_id).exists():
        n += 1
        crawl_id = f"{kind}-{stamp}-{n}"
    return crawl_id


def find_unfinished(index: Path) -> Path | None:
    """The newest crawl directory of the index whose phase is not `done`."""
    root = crawls_dir(index)
    if not root.is_dir():
        return None
    candidates = []
    for state in root.glob("*/state.sqlite"):
        frontier = Frontier(state)
        try:
            if frontier.get("phase") != "done":
                candidates.append((frontier.get("started") or "", state.parent))
        finally:
            frontier.close()
    return max(candidates)[1] if candidates else None


def unfinished_state(index: Path) -> CrawlState | None:
    """The state of the index's unfinished crawl (the one `--resume` goes on with), if any."""
    directory = find_unfinished(index)
    if directory is None:
        return None
    frontier = Frontier(directory / "state.sqlite")
    try:
        counts = frontier.counts()
        return CrawlState(frontier.get("crawl_id") or directory.name, directory,
                          frontier.get("phase") or "crawling", counts.get(DONE, 0),
                          counts.get(QUEUED, 0))
    finally:
        frontier.close()


def check_seed_addresses(config: CrawlConfig) -> None:
    """Refuse, before anything starts, a seed whose host the address guard would block."""
    if config.allow_private:
        return

    async def probe() -> None:
        resolver = make_resolver(config.hosts_file, allow_private=False)
        try:
            for seed in config.seeds:
                host = host_of(seed)
                try:
                    check_literal(host, False)
                    await resolver.resolve(host.strip("[]"), 80)
                except AddressBlocked as blocked:
                    raise FetchError(f"refused: {blocked}", where=seed,
                                     hint="pass --allow-private to crawl private addresses"
                                     ) from None
                except OSError:
                    continue  # DNS failure: recorded as a failed fetch when crawled
        finally:
            await resolver.close()

    asyncio.run(probe())


def start(index: Path, config: CrawlConfig) -> Path:
    """Create a crawl directory for `config` with its seeds queued; return the directory."""
    check_seed_addresses(config)
    crawl_id = new_crawl_id(index, config.kind)
    directory = crawls_dir(index) / crawl_id
    (directory / "warc").mkdir(parents=True)
    frontier = Frontier(directory / "state.sqlite")
    try:
        frontier.set("crawl_id", crawl_id)
        frontier.set("config", config.to_json())
        frontier.set("started", datetime.now(UTC).isoformat(timespec="seconds"))
        frontier.add(Entry(seed, host_of(seed)) for seed in config.seeds)
        frontier.set("phase", "crawling")
    finally:
        frontier.close()
    return directory


def resume_directory(index: Path, seeds: tuple[str, ...]) -> Path:
    directory = find_unfinished(index)
    if directory is None:
        raise UsageError(f"no unfinished crawl in {crawls_dir(index)}", where="--resume")
    if seeds:
        frontier = Frontier(directory / "state.sqlite")
        stored = CrawlConfig.from_json(frontier.get("config") or "{}").seeds
        frontier.close()
        if set(seeds) != set(stored):
            raise UsageError(f"the unfinished crawl {directory.name} has other seeds",
                             where="--resume", hint="give the same seeds, or none")
    return directory


def run(directory: Path, index: Path, workers: int = 0,
        hooks: CrawlHooks | None = None, limits: ExtractLimits = DEFAULT_LIMITS
        ) -> CrawlReport:
    """Run (or go on with) the crawl in `directory`, then ingest it into `index`; `hooks`
    report progress and rank before publishing, `limits` bound the extraction of each page,
    in the crawl and in the ingest."""
    hooks = hooks or CrawlHooks()
    frontier = Frontier(directory / "state.sqlite")
    try:
        crawl_id = frontier.get("crawl_id") or directory.name
        config = CrawlConfig.from_json(frontier.get("config") or "{}")
        session = int(frontier.get("sessions") or 0) + 1
        frontier.set("sessions", str(session))
        report = CrawlReport(crawl_id, directory, resumed=session > 1)
        warc_dir = directory / "warc"
        recovered = recover_directory(warc_dir, frontier.finished.__contains__)
        report.counters["crawl/recovered_files"] = len(recovered)
        if frontier.get("phase") == "crawling":
            writer = WarcWriter(warc_dir, prefix=f"{crawl_id}-s{session:02d}",
                                max_bytes=config.warc_max_bytes, operator=config.user_agent)
            with writer, open_log(directory) as log_file:
                crawler = Crawler(config, frontier, writer, log_file, hooks.progress,
                                  limits=limits)
                report.counters.update(asyncio.run(crawler.run()))
            frontier.set("phase", "ingesting")
        if frontier.get("phase") == "ingesting":
            sources = sorted(str(p) for p in warc_dir.glob("*.warc.gz"))
            if sources:
                report.ingest = ingest(index, sources, crawl_id=crawl_id, workers=workers,
                                       max_decoded_body=config.max_decoded_body,
                                       limits=limits, progress=hooks.ingest_progress,
                                       before_publish=hooks.before_publish)
            frontier.set("phase", "done")
        _write_report(directory, report)
    finally:
        frontier.close()
    return report


def _write_report(directory: Path, report: CrawlReport) -> None:
    data: dict[str, Any] = {"crawl_id": report.crawl_id, "counters": dict(report.counters)}
    if report.ingest is not None:
        data["ingest"] = {"generation": report.ingest.generation,
                          "counts": report.ingest.counts, "errors": report.ingest.errors}
    write_json(directory / "report.json", data, indent=2)  # whole or absent after a kill


def crawl(index: Path, config: CrawlConfig, workers: int = 0,
          hooks: CrawlHooks | None = None, limits: ExtractLimits = DEFAULT_LIMITS
          ) -> CrawlReport:
    """Start a crawl of `config` on `index`, run it to the end and ingest it."""
    return run(start(index, config), index, workers, hooks, limits)
