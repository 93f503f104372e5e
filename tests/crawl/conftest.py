"""A 30-site sample web of the crawl tests' own (two epochs, one port), served on loopback, and
one crawl of it shared by the tests that only read its index."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from linkscope.crawl import CrawlConfig, crawl
from linkscope.samples import BackgroundServer, WebConfig, write_sample_web
from tests.conftest import free_port

SITES = 30  # the smallest web with a site whose robots.txt answers 500
BAD_PATHS = ("/missing-gone/", "/retired-gone/", "/broken-gone/", "/slow-page/", "/2019/post/",
             "/loop-a/")


@dataclass
class Web:
    """The crawl tests' sample web: its directories, and the server of the current epoch."""

    epoch0: Path
    epoch1: Path
    server: BackgroundServer | None = None
    epoch: int = 0

    def serve(self, epoch: int) -> BackgroundServer:
        if self.server is not None and self.epoch == epoch:
            return self.server
        if self.server is not None:
            self.server.stop()
        self.server = BackgroundServer(self.epoch0 if epoch == 0 else self.epoch1,
                                       max_delay=2.0).start()
        self.epoch = epoch
        return self.server

    def seeds(self) -> tuple[str, ...]:
        """Every site's home page, and on a few sites the pages that answer badly (whether
        the generated links reach them depends on the port)."""
        rows = [json.loads(line) for line in (self.epoch0 / "truth" / "sites.jsonl").open()]
        extra = [row["home"] + path.lstrip("/") for row in rows[:4]
                 for path in BAD_PATHS if row["robots"] != "error"]
        return tuple(row["home"] for row in rows) + tuple(extra)

    @property
    def hosts(self) -> Path:
        return self.epoch0 / "hosts"


def fast_config(web: Web, **changes: object) -> CrawlConfig:
    """Politeness off and short timeouts: what a test on loopback can afford."""
    options: dict[str, object] = dict(
        seeds=web.seeds(), scope="domain", per_host_delay=0.0, concurrency=16,
        hosts_file=str(web.hosts), allow_private=True, timeout=0.5, retries=1, backoff=0.01,
        max_crawl_delay=0.01)
    options.update(changes)
    return CrawlConfig(**options)  # type: ignore[arg-type]


@pytest.fixture(scope="package")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    root = tmp_path_factory.mktemp("crawlweb")
    port = free_port()
    for epoch in (0, 1):
        write_sample_web(root / f"epoch{epoch}", WebConfig(sites=SITES, seed=5, port=port,
                                                           pages_per_site=4, epoch=epoch))
    holder = Web(root / "epoch0", root / "epoch1")
    yield holder
    if holder.server is not None:
        holder.server.stop()


@dataclass
class Crawled:
    index: Path
    requests: Counter[tuple[str, str]]


@pytest.fixture(scope="package")
def crawled(web: Web, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    """The epoch-0 web crawled from every site's home page (scope domain), indexed."""
    server = web.serve(0)
    server.server.requests.clear()
    index = tmp_path_factory.mktemp("crawled") / "idx"
    crawl(index, fast_config(web), workers=1)
    return Crawled(index, Counter(server.server.requests))
