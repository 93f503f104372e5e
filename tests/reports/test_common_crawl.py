"""On a real Common Crawl WARC: ingest, then backlinks and refdomains of a domain it links to
agree with the extraction function's own output."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from linkscope.extract import extract_page
from linkscope.records import Fetch
from linkscope.reports import backlinks, refdomains
from linkscope.store import ingest, open_index
from linkscope.urls import registrable_domain, split_host
from linkscope.warc import iter_fetched_pages
from tests.conftest import shared_data


def test_backlinks_and_refdomains_agree_with_extraction(tmp_path: Path) -> None:
    warc = str(shared_data("warc", "resiliparse", "warcfile.warc.gz"))
    links = []
    for item in iter_fetched_pages(warc):
        if not isinstance(item, Fetch) and item.status < 400:
            for link in extract_page(item).links:
                source = registrable_domain(split_host(link.source))
                target = registrable_domain(split_host(link.target))
                if target and source != target:
                    links.append((link, source, target))
    counts = Counter(target for _, _, target in links)
    domain = counts.most_common(1)[0][0]
    ingest(tmp_path / "idx", [warc], workers=1)
    with open_index(tmp_path / "idx") as reader:
        found = backlinks(reader, domain, limit=100_000)
        domains = refdomains(reader, domain, limit=100_000)
    expected = {(link.source, link.target, link.anchor, str(link.kind), str(link.placement))
                for link, _, target in links if target == domain}
    assert {(r.source, r.target, r.anchor, r.kind, r.placement) for r in found.rows} == expected
    assert found.total == len(expected) > 0
    assert {r.domain for r in domains.rows} == {s for _, s, t in links if t == domain}
