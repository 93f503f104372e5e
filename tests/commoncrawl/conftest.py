"""A small sample web built on port 80 and written as Common Crawl publishes a crawl, served
by the look-alike's index and data server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkscope.samples import WebConfig, write_sample_web
from linkscope.samples.ccserve import BackgroundCommonCrawlServer, CommonCrawlServer
from linkscope.samples.commoncrawl import write_as_common_crawl


@pytest.fixture(scope="session")
def cc_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("ccweb") / "web"
    write_sample_web(directory, WebConfig(sites=30, seed=3, port=80))
    write_as_common_crawl(directory)
    return directory


@pytest.fixture
def cc_server(cc_web: Path) -> Iterator[CommonCrawlServer]:
    with BackgroundCommonCrawlServer(cc_web) as server:
        yield server


def truth_rows(web: Path, name: str) -> list[dict[str, Any]]:
    with (web / "truth" / name).open() as lines:
        return [json.loads(line) for line in lines]


def captured(page: dict[str, Any]) -> bool:
    """Whether the look-alike holds a capture of the page that ingest keeps as a page with
    links: an HTML 200 or a redirect (not robots-disallowed, not a timeout)."""
    if page["robots_disallowed"] or page["delay"] > 0:
        return False
    html = (page["content_type"] or "").startswith("text/html")
    return (page["status"] == 200 and html) or 300 <= page["status"] < 400
