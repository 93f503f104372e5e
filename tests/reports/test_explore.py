"""overview, intersect, competitors, broken, history and internal against the ground truth."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from linkscope.errors import UsageError
from linkscope.reports import (
    broken,
    competitors,
    history,
    internal,
    intersect,
    overview,
    refdomains,
)
from linkscope.store import IndexReader
from tests.reports.conftest import domain_of
from tests.reports.test_links import ALL, busiest, external_to
from tests.samples.truthfiles import truth


def refdomains_of(live: list[dict[str, Any]], domain: str) -> set[str]:
    return {x["source_domain"] for x in external_to(live, domain)}


def test_overview_counts(reader: IndexReader, live_truth: list, sample_web_epoch1: Path) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    result = overview(reader, domain)
    row = result.rows[0]
    identities = {(x["source"], x["target"], x["anchor"], x["kind"], x["placement"])
                  for x in expected}
    assert row.backlinks == len(identities)
    assert row.referring_domains == len(refdomains_of(live_truth, domain))
    assert row.referring_pages == len({x["source"] for x in expected})
    ips = {s["domain"]: s["ip"] for s in truth(sample_web_epoch1, "sites")}
    referring = refdomains_of(live_truth, domain)
    assert row.referring_ips == len({ips[d] for d in referring})
    assert row.referring_subnets == len({ips[d].rsplit(".", 1)[0] for d in referring})
    assert 0 < row.followed_share < 1 and row.dr is not None and row.ur is not None
    assert sum(b["ref_domains"] for b in row.dr_distribution) == row.referring_domains
    assert [p["date"].isoformat() for p in row.refdomains_over_time] == ["2026-01-01",
                                                                         "2026-01-31"]
    assert row.refdomains_over_time[-1]["ref_domains"] == row.referring_domains


def test_pbn_shows_as_many_domains_on_one_subnet(reader: IndexReader,
                                                 sample_web: Path) -> None:
    import json

    structures = json.loads((sample_web / "truth" / "structures.json").read_text())
    row = overview(reader, structures["pbn"]["money"][0]).rows[0]
    assert row.referring_domains >= len(structures["pbn"]["members"])
    assert row.referring_subnets < row.referring_domains  # the network shares a /24


def test_intersect(reader: IndexReader, live_truth: list) -> None:
    counts = Counter(x["target_domain"] for x in live_truth
                     if x["source_domain"] != x["target_domain"])
    rivals = [d for d, _ in counts.most_common(6)[1:5]]
    mine = counts.most_common(8)[7][0]
    sets = {d: refdomains_of(live_truth, d) for d in rivals}
    excluded = refdomains_of(live_truth, mine)
    for k in (1, 2, 3):
        result = intersect(reader, rivals, not_target=mine, min_count=k, limit=ALL)
        expected = {d for d in set().union(*sets.values())
                    if sum(d in s for s in sets.values()) >= k and d not in excluded}
        assert {r.referrer for r in result.rows} == expected
        for row in result.rows:
            assert set(row.links) == {c for c in rivals if row.referrer in sets[c]}
    pages = intersect(reader, rivals, min_count=2, pages=True, limit=ALL)
    assert all(r.referrer.startswith("http") for r in pages.rows) and pages.total > 0


def test_intersect_bad_input(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    with pytest.raises(UsageError, match="between 1 and"):
        intersect(reader, [domain], min_count=2)
    with pytest.raises(UsageError) as problem:
        intersect(reader, [])
    assert problem.value.where == "competitors"


def test_competitors_overlap(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    mine = refdomains_of(live_truth, domain)
    others = {x["target_domain"] for x in live_truth} - {domain, None}
    expected = {d: len(mine & refdomains_of(live_truth, d)) for d in others}
    result = competitors(reader, domain, limit=ALL)
    assert {r.domain: r.shared_domains for r in result.rows} == {
        d: n for d, n in expected.items() if n}
    assert result.rows[0].shared_domains == max(expected.values())


@pytest.mark.parametrize("scope", ["live", "all"])
def test_competitors_figures_agree_with_refdomains(reader: IndexReader, live_truth: list,
                                                   scope: str) -> None:
    """A competitor's referring domains are counted as refdomains counts them (the demo once
    showed 6 of theirs beside 7 shared)."""
    result = competitors(reader, busiest(live_truth), scope=scope, limit=ALL)
    mine = refdomains(reader, busiest(live_truth), scope=scope, limit=1).total
    assert result.extra["target_ref_domains"] == mine
    for row in result.rows[:12]:
        assert row.their_domains == refdomains(reader, row.domain, scope=scope, limit=1).total
        assert row.shared_domains <= row.their_domains


def test_broken_backlinks(reader: IndexReader, live_truth: list,
                          truth_pages: dict[str, Any]) -> None:
    def dead(url: str) -> bool:
        page = truth_pages.get(url)
        return page is None or page["status"] >= 400 or page["delay"] > 0

    fetched = {u for u, p in truth_pages.items() if not p["robots_disallowed"]}
    candidates = Counter(x["target_domain"] for x in live_truth
                         if x["source_domain"] != x["target_domain"] and x["target"] in fetched
                         and dead(x["target"]))
    domain = candidates.most_common(1)[0][0]
    expected = {(x["source"], x["target"]) for x in external_to(live_truth, domain)
                if x["target"] in fetched and dead(x["target"])}
    result = broken(reader, domain, limit=ALL)
    assert {(r.source, r.target) for r in result.rows} == expected
    statuses = {r.status for r in result.rows}
    assert statuses <= {404, 410, 500, None}


def test_broken_outgoing(reader: IndexReader, live_truth: list,
                         truth_pages: dict[str, Any]) -> None:
    fetched = {u for u, p in truth_pages.items() if not p["robots_disallowed"]}
    dead = {u for u in fetched if truth_pages[u]["status"] >= 400 or truth_pages[u]["delay"]}
    by_source = Counter(x["source_domain"] for x in live_truth if x["target"] in dead and
                        x["source_domain"] != x["target_domain"] and
                        x["kind"] in ("text", "image"))
    domain = by_source.most_common(1)[0][0]
    expected: dict[str, set[str]] = {}
    for x in live_truth:
        if (x["source_domain"] == domain and x["target"] in dead and x["kind"] in
                ("text", "image") and x["target_domain"] != domain):
            expected.setdefault(x["target"], set()).add(x["source"])
    result = broken(reader, domain, outgoing=True, limit=ALL)
    assert {r.url: r.referring_pages for r in result.rows} == {
        u: len(s) for u, s in expected.items()}


def test_history_matches_the_epoch_changes(reader: IndexReader, live_truth: list,
                                           sample_web_epoch1: Path,
                                           truth_pages: dict[str, Any]) -> None:
    changes = [c for c in truth(sample_web_epoch1, "changes") if c["change"] == "lost"
               and c["kind"] != "canonical" and c["source"] in truth_pages
               and not truth_pages[c["source"]]["robots_disallowed"]
               and not truth_pages[c["source"]]["delay"]]
    by_domain = Counter(domain_of(c["target"]) for c in changes
                        if domain_of(c["source"]) != domain_of(c["target"]))
    domain = by_domain.most_common(1)[0][0]
    reasons = Counter(c["reason"] for c in changes if domain_of(c["target"]) == domain
                      and domain_of(c["source"]) != domain)
    result = history(reader, domain)
    assert [r.period.isoformat() for r in result.rows] == ["2026-01-01", "2026-01-31"]
    assert result.rows[1].lost_reasons == dict(sorted(reasons.items()))
    assert result.rows[1].lost_links == sum(reasons.values())
    weekly = history(reader, domain, interval="week")
    assert sum(r.lost_links for r in weekly.rows) == sum(reasons.values())


def test_internal(reader: IndexReader, sample_web_epoch1: Path, live_truth: list,
                  truth_pages: dict[str, Any]) -> None:
    site = truth(sample_web_epoch1, "sites")[2]
    result = internal(reader, site["domain"], limit=ALL)
    ok = {u for u, p in truth_pages.items() if domain_of(u) == site["domain"] and
          p["status"] == 200 and not p["robots_disallowed"] and not p["delay"] and
          p["content_type"].startswith("text/html")}
    assert {r.url for r in result.rows} >= ok - {u for u in ok if u.endswith(".pdf")}
    inlinks: dict[str, set[str]] = {}
    for x in live_truth:
        if (x["source_domain"] == x["target_domain"] == site["domain"] and
                x["source"] != x["target"] and x["kind"] in ("text", "image")):
            inlinks.setdefault(x["target"], set()).add(x["source"])
    assert {r.url: r.internal_inlinks for r in result.rows} == {
        r.url: len(inlinks.get(r.url, ())) for r in result.rows}
    few = internal(reader, site["domain"], few=True, limit=ALL)
    assert {r.url for r in few.rows} == {r.url for r in result.rows if r.few_internal_links}
