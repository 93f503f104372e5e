"""Crawling the sample web over loopback: links, statuses, redirects and robots against the
ground truth."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from linkscope.crawl import CrawlConfig, crawl
from linkscope.extract import ExtractLimits
from linkscope.store import open_index
from tests.crawl.conftest import Crawled, Web, fast_config
from tests.samples.truthfiles import truth


def fetches(index: Path, crawl: str = "crawl-"
            ) -> dict[str, tuple[int | None, str | None, str | None]]:
    """url -> (status, error, redirect_to) of the fetches of the crawls whose id starts so."""
    with open_index(index) as reader:
        rows = reader.con.execute(
            "SELECT url, status, error, redirect_to FROM fetches WHERE starts_with(crawl_id, ?)",
            [crawl]).fetchall()
    assert len(rows) == len({r[0] for r in rows}), "a URL fetched twice"
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def link_set(index: Path) -> set[tuple[str, str, str, str]]:
    with open_index(index) as reader:
        return set(reader.con.execute("SELECT source, target, anchor, kind FROM links "
                                      "WHERE lost_date IS NULL").fetchall())


def key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.path


def pages_by_url(web: Path) -> dict[str, dict[str, Any]]:
    return {p["url"]: p for p in truth(web, "pages")}


def answered(fetched: dict[str, tuple[int | None, str | None, str | None]]) -> set[str]:
    return {u for u, (status, _, _) in fetched.items() if status is not None and status < 400}


def truth_links(web: Path, sources: Iterable[str]) -> set[tuple[str, str, str, str]]:
    wanted = set(sources)
    return {(r["source"], r["target"], r["anchor"], r["kind"]) for r in truth(web, "links")
            if r["source"] in wanted}


def test_links_are_exactly_the_truth(crawled: Crawled, web: Web) -> None:
    fetched = fetches(crawled.index)
    pages = pages_by_url(web.epoch0)
    assert set(fetched) <= set(pages)
    assert len(answered(fetched)) > 300
    assert link_set(crawled.index) == truth_links(web.epoch0, answered(fetched))


def test_every_linked_page_in_scope_is_fetched(crawled: Crawled, web: Web) -> None:
    fetched = fetches(crawled.index)
    pages = pages_by_url(web.epoch0)
    closed = {p["host"] for p in pages.values() if p["kind"] == "robots" and p["status"] == 500}
    linked = {t for (_, t, _, kind) in truth_links(web.epoch0, answered(fetched))
              if kind != "form"}
    expected = {u for u in linked if u in pages and not pages[u]["robots_disallowed"]
                and pages[u]["host"] not in closed}
    assert expected - set(fetched) == set()


def test_statuses_of_broken_pages(crawled: Crawled, web: Web) -> None:
    fetched = fetches(crawled.index)
    pages = pages_by_url(web.epoch0)
    seen = {"404": 0, "410": 0, "500": 0, "timeout": 0}
    for url, (status, error, _) in fetched.items():
        page = pages[url]
        if page["delay"]:
            assert (status, error) == (None, "timeout"), url
            seen["timeout"] += 1
        else:
            assert status == page["status"], url
            if str(status) in seen:
                seen[str(status)] += 1
    assert min(seen.values()) >= 2, seen


def test_redirect_chains_and_loops(crawled: Crawled, web: Web) -> None:
    fetched = fetches(crawled.index)
    pages = pages_by_url(web.epoch0)
    redirects = {u: p for u, p in pages.items() if p["redirect_to"] and u in fetched
                 and p["status"] in (301, 302)}
    assert len(redirects) > 20
    for url, page in redirects.items():
        assert fetched[url][0] == page["status"] and fetched[url][2] == page["redirect_to"]
    chains = [u for u in redirects if u.endswith("/2019/post/")]
    assert chains
    for start in chains:  # each hop is a fetch, up to the page at the end
        hop = start
        for _ in range(2):
            hop = redirects[hop]["redirect_to"]
        assert hop in fetched and fetched[hop][0] == 200
    loops = [u for u in redirects if u.endswith(("/loop-a/", "/loop-b/"))]
    assert loops and all(crawled.requests[key(u)] == 1 for u in loops)


def test_robots_txt_is_obeyed(crawled: Crawled, web: Web) -> None:
    pages = pages_by_url(web.epoch0)
    closed = {p["host"] for p in pages.values() if p["kind"] == "robots" and p["status"] == 500}
    assert closed
    disallowed = [key(u) for u, p in pages.items() if p["robots_disallowed"]
                  and p["host"] not in closed]
    assert disallowed and all(crawled.requests[k] == 0 for k in disallowed)
    asked = {k for k, n in crawled.requests.items() if n and k[0] in closed}
    assert asked == {(host, "/robots.txt") for host in closed}
    fetched = fetches(crawled.index)
    assert not any(pages[u]["robots_disallowed"] for u in fetched if pages[u]["kind"] != "robots")


def test_pages_answered_once(crawled: Crawled, web: Web) -> None:
    pages = pages_by_url(web.epoch0)
    for url, page in pages.items():
        if page["status"] < 500 and not page["delay"]:
            assert crawled.requests[key(url)] <= 1, url


def test_site_scope_depth_and_page_limits(web: Web, tmp_path: Path) -> None:
    web.serve(0)
    seed = web.seeds()[1]  # a site with a blog subdomain (every fifth site from the second)
    report = crawl(tmp_path / "a", fast_config(web, seeds=(seed,), scope="site", max_depth=1))
    hosts = {urlsplit(u).hostname for u in fetches(tmp_path / "a")}
    assert hosts == {urlsplit(seed).hostname}
    depth_one = fetches(tmp_path / "a")
    assert report.counters["crawl/fetches"] == len(depth_one)
    wider = crawl(tmp_path / "b", fast_config(web, seeds=(seed,), scope="domain", max_depth=1))
    assert {urlsplit(u).hostname for u in fetches(tmp_path / "b")} > hosts
    assert wider.counters["crawl/fetches"] > len(depth_one)
    limited = crawl(tmp_path / "c", CrawlConfig(**{**fast_config(web).__dict__,
                                                  "max_pages": 7}))
    robots = sum(1 for u in fetches(tmp_path / "c") if u.endswith("/robots.txt"))
    assert len(fetches(tmp_path / "c")) - robots == 7
    assert limited.counters["crawl/left_queued"] > 0


def test_the_crawl_extracts_within_its_limits(web: Web, tmp_path: Path) -> None:
    """The limits reach the crawler's own extraction (which finds the links to follow) and
    the ingest after it: with three elements a page (html, head, body), no link is found."""
    web.serve(0)
    seed = web.seeds()[1]
    report = crawl(tmp_path / "a", fast_config(web, seeds=(seed,), scope="site", max_depth=1),
                   limits=ExtractLimits(512, 512, 3, 0))
    assert [u for u in fetches(tmp_path / "a") if not u.endswith("/robots.txt")] == [seed]
    assert report.ingest is not None
    assert report.ingest.counters["extract/truncated/elements"] >= 1
