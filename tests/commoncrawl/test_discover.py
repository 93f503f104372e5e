"""`linkscope discover` on the Common Crawl look-alike: it finds exactly the truth's referring
pages of a target, resumes after a kill, and keeps to its bounds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from linkscope.cli import main
from linkscope.commoncrawl.discover import choose_captures, reading_plan, selection_file
from linkscope.commoncrawl.index import IndexClient
from linkscope.reports import backlinks
from linkscope.samples.ccserve import CommonCrawlServer
from linkscope.samples.commoncrawl import graph_files
from linkscope.store import ingest, open_index
from linkscope.store.parts import read_task
from linkscope.urls import registrable_domain, split_host
from tests.commoncrawl.conftest import captured, truth_rows


def domain_of(url: str) -> str | None:
    return registrable_domain(split_host(url))


def referring_pages(web: Path, target: str) -> set[str]:
    """The truth's pages on other domains that link to `target`'s hosts and that the crawl
    holds as pages or redirects."""
    pages = {p["url"]: p for p in truth_rows(web, "pages.jsonl")}
    return {link["source"] for link in truth_rows(web, "links.jsonl")
            if domain_of(link["target"]) == target and domain_of(link["source"]) != target
            and captured(pages[link["source"]])}


def discover_args(server: CommonCrawlServer, index: Path, target: str) -> list[str]:
    vertices, edges = graph_files(server.root)
    return ["--index", str(index), "discover", target, "--host-graph", str(vertices), str(edges),
            "--cdx-api", server.api, "--data-base", server.base + "/", "--quiet",
            "--workers", "1", "--no-rank"]


def most_linked(web: Path) -> str:
    counts = Counter(domain_of(link["target"]) for link in truth_rows(web, "links.jsonl")
                     if domain_of(link["target"]) != domain_of(link["source"]))
    return str(counts.most_common(2)[1][0])


def test_discover_finds_exactly_the_truths_referring_pages(
        cc_web: Path, cc_server: CommonCrawlServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = most_linked(cc_web)
    expected = referring_pages(cc_web, target)
    assert main(discover_args(cc_server, tmp_path / "idx", target)) == 0
    out = capsys.readouterr().out
    with open_index(tmp_path / "idx") as reader:
        found = backlinks(reader, target, mode="domain", scope="all", limit=100_000)
    assert {row.source for row in found.rows} == expected
    assert len(expected) > 20
    assert f"for {found.total:,} backlink(s)" in out
    assert "cc/hosts/no-captures=" in out  # the graph's uncrawled hosts answered 404


def test_discover_reuses_its_selection_and_the_tasks_a_killed_run_finished(
        cc_web: Path, cc_server: CommonCrawlServer, tmp_path: Path) -> None:
    target = most_linked(cc_web)
    index = tmp_path / "idx"
    vertices, edges = graph_files(cc_server.root)
    saved = selection_file(index, target, vertices, edges, cc_server.api, None, None)
    first = choose_captures(target, vertices, edges, IndexClient(cc_server.api), saved=saved)
    assert saved.is_file() and not first.resumed
    # a kill after the first task was read: its parts and marker are in the run directory
    sources, tasks = reading_plan(first, cc_server.base + "/")
    assert len(tasks) > 1
    from linkscope.store.generations import IndexDir
    from linkscope.store.ingest import run_id_for

    parts = IndexDir(index).runs / run_id_for([t.key for t in tasks], None) / "parts"
    parts.mkdir(parents=True)
    read_task(tasks[0], parts, "ingest-test")
    asked = len(cc_server.requests)
    again = choose_captures(target, vertices, edges, IndexClient(cc_server.api), saved=saved)
    assert again.resumed and again.captures == first.captures
    assert len(cc_server.requests) == asked  # the index was not asked again
    report = ingest(index, sources, workers=1, tasks=tasks)
    assert report.counters["ingest/ranges_resumed"] == 1
    read_again = [path for path, _ in cc_server.requests[asked:]]
    assert tasks[0].source.removeprefix(cc_server.base) not in read_again


def test_discover_keeps_to_max_pages(cc_web: Path, cc_server: CommonCrawlServer,
                                     tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = most_linked(cc_web)
    assert main([*discover_args(cc_server, tmp_path / "idx", target), "--max-pages", "5"]) == 0
    out = capsys.readouterr().out
    assert "of 5 capture(s)" in out
    with open_index(tmp_path / "idx") as reader:
        assert reader.manifest["snapshots"][-1]["pages"] <= 5


def test_discover_bad_input_is_one_line(cc_server: CommonCrawlServer, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    args = discover_args(cc_server, tmp_path / "idx", "chordreverb.example")
    missing = [*args[:5], str(tmp_path / "none.gz"), *args[6:]]
    assert main(missing) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'none.gz'}: no such file" in err and "Traceback" not in err
    assert main([*args[:3], "not a domain", *args[4:]]) == 2
    assert "TARGET" in capsys.readouterr().err


def test_discover_keeps_to_max_bytes(cc_web: Path, cc_server: CommonCrawlServer) -> None:
    target = most_linked(cc_web)
    vertices, edges = graph_files(cc_server.root)
    whole = choose_captures(target, vertices, edges, IndexClient(cc_server.api))
    bounded = choose_captures(target, vertices, edges, IndexClient(cc_server.api),
                              max_bytes=20_000)
    assert 0 < sum(c.length for c in bounded.captures) <= 20_000
    assert len(bounded.captures) < len(whole.captures)
    assert bounded.counters["cc/skipped/max-bytes"] > 0
