"""The pre-aggregated summaries that `linkscope rank` writes (store/summaries.py) give exactly
the rows that grouping the links gives: each report that reads one is asked of the same index
with and without the summaries listed in its manifest (an index ranked before they existed),
over every target domain, every scope and history after the second epoch's changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import duckdb
import pytest

from linkscope.reports import anchors, backlinks, intersect, overview, refdomains
from linkscope.reports import links as links_module
from linkscope.store import IndexReader
from linkscope.store.summaries import SUMMARY_TABLES, write_summaries
from tests.reports.test_links import ALL

SCOPES = ("live", "recent", "all")


def without_summaries(reader: IndexReader, keep: tuple[str, ...] = ()) -> IndexReader:
    """The same generation, read as an index that has no summary tables but `keep`."""
    tables = [t for t in reader.manifest["tables"] if t not in SUMMARY_TABLES or t in keep]
    return dataclasses.replace(reader, manifest={**reader.manifest, "tables": tables})


def target_domains(reader: IndexReader) -> list[str]:
    return [r[0] for r in reader.con.execute(
        "SELECT DISTINCT target_domain FROM links WHERE target_domain IS NOT NULL "
        "AND source_domain IS DISTINCT FROM target_domain ORDER BY 1").fetchall()]


@pytest.fixture
def domains(reader: IndexReader) -> list[str]:
    found = target_domains(reader)
    lost = reader.con.execute("SELECT count(DISTINCT target_domain) FROM links "
                              "WHERE lost_date IS NOT NULL").fetchall()[0][0]
    assert len(found) > 20 and lost > 5  # many targets, and the second epoch lost links
    return found


def test_rank_writes_every_summary(reader: IndexReader) -> None:
    for table in SUMMARY_TABLES:
        assert table in reader.manifest["tables"]
        assert reader.manifest["counts"][table] > 0 or table == "top_links"


@pytest.mark.parametrize("scope", SCOPES)
def test_overview_from_the_summaries(reader: IndexReader, domains: list[str],
                                     scope: str) -> None:
    plain = without_summaries(reader)
    moved = 0
    for domain in domains:
        fast, slow = overview(reader, domain, scope=scope), overview(plain, domain, scope=scope)
        assert fast.rows == slow.rows, domain
        moved += fast.rows[0].new_links_30d + fast.rows[0].lost_links_30d
    assert moved > 0  # the 30-day window holds the second epoch's changes


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize(("sort", "order"), [(None, "desc"), ("links", "asc"),
                                             ("followed_share", "desc"), ("first_seen", "asc"),
                                             ("anchor", "asc")])
def test_anchors_from_the_summary(reader: IndexReader, domains: list[str], scope: str,
                                  sort: str | None, order: str) -> None:
    plain = without_summaries(reader)
    for domain in domains:
        fast = anchors(reader, domain, scope=scope, sort=sort, order=order, limit=ALL)
        slow = anchors(plain, domain, scope=scope, sort=sort, order=order, limit=ALL)
        assert fast.rows == slow.rows and fast.total == slow.total, domain
        page = anchors(reader, domain, scope=scope, sort=sort, order=order, limit=3, offset=2)
        assert page.rows == slow.rows[2:5] and page.total == slow.total


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize(("sort", "order"), [(None, "desc"), ("source_ur", "desc"),
                                             ("first_seen", "asc"), ("similar", "desc"),
                                             ("anchor", "asc")])
def test_one_backlink_per_domain_from_the_summary(reader: IndexReader, domains: list[str],
                                                  scope: str, sort: str | None,
                                                  order: str) -> None:
    plain = without_summaries(reader)
    for domain in domains:
        fast = backlinks(reader, domain, scope=scope, aggregate="domain", sort=sort,
                         order=order, limit=ALL)
        slow = backlinks(plain, domain, scope=scope, aggregate="domain", sort=sort,
                         order=order, limit=ALL)
        assert fast.rows == slow.rows and fast.total == slow.total, domain
        page = backlinks(reader, domain, scope=scope, aggregate="domain", sort=sort,
                         order=order, limit=4, offset=1)
        assert page.rows == slow.rows[1:5]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("filters", [
    {}, {"rel": ["nofollow"]}, {"rel": ["nofollow", "sponsored"]}, {"rel": ["ugc"]},
    {"placement": ["content", "footer"]}, {"kind": ["image"]},
    {"rel": ["follow"], "placement": ["content"], "kind": ["text", "redirect"]},
    {"anchor_contains": "a"}])
def test_backlinks_total_from_the_summary(reader: IndexReader, domains: list[str],
                                          scope: str, filters: dict[str, Any]) -> None:
    plain = without_summaries(reader)
    counted = 0
    for domain in domains:
        fast = backlinks(reader, domain, scope=scope, **filters)
        slow = backlinks(plain, domain, scope=scope, **filters)
        assert fast.rows == slow.rows and fast.total == slow.total, domain
        counted += fast.total
    assert counted > 0


@pytest.mark.parametrize("scope", SCOPES)
def test_intersect_from_the_summary(reader: IndexReader, domains: list[str],
                                    scope: str) -> None:
    plain = without_summaries(reader)
    busy = sorted(domains, key=lambda d: -refdomains(reader, d, limit=1).total)[:8]
    cases: list[dict[str, Any]] = [
        {"competitors": busy[:5], "min_count": 2},
        {"competitors": busy[:3], "min_count": 1, "not_target": busy[3]},
        {"competitors": busy[1:8], "min_count": 3, "not_target": busy[0]},
        {"competitors": busy[:2], "pages": True},
    ]
    for case in cases:
        fast = intersect(reader, scope=scope, limit=ALL, **case)
        slow = intersect(plain, scope=scope, limit=ALL, **case)
        assert fast.rows and fast.rows == slow.rows and fast.total == slow.total, case


def test_an_index_ranked_before_most_summaries_answers_the_same(reader: IndexReader,
                                                                domains: list[str]) -> None:
    """An index ranked by the version that wrote refdomain_summary alone."""
    older = without_summaries(reader, keep=("refdomain_summary",))
    busy = sorted(domains, key=lambda d: -refdomains(reader, d, limit=1).total)[:5]
    for domain in busy:
        for report in (overview, anchors, refdomains, backlinks):
            assert (report(older, domain).rows ==  # type: ignore[operator]
                    report(reader, domain).rows), (report, domain)  # type: ignore[operator]
    assert (intersect(older, busy, min_count=2).rows == intersect(reader, busy, min_count=2).rows)


def test_modes_other_than_domain_read_the_links(reader: IndexReader,
                                                domains: list[str]) -> None:
    """Summaries are per registrable domain: a URL, a prefix or a host reads the links, and
    gives what it gave before."""
    plain = without_summaries(reader)
    url = reader.con.execute("SELECT target FROM links WHERE target_domain = ? LIMIT 1",
                             [domains[0]]).fetchall()[0][0]
    for target, mode in [(url, "exact"), (url.rsplit("/", 1)[0], "prefix"),
                         (domains[0], "subdomains")]:
        for report in (overview, anchors, refdomains):
            assert (report(reader, target, mode=mode).rows ==  # type: ignore[operator]
                    report(plain, target, mode=mode).rows)  # type: ignore[operator]
        assert (backlinks(reader, target, mode=mode, aggregate="domain").rows ==
                backlinks(plain, target, mode=mode, aggregate="domain").rows)


def test_filters_read_the_links(reader: IndexReader, domains: list[str]) -> None:
    """A summary cannot answer a filter: with one, the report groups the links, so a filter
    that leaves some links out changes the answer."""
    nofollow = dict(rel=["nofollow"])
    changed = 0
    for domain in domains:
        for report in (anchors, refdomains):
            filtered = report(reader, domain, **nofollow, limit=ALL)  # type: ignore[operator]
            assert filtered.rows == report(without_summaries(reader), domain,  # type: ignore[operator]
                                           **nofollow, limit=ALL).rows
            changed += filtered.rows != report(reader, domain, limit=ALL).rows  # type: ignore[operator]
        kept = backlinks(reader, domain, aggregate="domain", **nofollow, limit=ALL)
        assert all(not row.follow for row in kept.rows)
    assert changed > 0


@pytest.fixture
def small_top_links(reader: IndexReader, tmp_path: Path) -> IndexReader:
    """The reader, its top_links rewritten for domains of at least 3 live links, 7 each (the
    sample web has no domain with TOP_LINKS_MIN links)."""
    for table in ("links", "fetches"):
        (tmp_path / f"{table}.parquet").symlink_to(reader.generation / f"{table}.parquet")
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        write_summaries(con, tmp_path, top_links=7, top_links_min=3)
    reader.con.execute(f"CREATE OR REPLACE VIEW top_links AS "
                       f"SELECT * FROM read_parquet('{tmp_path / 'top_links.parquet'}')")
    return reader


@pytest.mark.parametrize("scope", SCOPES)
def test_backlinks_first_pages_from_the_summary(small_top_links: IndexReader,
                                                domains: list[str], scope: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    reader = small_top_links
    served = []
    original = links_module.top_links_page
    monkeypatch.setattr(links_module, "top_links_page",
                        lambda *a: served.append(original(*a)) or served[-1])
    plain = without_summaries(reader)
    kept = reader.con.execute("SELECT count(DISTINCT target_domain) FROM top_links").fetchall()
    assert kept[0][0] > 5
    for domain in domains:
        whole = backlinks(plain, domain, scope=scope, limit=ALL)
        for limit, offset in [(50, 0), (3, 0), (3, 4), (2, 5), (3, 6), (5, 100_000)]:
            fast = backlinks(reader, domain, scope=scope, limit=limit, offset=offset)
            assert fast.rows == whole.rows[offset:offset + limit], (domain, limit, offset)
            assert fast.total == whole.total
        for sort, order in [("value", "asc"), ("first_seen", "desc")]:
            assert (backlinks(reader, domain, scope=scope, sort=sort, order=order).rows ==
                    backlinks(plain, domain, scope=scope, sort=sort, order=order).rows)
    # pages within the first 7 of a domain with at least 3 links came from top_links
    assert (scope == "live") == any(page is not None for page in served)
