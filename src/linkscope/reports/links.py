"""The link reports: backlinks, referring domains and anchors of a target.

All three count external links only (the source's registrable domain differs from the
target's); internal links have their own report (internal.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from linkscope.errors import UsageError
from linkscope.reports.filters import LinkFilters
from linkscope.reports.result import ReportResult, check_page, order_by
from linkscope.reports.target import Target, known_target, scope_predicate
from linkscope.store.catalog import IndexReader
from linkscope.store.summaries import BEST_ORDER, has_summary

AGGREGATIONS = ("all", "domain", "similar")
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
    value: float | None
    similar: int  # links this row stands for (1 unless aggregated)


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
               filters: LinkFilters | None = None) -> tuple[str, list[Any]]:
    """WHERE clause (over links `l`) of the
    external links to `target` in `scope` passing `filters`."""
    pred, params = target.predicate("l.target")
    scope_sql, scope_params = scope_predicate(reader, scope, "l")
    where = [pred, "l.source_domain IS DISTINCT FROM l.target_domain", scope_sql]
    params = params + scope_params
    if filters is not None:
        extra, extra_params = filters.sql(reader)
        where += extra
        params += extra_params
    return " AND ".join(where), params


# The links table carries its source page's title, language, outlinks, IP, UR and DR (written
# by `linkscope rank`, or joined by open_index before it), so reports read one table.
JOINS = "FROM links l"

BACKLINK_SORTS = {"value": "value", "source_ur": "source_ur", "source_dr": "source_dr",
                  "first_seen": "first_seen", "last_seen": "last_seen", "lost_date": "lost_date",
                  "anchor": "anchor", "source": "source", "similar": "\"similar\"",
                  "source_outlinks": "source_outlinks"}


BACKLINK_SELECT = """
    l.source, l.source_title, l.source_language, l.source_ur, l.source_outlinks, l.source_domain,
    l.source_dr, l.anchor, l.context, l.target, l.rel, l.follow, l.nofollow, l.ugc, l.sponsored,
    l.placement, l.kind, l.first_seen, l.last_seen, l.lost_date IS NOT NULL AS lost, l.lost_date,
    l.lost_reason, l.value, {similar} AS similar"""
DEFAULT_ORDER = "DESC NULLS LAST"


def backlinks(reader: IndexReader, target: str, mode: str | None = None, scope: str = "live",
              filters: LinkFilters | None = None, aggregate: str = "all", best: bool = False,
              sort: str | None = None, order: str = "desc", limit: int = 50,
              offset: int = 0) -> ReportResult:
    """The links to a target, with their referring page, its authority and the link's value."""
    check_page(limit, offset)
    if aggregate not in AGGREGATIONS:
        raise UsageError(f"unknown aggregation {aggregate!r}; use {', '.join(AGGREGATIONS)}",
                         where="aggregate")
    parsed = known_target(reader, target, mode)
    filters = filters or LinkFilters()
    if best:
        filters.rel = sorted(set(filters.rel) | {"follow"})
        filters.placement = ["content"]
        sort = sort or "value"
    where, params = base_where(reader, parsed, scope, filters)
    ranked = "rank" in reader.manifest
    ordering = order_by(sort, order, BACKLINK_SORTS, "value" if ranked else "first_seen")
    groups = {"all": None, "domain": "l.source_domain",
              "similar": "l.source_domain, l.target, l.anchor, l.placement, l.kind"}[aggregate]
    pick = ""
    similar = "1"
    if groups:
        best_first = ", ".join(f"l.{key}" for key in BEST_ORDER.split(", "))
        pick = f"QUALIFY row_number() OVER (PARTITION BY {groups} ORDER BY {best_first}) = 1"
        similar = f"count(*) OVER (PARTITION BY {groups})"
    source = f"{JOINS} WHERE {where}"
    # What `linkscope rank` summarized (store/summaries.py) gives the same rows and totals
    # for a domain: without filters, or filters on the link's type for the total.
    plain = parsed.mode == "domain" and scope == "live" and filters == LinkFilters()
    total: int | None = None
    if plain and aggregate == "domain" and has_summary(reader.manifest, "best_links"):
        source, params, pick, similar = ("FROM best_links l WHERE l.target_domain = ?",
                                         [parsed.value], "", "l.similar")
        total = count_rows(reader, f"SELECT 1 {source}", params)
    elif (aggregate == "all" and parsed.mode == "domain" and scope in ("live", "all")
          and filters == by_type(filters) and has_summary(reader.manifest, "link_counts")):
        total = typed_links(reader, parsed.value, scope, filters)
    page = None
    if (plain and total is not None and aggregate == "all"
            and ordering == f"value {DEFAULT_ORDER}" and has_summary(reader.manifest, "top_links")):
        page = top_links_page(reader, parsed.value, total, limit, offset)
    if page is None:
        # The page and the total are two queries: a window count over a million rows would
        # make DuckDB materialize every row before its top-N sort picks the page.
        cursor = reader.con.execute(f"""
            WITH chosen AS (SELECT {BACKLINK_SELECT.format(similar=similar)}, l.position
                            {source} {pick})
            SELECT * EXCLUDE (position) FROM chosen
            ORDER BY {ordering}, source, position LIMIT ? OFFSET ?""",
                                    params + [limit, offset])
        page = cursor.fetchall(), [d[0] for d in cursor.description]
    rows, names = page
    if total is None and groups:
        total = count_rows(reader, f"SELECT DISTINCT {groups} FROM links l WHERE {where}",
                           params)
    elif total is None:
        total = count_rows(reader, f"SELECT 1 FROM links l WHERE {where}", params)
    items = [Backlink(**dict(zip(names, row, strict=True))) for row in rows]
    words = {"all": "every link", "domain": "the best link of each referring domain",
             "similar": "similar links grouped (one row for the same link repeated over pages "
                        "of one site; `similar` counts them)"}[aggregate]
    counting = (f"{SCOPE_WORDS[scope]} from other domains to {parsed.value} ({parsed.mode}); "
                f"{words}" + ("; best: followed links in content, by value" if best else ""))
    return ReportResult("backlinks", parsed.value, parsed.mode, scope, items, int(total), limit,
                        offset, counting, {"ranked": ranked}, row_type=Backlink)


def by_type(filters: LinkFilters) -> LinkFilters:
    """The filters on a link's type only (rel, placement, kind): those link_counts answers."""
    return LinkFilters(rel=filters.rel, placement=filters.placement, kind=filters.kind)


def typed_links(reader: IndexReader, domain: str, scope: str, filters: LinkFilters) -> int:
    """The external links to a domain in a scope (live or all) that pass filters on their type,
    summed over the link_counts that `linkscope rank` wrote."""
    where, params = filters.sql(reader)
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


def count_rows(reader: IndexReader, query: str, params: list[Any]) -> int:
    """The number of rows of a query (for a page past the end, which holds no total)."""
    return int(reader.con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0][0])


REFDOMAIN_SORTS = {"dr": "dr", "links": "links", "followed_links": "followed_links",
                   "first_seen": "first_seen", "last_seen": "last_seen", "domain": "domain"}


def refdomains(reader: IndexReader, target: str, mode: str | None = None, scope: str = "live",
               filters: LinkFilters | None = None, sort: str | None = None,
               order: str = "desc", limit: int = 50, offset: int = 0) -> ReportResult:
    """The domains that link to a target, with their DR and their links."""
    check_page(limit, offset)
    parsed = known_target(reader, target, mode)
    filters = filters or LinkFilters()
    where, params = base_where(reader, parsed, scope, filters)
    ordering = order_by(sort, order, REFDOMAIN_SORTS, "dr" if "rank" in reader.manifest
                        else "links")
    if (parsed.mode == "domain" and scope in ("live", "all") and filters == LinkFilters()
            and has_summary(reader.manifest, "refdomain_summary")):
        # the same rows, from the table `linkscope rank` wrote (rank/job.py)
        s = scope
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
                   bool_and(l.lost_date IS NOT NULL) AS lost,
                   CASE WHEN bool_and(l.lost_date IS NOT NULL) THEN max(l.lost_date) END
                       AS lost_date,
                   min(l.source_ip) AS ip
            {JOINS}
            WHERE {where} AND l.source_domain IS NOT NULL
            GROUP BY l.source_domain"""
    sql = f"""WITH grouped AS ({grouped}) SELECT *, count(*) OVER () AS total FROM grouped
              ORDER BY {ordering}, domain LIMIT ? OFFSET ?"""
    rows = reader.con.execute(sql, params + [limit, offset]).fetchall()
    total = rows[0][-1] if rows else count_rows(reader, grouped, params)
    items = [RefDomain(*row[:-1]) for row in rows]
    counting = (f"domains with at least one link among {SCOPE_WORDS[scope]} to {parsed.value} "
                f"({parsed.mode}); a domain is lost when all its links are lost")
    return ReportResult("refdomains", parsed.value, parsed.mode, scope, items, int(total),
                        limit, offset, counting, row_type=RefDomain)


ANCHOR_SORTS = {"ref_domains": "ref_domains", "links": "links",
                "followed_share": "followed_share", "first_seen": "first_seen",
                "anchor": "anchor"}


def anchors(reader: IndexReader, target: str, mode: str | None = None, scope: str = "live",
            filters: LinkFilters | None = None, sort: str | None = None, order: str = "desc",
            limit: int = 50, offset: int = 0) -> ReportResult:
    """The anchor texts of the links to a target."""
    check_page(limit, offset)
    parsed = known_target(reader, target, mode)
    filters = filters or LinkFilters()
    where, params = base_where(reader, parsed, scope, filters)
    ordering = order_by(sort, order, ANCHOR_SORTS, "ref_domains")
    if (parsed.mode == "domain" and scope in ("live", "all") and filters == LinkFilters()
            and has_summary(reader.manifest, "anchor_summary")):
        # the same rows, grouped by `linkscope rank` (store/summaries.py)
        s = scope
        grouped = f"""
            SELECT anchor, {s}_ref_domains AS ref_domains, {s}_links AS links,
                   {s}_followed_share AS followed_share, {s}_first_seen AS first_seen
            FROM anchor_summary WHERE target_domain = ? AND {s}_links > 0"""
        params = [parsed.value]
    else:
        grouped = f"""
            SELECT l.anchor, count(DISTINCT l.source_domain) AS ref_domains, count(*) AS links,
                   avg(CASE WHEN l.follow THEN 1.0 ELSE 0.0 END) AS followed_share,
                   min(l.first_seen) AS first_seen
            {JOINS}
            WHERE {where}
            GROUP BY l.anchor"""
    sql = f"""WITH grouped AS ({grouped}) SELECT *, count(*) OVER () AS total FROM grouped
              ORDER BY {ordering}, anchor LIMIT ? OFFSET ?"""
    rows = reader.con.execute(sql, params + [limit, offset]).fetchall()
    total = rows[0][-1] if rows else count_rows(reader, grouped, params)
    items = [Anchor(*row[:-1]) for row in rows]
    counting = (f"anchor texts of {SCOPE_WORDS[scope]} from other domains to {parsed.value} "
                f"({parsed.mode}); an image link's anchor is its alt text; empty anchors "
                f"are counted as ''")
    return ReportResult("anchors", parsed.value, parsed.mode, scope, items, int(total), limit,
                        offset, counting, row_type=Anchor)
