"""The overview of a target: its authority, its link counts, and how its profile moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from linkscope.queries.reports import OverviewQuery
from linkscope.reports.links import SCOPE_WORDS, base_where
from linkscope.reports.plan import summary_answers
from linkscope.reports.result import ReportResult, as_query
from linkscope.reports.target import Target, known_target, reference_date
from linkscope.store.catalog import IndexReader
from linkscope.store.summaries import (
    CHANGE_DAYS,
    FOLLOWED_SHARE,
    SUBNET,
    changes_since,
)

RECENT_CHANGE_DAYS = CHANGE_DAYS


@dataclass
class Overview:
    dr: float | None
    ur: float | None  # of the exact URL, or of the domain's or host's home page
    backlinks: int
    referring_domains: int
    referring_pages: int
    referring_ips: int
    referring_subnets: int  # /24 for IPv4
    followed_share: float
    new_links_30d: int
    lost_links_30d: int
    top_anchors: list[dict[str, Any]]
    dr_distribution: list[dict[str, Any]]  # referring domains by DR band of 10
    refdomains_over_time: list[dict[str, Any]]  # live referring domains at each snapshot date


def overview(reader: IndexReader, query: OverviewQuery | str, **changes: Any) -> ReportResult:
    """A target's authority and link counts; a domain's live links come from the summaries
    that `linkscope rank` wrote, anything else from its links (the same figures)."""
    q = as_query(OverviewQuery, query, changes)
    parsed = known_target(reader, q.target, q.mode)
    scope = q.scope
    ref = reference_date(reader)
    since = changes_since(ref)
    con = reader.con.cursor()  # its own temp table, safe beside other requests
    try:
        if all(summary_answers(reader, t, parsed, scope, q) for t in SUMMARIES):
            figures = _from_summaries(con, reader, parsed, since)
        else:
            figures = _from_links(con, reader, parsed, scope, since)
    finally:
        con.close()
    counts, (new, lost), anchors, bands, over_time = figures
    dr, ur = _authority(reader, parsed.mode, parsed.value, parsed.domain)
    result = Overview(
        dr=dr, ur=ur, backlinks=counts[0], referring_domains=counts[1],
        referring_pages=counts[2], referring_ips=counts[3], referring_subnets=counts[4],
        followed_share=float(counts[5]), new_links_30d=new, lost_links_30d=lost,
        top_anchors=[{"anchor": a, "ref_domains": d, "links": n} for a, d, n in anchors],
        dr_distribution=[{"band": f"{b * 10}-{b * 10 + 10}", "ref_domains": bands.get(b, 0)}
                         for b in range(10)],
        refdomains_over_time=[{"date": d, "ref_domains": n} for d, n in over_time])
    counting = (f"{SCOPE_WORDS[scope]} from other domains to {parsed.value} ({parsed.mode}); "
                f"new and lost: the {RECENT_CHANGE_DAYS} days before {ref.date()}, the latest "
                f"date in the index; referring domains over time: live at each crawl date")
    return ReportResult("overview", parsed.value, parsed.mode, scope, [result], 1, 1, 0,
                        counting, {"ranked": "rank" in reader.manifest}, row_type=Overview)


Figures = tuple[tuple[Any, ...], tuple[int, int], list[Any], dict[int, int], list[Any]]
SUMMARIES = ("target_summary", "anchor_summary", "refdomain_summary")
BAND = "CAST(least(floor(coalesce(dr, 0) / 10), 9) AS INTEGER)"


def _from_links(con: duckdb.DuckDBPyConnection, reader: IndexReader, parsed: Target,
                scope: str, since: datetime) -> Figures:
    """The overview's figures, grouped from the target's links."""
    where, params = base_where(reader, parsed, scope)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ov AS
                    SELECT l.source, l.source_domain, l.source_ip AS source_ip, l.source_dr,
                           l.anchor, l.follow, l.first_seen, l.lost_date
                    FROM links l WHERE {where}""", params)
    counts = con.execute(f"""
        SELECT count(*), count(DISTINCT source_domain), count(DISTINCT source),
               count(DISTINCT source_ip), count(DISTINCT {SUBNET}),
               coalesce({FOLLOWED_SHARE}, 0)
        FROM ov""").fetchall()[0]
    anchors = con.execute("""
        SELECT anchor, count(DISTINCT source_domain) AS ref_domains, count(*) AS links
        FROM ov GROUP BY anchor ORDER BY ref_domains DESC, links DESC, anchor LIMIT 10
        """).fetchall()
    bands = dict(con.execute(f"""
        SELECT {BAND} AS band, count(*)
        FROM (SELECT source_domain, any_value(source_dr) AS dr FROM ov
              WHERE source_domain IS NOT NULL GROUP BY 1)
        GROUP BY band""").fetchall())
    over_time = con.execute("""
        WITH dates AS (SELECT unnest(?::DATE[]) AS day)
        SELECT d.day, count(DISTINCT o.source_domain) FROM dates d
        LEFT JOIN ov o ON CAST(o.first_seen AS DATE) <= d.day
             AND (o.lost_date IS NULL OR CAST(o.lost_date AS DATE) > d.day)
        GROUP BY d.day ORDER BY d.day""", [snapshot_days(reader)]).fetchall()
    return counts, _changes(con, reader, parsed, since), anchors, bands, over_time


def _from_summaries(con: duckdb.DuckDBPyConnection, reader: IndexReader, parsed: Target,
                    since: datetime) -> Figures:
    """The same figures for the live links to a domain, from the summaries that `linkscope
    rank` wrote (store/summaries.py): a few thousand rows instead of the domain's links."""
    domain = parsed.value
    row = con.execute("""
        SELECT live_links, live_ref_domains, live_ref_pages, live_ref_ips, live_ref_subnets,
               live_followed_share, changes_since, new_links, lost_links
        FROM target_summary WHERE target_domain = ?""", [domain]).fetchall()
    counts: tuple[Any, ...] = row[0][:6] if row else (0, 0, 0, 0, 0, 0.0)
    if not row:
        changes = (0, 0)  # no external link ever
    elif row[0][6] == since:
        changes = (row[0][7], row[0][8])
    else:  # summarized against another date than this generation's (not written by rank)
        changes = _changes(con, reader, parsed, since)
    anchors = con.execute("""
        SELECT anchor, live_ref_domains, live_links FROM anchor_summary
        WHERE target_domain = ? AND live_links > 0
        ORDER BY live_ref_domains DESC, live_links DESC, anchor LIMIT 10""",
                          [domain]).fetchall()
    live = "FROM refdomain_summary WHERE target_domain = ? AND live_links > 0"
    bands = dict(con.execute(f"SELECT {BAND} AS band, count(*) {live} GROUP BY band",
                             [domain]).fetchall())
    # A live referring domain is live at every date from its first live link's.
    over_time = con.execute(f"""
        WITH dates AS (SELECT unnest(?::DATE[]) AS day),
             firsts AS (SELECT CAST(live_first_seen AS DATE) AS first_day {live})
        SELECT d.day, count(f.first_day) FROM dates d
        LEFT JOIN firsts f ON f.first_day <= d.day
        GROUP BY d.day ORDER BY d.day""", [snapshot_days(reader), domain]).fetchall()
    return counts, changes, anchors, bands, over_time


def _changes(con: duckdb.DuckDBPyConnection, reader: IndexReader, parsed: Target,
             since: datetime) -> tuple[int, int]:
    """New and lost links (of every scope) since a date."""
    where, params = base_where(reader, parsed, "all")
    new, lost = con.execute(f"""
        SELECT count(*) FILTER (WHERE first_seen >= ?),
               count(*) FILTER (WHERE lost_date >= ?) FROM links l
        WHERE {where}""", [since, since] + params).fetchall()[0]
    return int(new), int(lost)


def snapshot_days(reader: IndexReader) -> list[date]:
    """The dates of the index's fetches, read once per opened generation (`reader.memo`; a
    process-wide cache keyed by path would outlive an index rebuilt at the same path)."""
    days: list[date] | None = reader.memo.get("snapshot_days")
    if days is None:
        days = reader.memo["snapshot_days"] = [r[0] for r in reader.con.execute(
            "SELECT DISTINCT CAST(fetch_time AS DATE) AS day FROM fetches "
            "WHERE fetch_time IS NOT NULL ORDER BY day").fetchall()]
    return days


def _authority(reader: IndexReader, mode: str, value: str, domain: str | None
               ) -> tuple[float | None, float | None]:
    """DR of the target's domain; UR of the exact URL, or of the home page of the domain or
    host (its root URL on the bare or www host, any scheme or port)."""
    dr_row = reader.con.execute("SELECT dr FROM domain_metrics WHERE domain = ?",
                                [domain]).fetchall()
    if mode in ("exact", "prefix"):
        urls = [value]
    else:
        hosts = [value, f"www.{value}"]
        urls = [r[0] for r in reader.con.execute(
            "SELECT url FROM pages WHERE domain = ? AND host IN (?, ?) AND "
            "regexp_matches(url, '^https?://[^/]+/$')", [domain, *hosts]).fetchall()]
    ur = None
    if urls:
        row = reader.con.execute(
            f"SELECT max(ur) FROM url_metrics WHERE url IN ({', '.join('?' for _ in urls)})",
            urls).fetchall()
        ur = row[0][0]
    return (float(dr_row[0][0]) if dr_row and dr_row[0][0] is not None else None,
            float(ur) if ur is not None else None)
