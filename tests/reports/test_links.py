"""backlinks, refdomains and anchors against the sample web's ground truth."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from linkscope.errors import UsageError
from linkscope.reports import anchors, backlinks, refdomains
from linkscope.store import IndexReader

ALL = 100_000


def external_to(live: list[dict[str, Any]], domain: str) -> list[dict[str, Any]]:
    return [x for x in live if x["target_domain"] == domain and x["source_domain"] != domain]


def busiest(live: list[dict[str, Any]]) -> str:
    counts = Counter(x["target_domain"] for x in live if x["source_domain"] != x["target_domain"])
    return counts.most_common(3)[2][0]  # a well-linked domain, not the very top one


def keys(rows: list[Any]) -> set[tuple[str, str, str, str]]:
    return {(r.source, r.target, r.anchor, r.kind) for r in rows}


def truth_keys(links: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {(x["source"], x["target"], x["anchor"], x["kind"]) for x in links}


def test_backlinks_are_the_truths_live_external_links(reader: IndexReader,
                                                      live_truth: list) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    result = backlinks(reader, domain, limit=ALL)
    assert keys(result.rows) == truth_keys(expected)
    assert result.total == len(result.rows)
    assert "live links from other domains" in result.counting


@pytest.mark.parametrize(("filters", "keep"), [
    (dict(rel=["nofollow"]), lambda x: not x["follow"]),
    (dict(rel=["follow"]), lambda x: x["follow"]),
    (dict(rel=["ugc"]), lambda x: "ugc" in x["rel"]),
    (dict(rel=["sponsored"]), lambda x: "sponsored" in x["rel"]),
    (dict(placement=["content"]), lambda x: x["placement"] == "content"),
    (dict(placement=["sidebar", "footer"]),
     lambda x: x["placement"] in ("sidebar", "footer")),
    (dict(kind=["image"]), lambda x: x["kind"] == "image"),
    (dict(anchor_contains="TROWEL"), lambda x: "trowel" in x["anchor"].lower()),
    (dict(anchor_regex="^[A-Z]"), lambda x: x["anchor"][:1].isupper()),
])
def test_backlink_filters(reader: IndexReader, live_truth: list, filters: dict[str, Any],
                          keep: Any) -> None:
    domain = busiest(live_truth)
    expected = [x for x in external_to(live_truth, domain) if keep(x)]
    result = backlinks(reader, domain, **filters, limit=ALL)
    assert keys(result.rows) == truth_keys(expected)


def test_referring_domain_filter_and_paging(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    source = Counter(x["source_domain"] for x in expected).most_common(1)[0][0]
    only = backlinks(reader, domain, referring_domain=source, limit=ALL)
    assert keys(only.rows) == truth_keys([x for x in expected if x["source_domain"] == source])
    pages = [backlinks(reader, domain, limit=7, offset=k, sort="source", order="asc").rows
             for k in range(0, len(expected) + 7, 7)]
    seen = [r for page in pages for r in page]
    assert keys(seen) == truth_keys(expected)
    identities = {(r.source, r.target, r.anchor, r.kind, r.placement) for r in seen}
    assert len(seen) == len(identities) == backlinks(reader, domain).total  # no row twice


def test_aggregations(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    per_domain = backlinks(reader, domain, aggregate="domain", limit=ALL)
    assert sorted(r.source_domain for r in per_domain.rows) == sorted(
        {x["source_domain"] for x in expected})
    assert sum(r.similar for r in per_domain.rows) == backlinks(reader, domain).total
    similar = backlinks(reader, domain, aggregate="similar", limit=ALL)
    groups = {(x["source_domain"], x["target"], x["anchor"], x["placement"], x["kind"])
              for x in expected}
    assert similar.total == len(groups)
    sitewide = max(similar.rows, key=lambda r: r.similar)
    assert sitewide.similar > 1 and sitewide.placement in ("sidebar", "footer")


def test_best_links_are_followed_content_links_by_value(reader: IndexReader,
                                                        live_truth: list) -> None:
    domain = busiest(live_truth)
    best = backlinks(reader, domain, best=True, limit=ALL)
    expected = [x for x in external_to(live_truth, domain)
                if x["follow"] and x["placement"] == "content"]
    assert keys(best.rows) == truth_keys(expected)
    values = [r.value for r in best.rows]
    assert values == sorted(values, reverse=True) and values[0] > 0


def test_min_dr_keeps_strong_referrers(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    everything = backlinks(reader, domain, limit=ALL).rows
    strong = backlinks(reader, domain, min_dr=50, limit=ALL).rows
    assert strong and all(r.source_dr >= 50 for r in strong)
    assert len(strong) == sum(1 for r in everything if (r.source_dr or 0) >= 50)


def test_refdomains(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    result = refdomains(reader, domain, limit=ALL)
    truth_counts = Counter(x["source_domain"] for x in
                           {(x["source"], x["target"], x["anchor"], x["kind"],
                             x["placement"]): x for x in expected}.values())
    assert {r.domain: r.links for r in result.rows} == dict(truth_counts)
    follows = Counter(x["source_domain"] for x in expected if x["follow"])
    for row in result.rows:
        assert row.followed_links <= row.links and (row.followed_links > 0) == (
            follows[row.domain] > 0)
    drs = [r.dr for r in result.rows]
    assert drs == sorted(drs, reverse=True)


def test_anchors(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    result = anchors(reader, domain, limit=ALL)
    by_anchor: dict[str, set[str]] = {}
    for x in expected:
        by_anchor.setdefault(x["anchor"], set()).add(x["source_domain"])
    assert {r.anchor: r.ref_domains for r in result.rows} == {
        a: len(d) for a, d in by_anchor.items()}


def test_modes(reader: IndexReader, live_truth: list) -> None:
    domain = busiest(live_truth)
    expected = external_to(live_truth, domain)
    url = Counter(x["target"] for x in expected).most_common(1)[0][0]
    exact = backlinks(reader, url, mode="exact", limit=ALL)
    assert keys(exact.rows) == truth_keys([x for x in expected if x["target"] == url])
    prefix = "/".join(url.split("/")[:3]) + "/posts/"
    assert keys(backlinks(reader, prefix, mode="prefix", limit=ALL).rows) == truth_keys(
        [x for x in expected if x["target"].startswith(prefix)])
    host = url.split("/")[2].split(":")[0]
    assert keys(backlinks(reader, host, mode="subdomains", limit=ALL).rows) == truth_keys(
        [x for x in expected if x["target"].split("/")[2].split(":")[0].endswith(host)])


@pytest.mark.parametrize(("call", "where"), [
    (lambda r, d: backlinks(r, "nowhere.test"), "target"),
    (lambda r, d: backlinks(r, d, mode="fuzzy"), "mode"),
    (lambda r, d: backlinks(r, "", mode="domain"), "target"),
    (lambda r, d: backlinks(r, "test"), "target"),  # a public suffix
    (lambda r, d: backlinks(r, "http://[bad", mode="exact"), "target"),
    (lambda r, d: backlinks(r, d, scope="forever"), "scope"),
    (lambda r, d: backlinks(r, d, sort="colour"), "sort"),
    (lambda r, d: backlinks(r, d, order="up"), "order"),
    (lambda r, d: backlinks(r, d, limit=0), "limit"),
    (lambda r, d: backlinks(r, d, offset=-1), "offset"),
    (lambda r, d: backlinks(r, d, aggregate="site"), "aggregate"),
    (lambda r, d: backlinks(r, d, **dict(anchor_regex="(")), "anchor_regex"),
    (lambda r, d: backlinks(r, d, rel=["dofollow"]), "rel"),
    (lambda r, d: backlinks(r, d, min_dr=101), "min_dr"),
    (lambda r, d: backlinks(r, d, new_within=-2), "new_within"),
    (lambda r, d: refdomains(r, d, placement=["body"]), "placement"),
    (lambda r, d: anchors(r, d, sort="value"), "sort"),
])
def test_bad_input_names_the_parameter(reader: IndexReader, live_truth: list, call: Any,
                                       where: str) -> None:
    with pytest.raises(UsageError) as problem:
        call(reader, busiest(live_truth))
    assert problem.value.where == where


@pytest.mark.parametrize(("sort", "order"), [("value", "desc"), ("first_seen", "asc"),
                                             ("source_ur", "desc"), ("anchor", "asc"),
                                             ("lost_date", "desc")])
def test_pages_are_slices_of_the_whole_ordering(reader: IndexReader, live_truth: list,
                                                sort: str, order: str) -> None:
    """Each page equals the same slice of the full ordering, ties and NULLs included."""
    domain = busiest(live_truth)
    whole = backlinks(reader, domain, scope="all", sort=sort, order=order, limit=ALL).rows
    for offset in (0, 5, 37, len(whole) - 3, len(whole) + 4):
        page = backlinks(reader, domain, scope="all", sort=sort, order=order, limit=9,
                         offset=max(offset, 0)).rows
        assert page == whole[max(offset, 0):max(offset, 0) + 9]


@pytest.mark.parametrize("scope", ["live", "all"])
@pytest.mark.parametrize(("sort", "order"), [("dr", "desc"), ("links", "desc"),
                                             ("first_seen", "asc"), ("domain", "asc")])
def test_refdomains_from_the_summary_equal_the_grouped_links(reader: IndexReader,
                                                             live_truth: list, scope: str,
                                                             sort: str, order: str) -> None:
    """A domain's refdomains without filters read the rank job's summary table; with any
    filter (here one that keeps every link) they group the links: the rows must agree."""
    every_kind = dict(kind=["text", "image", "redirect", "canonical", "alternate",
                                   "frame", "form"])
    for domain in {x["target_domain"] for x in live_truth[:400]} - {None}:
        fast = refdomains(reader, domain, scope=scope, sort=sort, order=order, limit=ALL)
        slow = refdomains(reader, domain, scope=scope, **every_kind, sort=sort,
                          order=order, limit=ALL)
        assert fast.rows == slow.rows and fast.total == slow.total
