"""The overview of a target: its authority, its link counts, and how its profile moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from linkscope.reports.links import SCOPE_WORDS, base_where
from linkscope.reports.result import ReportResult
from linkscope.reports.target import known_target, reference_date
from linkscope.store.catalog import IndexReader

RECENT_CHANGE_DAYS = 30


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


def overview(reader: IndexReader, target: str, mode: str | None = None,
             scope: str = "live") -> ReportResult:
    parsed = known_target(reader, target, mode)
    where, params = base_where(reader, parsed, scope)
    con = reader.con.cursor()  # its own temp table, safe beside other requests
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ov AS
                    SELECT l.source, l.source_domain, l.source_ip AS ip, l.source_dr,
                           l.anchor, l.follow, l.first_seen, l.lost_date
                    FROM links l WHERE {where}""", params)
    counts = con.execute("""
        SELECT count(*), count(DISTINCT source_domain), count(DISTINCT source),
               count(DISTINCT ip),
               count(DISTINCT CASE WHEN ip LIKE '%.%.%.%'
                                   THEN regexp_replace(ip, '\\.[0-9]+$', '') END),
               coalesce(avg(CASE WHEN follow THEN 1.0 ELSE 0.0 END), 0)
        FROM ov""").fetchall()[0]
    ref = reference_date(reader)
    since = ref - timedelta(days=RECENT_CHANGE_DAYS)
    every_where, every_params = base_where(reader, parsed, "all")
    new, lost = con.execute(f"""
        SELECT count(*) FILTER (WHERE first_seen >= ?),
               count(*) FILTER (WHERE lost_date >= ?) FROM links l
        WHERE {every_where}""", [since, since] + every_params).fetchall()[0]
    anchors = con.execute("""
        SELECT anchor, count(DISTINCT source_domain) AS ref_domains, count(*) AS links
        FROM ov GROUP BY anchor ORDER BY ref_domains DESC, links DESC, anchor LIMIT 10
        """).fetchall()
    bands = dict(con.execute("""
        SELECT CAST(least(floor(coalesce(dr, 0) / 10), 9) AS INTEGER) AS band, count(*)
        FROM (SELECT source_domain, any_value(source_dr) AS dr FROM ov GROUP BY 1)
        GROUP BY band""").fetchall())
    over_time = con.execute("""
        WITH dates AS (SELECT DISTINCT CAST(fetch_time AS DATE) AS day FROM fetches)
        SELECT d.day, count(DISTINCT o.source_domain) FROM dates d
        LEFT JOIN ov o ON CAST(o.first_seen AS DATE) <= d.day
             AND (o.lost_date IS NULL OR CAST(o.lost_date AS DATE) > d.day)
        GROUP BY d.day ORDER BY d.day""").fetchall()
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
    con.close()
    return ReportResult("overview", parsed.value, parsed.mode, scope, [result], 1, 1, 0,
                        counting, {"ranked": "rank" in reader.manifest}, row_type=Overview)


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
