"""The link reports: backlinks, referring domains and anchors of a target.

All three count external links only (the source's registrable domain differs from the
target's); internal links have their own report (internal.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from linkscope.queries.model import LinkFilterQuery, ReportQuery
from linkscope.queries.reports import AnchorsQuery, BacklinksQuery, RefdomainsQuery
from linkscope.reports.filters import filter_sql
from linkscope.reports.plan import (
    ALL_LOST,
    EXTERNAL,
    FOLLOWED_SHARE,
    count_rows,
    page_of,
    summary_answers,
)
from linkscope.reports.result import ReportResult, as_query, order_by
from linkscope.reports.target import Target, known_target, scope_predicate
from linkscope.store.catalog import IndexReader
from linkscope.store.summaries import BEST_ORDER

SCOPE_WORDS = {"live": "live links", "recent": "live links and links lost in the last 90 days",
               "all": "every link ever seen, live or lost"}


@dataclass
class Backlink:
    source: str
    source_title: str | None
    source_language: str | None
    source_ur: float | None
    source_outlinks: int | None
    source_domain: str | None
    source_dr: float | None
    anchor: str
    context: str
    target: str
    rel: list[str]
    follow: bool
    nofollow: bool
    ugc: bool
    sponsored: bool
    placement: str
    kind: str
    first_seen: datetime | None
    last_seen: datetime | None
    lost: bool
    lost_date: datetime | None
    lost_reason: str | None
    value: float | None  # the UR this link passes (docs/metrics.md)
    value_share: float | None  # its share of what the target URL receives by links, 0-1
    similar: int  # links this row stands for (1 unless aggregated)
    warc_file: str | None  # the capture of the referring page the link was read from
    warc_offset: int | None


@dataclass
class RefDomain:
    domain: str
    dr: float | None
    links: int
    followed_links: int
    first_seen: datetime | None
    last_seen: datetime | None
    lost: bool
    lost_date: datetime | None
    ip: str | None


@dataclass
class Anchor:
    anchor: str
    ref_domains: int
    links: int
    followed_share: float
    first_seen: datetime | None


def base_where(reader: IndexReader, target: Target, scope: str,
               query: ReportQuery | None = None) -> tuple[str, list[Any]]:
    """WHERE clause (over links `l`) of the external links to `target` in `scope` that pass
    the filters of `query` (none when it has none)."""
    pred, params = target.predicate("l.target")
    scope_sql, scope_params = scope_predicate(reader, scope, "l")
    where = [pred, EXTERNAL, scope_sql]
    params = params + scope_params
    if isinstance(query, LinkFilterQuery):
        extra, extra_params = filter_sql(reader, query)
        where += extra
        params += extra_params
    return " AND ".join(where), params


# The links table carries its source page's title, language, outlinks, IP, UR and DR (written
# by `linkscope rank`, or joined by open_index before it), so reports read one table.
BACKLINK_SELECT = """
    l.source, l.source_title, l.source_language, l.source_ur, l.source_outlinks, l.source_domain,
    l.source_dr, l.anchor, l.context, l.target, l.rel, l.follow, l.nofollow, l.ugc, l.sponsored,
    l.placement, l.kind, l.first_seen, l.last_seen, l.lost_date IS NOT NULL AS lost, l.lost_date,
    l.lost_reason, l.value, l.value_share, {similar} AS similar, l.warc_file, l.warc_offset"""
GROUPS = {"all": None, "domain": "l.source_domain",
          "similar": "l.source_domain, l.target, l.anchor, l.placement, l.kind"}
AGGREGATE_WORDS = {
    "all": "every link", "domain": "the best link of each referring domain",
    "similar": "similar links grouped (one row for the same link repeated over pages of one "
               "site; `similar` counts them)"}


def backlinks(reader: IndexReader, query: BacklinksQuery | str, **changes: Any) -> ReportResult:
    """The links to a target, with their referring page, its authority and the link's value."""
    q = as_query(BacklinksQuery, query, changes)
    parsed = known_target(reader, q.target, q.mode)
    if q.best:
        q = q.changed(rel=tuple(sorted(set(q.rel) | {"follow"})), placement=("content",),
                      sort=q.sort or "value")
    where, params = base_where(reader, parsed, q.scope, q)
    ranked = "rank" in reader.manifest
    ordering = order_by(q.sort, q.order, "value" if ranked else "first_seen")
    default_order = q.sort in (None, "value") and q.order == "desc" and ranked
    groups = GROUPS[q.aggregate]
    pick, similar = "", "1"
    if groups:
        best_first = ", ".join(f"l.{key}" for key in BEST_ORDER.split(", "))
        pick = f"QUALIFY row_number() OVER (PARTITION BY {groups} ORDER BY {best_first}) = 1"
        similar = f"count(*) OVER (PARTITION BY {groups})"
    source = f"FROM links l WHERE {where}"
    total: int | None = None
    page = None
    if q.aggregate == "domain" and summary_answers(reader, "best_links", parsed, q.scope, q):
        # one row per referring domain, chosen by `linkscope rank` (store/summaries.py)
        source, params, pick, similar = ("FROM best_links l WHERE l.target_domain = ?",
                                         [parsed.value], "", "l.similar")
        total = count_rows(reader, f"SELECT 1 {source}", params)
    elif q.aggregate == "all" and summary_answers(reader, "link_counts", parsed, q.scope, q):
        total = typed_links(reader, parsed.value, q.scope, q)
        if (default_order and summary_answers(reader, "top_links", parsed, q.scope, q)):
            page = top_links_page(reader, parsed.value, total, q.limit, q.offset)
    if page is None:
        # The page and the total are two queries: a window count over a million rows would
        # make DuckDB materialize every row before its top-N sort picks the page.
        cursor = reader.con.execute(f"""
            WITH chosen AS (SELECT {BACKLINK_SELECT.format(similar=similar)}, l.position
                            {source} {pick})
            SELECT * EXCLUDE (position) FROM chosen
            ORDER BY {ordering}, source, position LIMIT ? OFFSET ?""",
                                    params + [q.limit, q.offset])
        page = cursor.fetchall(), [d[0] for d in cursor.description]
    rows, names = page
    if total is None:
        counted = f"SELECT DISTINCT {groups}" if groups else "SELECT 1"
        total = count_rows(reader, f"{counted} FROM links l WHERE {where}", params)
    items = [Backlink(**dict(zip(names, row, strict=True))) for row in rows]
    counting = (f"{SCOPE_WORDS[q.scope]} from other domains to {parsed.value} ({parsed.mode}); "
                f"{AGGREGATE_WORDS[q.aggregate]}"
                + ("; best: followed links in content, by value" if q.best else ""))
    return ReportResult("backlinks", parsed.value, parsed.mode, q.scope, items, int(total),
                        q.limit, q.offset, counting, {"ranked": ranked}, row_type=Backlink)


def typed_links(reader: IndexReader, domain: str, scope: str, query: LinkFilterQuery) -> int:
    """The external links to a domain in a scope (live or all) that pass filters on their type,
    summed over the link_counts that `linkscope rank` wrote."""
    where, params = filter_sql(reader, query)
    found = reader.con.execute(f"""
        SELECT coalesce(sum({scope}_links), 0) FROM link_counts l
        WHERE {" AND ".join(["l.target_domain = ?", *where])}""", [domain, *params]).fetchall()
    return int(found[0][0])


def top_links_page(reader: IndexReader, domain: str, total: int, limit: int, offset: int
                   ) -> tuple[list[Any], list[str]] | None:
    """A page of a big domain's live links in the default order, from the first ones that
    `linkscope rank` kept; None when the page reaches past them (or the domain has none)."""
    cursor = reader.con.execute(f"""
        SELECT {BACKLINK_SELECT.format(similar=1)} FROM top_links l
        WHERE target_domain = ? AND rank > ? AND rank <= ? ORDER BY rank""",
                                [domain, offset, offset + limit])
    rows = cursor.fetchall()
    if len(rows) != max(0, min(limit, total - offset)):
        return None
    return rows, [d[0] for d in cursor.description]


def refdomains(reader: IndexReader, query: RefdomainsQuery | str,
               **changes: Any) -> ReportResult:
    """The domains that link to a target, with their DR and their links."""
    q = as_query(RefdomainsQuery, query, changes)
    parsed = known_target(reader, q.target, q.mode)
    where, params = base_where(reader, parsed, q.scope, q)
    ordering = order_by(q.sort, q.order, "dr" if "rank" in reader.manifest else "links")
    if summary_answers(reader, "refdomain_summary", parsed, q.scope, q):
        # the same rows, from the table `linkscope rank` wrote (store/summaries.py)
        s = q.scope
        grouped = f"""
            SELECT source_domain AS domain, dr, {s}_links AS links,
                   {s}_followed AS followed_links, {s}_first_seen AS first_seen,
                   {s}_last_seen AS last_seen,
                   {"false" if s == "live" else "live_links = 0"} AS lost,
                   {"NULL::TIMESTAMPTZ" if s == "live" else
                    "CASE WHEN live_links = 0 THEN all_lost_date END"} AS lost_date,
                   {s}_ip AS ip
            FROM refdomain_summary WHERE target_domain = ? AND {s}_links > 0"""
        params = [parsed.value]
    else:
        grouped = f"""
            SELECT l.source_domain AS domain, any_value(l.source_dr) AS dr, count(*) AS links,
                   count(*) FILTER (WHERE l.follow) AS followed_links,
                   min(l.first_seen) AS first_seen, max(l.last_seen) AS last_seen,
                   {ALL_LOST} AS lost,
                   CASE WHEN {ALL_LOST} THEN max(l.lost_date) END AS lost_date,
                   min(l.source_ip) AS ip
            FROM links l
            WHERE {where} AND l.source_domain IS NOT NULL
            GROUP BY l.source_domain"""
    rows, total = page_of(reader, grouped, params, f"{ordering}, domain", q.limit, q.offset)
    items = [RefDomain(*row) for row in rows]
    counting = (f"domains with at least one link among {SCOPE_WORDS[q.scope]} to "
                f"{parsed.value} ({parsed.mode}); a domain is lost when all its links are lost")
    return ReportResult("refdomains", parsed.value, parsed.mode, q.scope, items, total,
                        q.limit, q.offset, counting, row_type=RefDomain)


def anchors(reader: IndexReader, query: AnchorsQuery | str, **changes: Any) -> ReportResult:
    """The anchor texts of the links to a target."""
    q = as_query(AnchorsQuery, query, changes)
    parsed = known_target(reader, q.target, q.mode)
    where, params = base_where(reader, parsed, q.scope, q)
    ordering = order_by(q.sort, q.order, "ref_domains")
    if summary_answers(reader, "anchor_summary", parsed, q.scope, q):
        # the same rows, grouped by `linkscope rank` (store/summaries.py)
        s = q.scope
        grouped = f"""
            SELECT anchor, {s}_ref_domains AS ref_domains, {s}_links AS links,
                   {s}_followed_share AS followed_share, {s}_first_seen AS first_seen
            FROM anchor_summary WHERE target_domain = ? AND {s}_links > 0"""
        params = [parsed.value]
    else:
        grouped = f"""
            SELECT l.anchor, count(DISTINCT l.source_domain) AS ref_domains, count(*) AS links,
                   {FOLLOWED_SHARE} AS followed_share, min(l.first_seen) AS first_seen
            FROM links l
            WHERE {where}
            GROUP BY l.anchor"""
    rows, total = page_of(reader, grouped, params, f"{ordering}, anchor", q.limit, q.offset)
    items = [Anchor(*row) for row in rows]
    counting = (f"anchor texts of {SCOPE_WORDS[q.scope]} from other domains to {parsed.value} "
                f"({parsed.mode}); an image link's anchor is its alt text; empty anchors "
                f"are counted as ''")
    return ReportResult("anchors", parsed.value, parsed.mode, q.scope, items, total, q.limit,
                        q.offset, counting, row_type=Anchor)
