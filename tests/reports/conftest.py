"""An index of the sample web's two epochs, ranked, and its ground truth, for the report tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linkscope.rank.job import rank_index
from linkscope.store import IndexReader, ingest, open_index
from linkscope.urls import registrable_domain, split_host
from tests.samples.truthfiles import truth


@pytest.fixture(scope="package")
def two_epoch_index(tmp_path_factory: pytest.TempPathFactory,
                    sample_warcs: tuple[list[Path], list[Path]]) -> Path:
    index = tmp_path_factory.mktemp("reports") / "idx"
    ingest(index, [str(p) for p in sample_warcs[0]], workers=1)
    ingest(index, [str(p) for p in sample_warcs[1]], workers=1)
    rank_index(index)
    return index


@pytest.fixture
def reader(two_epoch_index: Path) -> IndexReader:
    with open_index(two_epoch_index) as opened:
        yield opened  # type: ignore[misc]


def domain_of(url: str) -> str | None:
    return registrable_domain(split_host(url))


@pytest.fixture(scope="package")
def live_truth(sample_web_epoch1: Path) -> list[dict[str, Any]]:
    """The links of epoch 1 that a polite crawl of both epochs leaves live in the index: links
    of pages it fetched that answered 2xx or 3xx, less those the epoch lost (a page that turned
    noindex keeps its links, lost), canonical links left out."""
    pages = {p["url"]: p for p in truth(sample_web_epoch1, "pages")}
    lost = {(c["source"], c["target"], c["anchor"], c["kind"], c["placement"])
            for c in truth(sample_web_epoch1, "changes") if c["change"] == "lost"}
    live = []
    for link in truth(sample_web_epoch1, "links"):
        page = pages[link["source"]]
        if page["robots_disallowed"] or page["delay"] or page["status"] >= 400:
            continue
        if link["kind"] == "canonical" or (link["source"], link["target"], link["anchor"],
                                           link["kind"], link["placement"]) in lost:
            continue  # canonical links are not backlinks; lost ones are not live
        live.append({**link, "source_domain": domain_of(link["source"]),
                     "target_domain": domain_of(link["target"])})
    return live


@pytest.fixture(scope="package")
def truth_pages(sample_web_epoch1: Path) -> dict[str, dict[str, Any]]:
    return {p["url"]: p for p in truth(sample_web_epoch1, "pages")}
