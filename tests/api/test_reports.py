"""Every endpoint against the sample web's ground truth (the second epoch's truth files)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient

from linkscope.store import open_index
from linkscope.urls import normalize, registrable_domain, split_host
from tests.api.conftest import SampleIndex, read_jsonl

TARGET = "pixelbyte.test"  # the sample web's strongest domain at seed 3


@pytest.fixture(scope="module")
def truth(sample_index: SampleIndex) -> dict[str, Any]:
    """External links in the truth whose source page the index holds as fetched with a 200 in
    the latest snapshot (a polite crawl skips robots-disallowed pages and times out on slow
    ones), less the links the epoch lost (a page that turned noindex keeps its links, lost),
    keyed by target domain."""
    pages = {p["url"]: p for p in read_jsonl(sample_index.truth / "pages.jsonl")}
    lost = {(c["source"], c["target"], c["kind"], c["anchor"], c["placement"])
            for c in read_jsonl(sample_index.truth / "changes.jsonl") if c["change"] == "lost"}
    with open_index(sample_index.index) as reader:
        fetched = {url for (url,) in reader.con.execute(
            "SELECT url FROM pages WHERE status = 200 AND fetch_time = "
            "(SELECT max(fetch_time) FROM pages)").fetchall()}
    by_target: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    followed: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for link in read_jsonl(sample_index.truth / "links.jsonl"):
        page = pages.get(link["source"])
        if page is None or link["source"] not in fetched or page["status"] != 200:
            continue
        source = registrable_domain(split_host(link["source"]))
        target = registrable_domain(split_host(link["target"]))
        if target is None or source == target:
            continue
        key = (link["source"], normalize(link["target"]) or "", link["kind"], link["anchor"],
               link["placement"])
        if key in lost:
            continue
        by_target[target].add(key)
        if link["follow"]:
            followed[target].add(key)
    return {"links": by_target, "followed": followed}


def get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/{path}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_refdomains_are_the_truths_referring_domains(client: TestClient,
                                                     truth: dict[str, Any]) -> None:
    for domain in (TARGET, "melodyreverb.example", "ledgercapital.test"):
        body = get(client, "refdomains", target=domain, limit=1000)
        expected = {key[0] for key in truth["links"][domain]}
        expected_domains = {registrable_domain(split_host(url)) for url in expected}
        found = {row["domain"] for row in body["rows"]}
        assert found == expected_domains
        assert body["total"] == len(found)


def test_backlinks_count_and_follow_filter_match_the_truth(client: TestClient,
                                                           truth: dict[str, Any]) -> None:
    everything = get(client, "backlinks", target=TARGET, limit=1000)
    followed = get(client, "backlinks", target=TARGET, rel="follow", limit=1000)
    expected, expected_followed = truth["links"][TARGET], truth["followed"][TARGET]
    rows = {(r["source"], r["target"], r["kind"], r["anchor"], r["placement"])
            for r in everything["rows"]}
    assert everything["total"] == len(everything["rows"])
    assert rows == expected
    assert all(r["follow"] for r in followed["rows"])
    assert followed["total"] == sum(1 for r in everything["rows"] if r["follow"])
    assert {(r["source"], r["target"], r["kind"], r["anchor"], r["placement"])
            for r in followed["rows"]} <= expected_followed


def test_overview_agrees_with_backlinks_and_refdomains(client: TestClient) -> None:
    overview = get(client, "overview", target=TARGET)["rows"][0]
    assert overview["backlinks"] == get(client, "backlinks", target=TARGET, limit=1)["total"]
    assert overview["referring_domains"] == get(client, "refdomains", target=TARGET,
                                                limit=1)["total"]
    assert overview["dr"] == get(client, "explain", target=TARGET)["rating"]
    assert sum(b["ref_domains"] for b in overview["dr_distribution"]) == \
        overview["referring_domains"]


def test_paging_and_sorting(client: TestClient) -> None:
    whole = get(client, "backlinks", target=TARGET, sort="source", order="asc", limit=60)
    first = get(client, "backlinks", target=TARGET, sort="source", order="asc", limit=30)
    second = get(client, "backlinks", target=TARGET, sort="source", order="asc", limit=30,
                 offset=30)
    assert first["rows"] + second["rows"] == whole["rows"]
    assert (first["limit"], second["offset"], first["total"]) == (30, 30, whole["total"])
    sources = [r["source"] for r in whole["rows"]]
    assert sources == sorted(sources)
    by_dr = [r["dr"] for r in get(client, "refdomains", target=TARGET, sort="dr",
                                  order="desc")["rows"]]
    assert by_dr == sorted(by_dr, reverse=True)


def test_anchors_sum_to_the_backlinks(client: TestClient) -> None:
    body = get(client, "anchors", target=TARGET, limit=1000)
    assert sum(r["links"] for r in body["rows"]) == get(client, "backlinks", target=TARGET,
                                                        limit=1)["total"]


def test_filters_reach_the_report(client: TestClient) -> None:
    body = get(client, "backlinks", target=TARGET, placement=["footer", "sidebar"], limit=1000)
    assert body["rows"] and {r["placement"] for r in body["rows"]} <= {"footer", "sidebar"}
    body = get(client, "backlinks", target=TARGET, anchor_contains="pixel", limit=1000)
    assert body["rows"] and all("pixel" in r["anchor"].lower() for r in body["rows"])
    body = get(client, "backlinks", target=TARGET, min_dr=40, aggregate="domain", limit=1000)
    assert all(r["source_dr"] >= 40 for r in body["rows"])
    assert len({r["source_domain"] for r in body["rows"]}) == len(body["rows"])


def test_intersect_with_several_competitors(client: TestClient, truth: dict[str, Any]) -> None:
    names = [TARGET, "melodyreverb.example", "ledgercapital.test"]
    body = get(client, "intersect", competitors=names, min=3, limit=1000)
    referrers = [{registrable_domain(split_host(k[0])) for k in truth["links"][n]}
                 for n in names]
    found = {r["referrer"] for r in body["rows"]}
    assert found == set.intersection(*referrers)
    assert body["competitors"] == names
    excluded = get(client, "intersect", competitors=names[1:], **{"not": TARGET}, limit=1000)
    assert not {r["referrer"] for r in excluded["rows"]} & referrers[0]


@pytest.mark.parametrize(("path", "params"), [
    ("competitors", {}), ("broken", {}), ("broken", {"outgoing": "true"}),
    ("history", {"interval": "week"}), ("internal", {"few": "true"}),
])
def test_other_reports_answer_in_the_report_shape(client: TestClient, path: str,
                                                  params: dict[str, str]) -> None:
    body = get(client, path, target=TARGET, **params)
    assert {"report", "total", "limit", "offset", "counting", "rows"} <= set(body)
    assert body["total"] >= len(body["rows"]) > (-1 if path == "broken" else 0)
    for row in body["rows"] if path == "broken" else ():
        assert row["error"] or row["status"] >= 400


def test_broken_backlinks_are_the_truths_dead_pages(client: TestClient,
                                                    sample_index: SampleIndex) -> None:
    dead = {p["url"] for p in read_jsonl(sample_index.truth / "pages.jsonl")
            if p["status"] >= 400 or p["kind"] == "slow"}
    domains = sorted({registrable_domain(split_host(url)) for url in dead} - {None})
    seen = 0
    for domain in domains:
        for row in get(client, "broken", target=domain, limit=1000)["rows"]:
            assert row["target"] in dead
            seen += 1
    assert seen > 0


def test_history_sees_the_epoch_change(client: TestClient) -> None:
    rows = get(client, "history", target=TARGET)["rows"]
    assert len(rows) == 2  # the two crawl dates
    assert rows[1]["new_links"] + rows[1]["lost_links"] > 0


def test_csv_by_parameter_and_by_accept(client: TestClient) -> None:
    as_json = get(client, "refdomains", target=TARGET, limit=5)
    by_param = client.get("/api/v1/refdomains", params={"target": TARGET, "limit": 5,
                                                         "format": "csv"})
    by_accept = client.get("/api/v1/refdomains", params={"target": TARGET, "limit": 5},
                           headers={"Accept": "text/csv"})
    assert by_param.headers["content-type"].startswith("text/csv")
    assert by_param.text == by_accept.text
    rows = list(csv.DictReader(io.StringIO(by_param.text)))
    assert [r["domain"] for r in rows] == [r["domain"] for r in as_json["rows"]]
    explained = client.get("/api/v1/explain", params={"target": TARGET, "format": "csv"})
    assert explained.text.splitlines()[0].startswith("name,contribution,share")
