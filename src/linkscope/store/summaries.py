"""Pre-aggregated summaries of the links table, so that a report on a big target reads a few
thousand rows instead of grouping its million links.

`linkscope rank` writes them (rank/job.py) into the generation it builds, from the links table
it has just written, and lists them in the manifest; an ingest drops them with the metric
tables. Every summary counts the external links to a target domain (the source's registrable
domain differs from it), as the link reports do.

    refdomain_summary  per (target domain, referring domain): live and all-time link counts,
                       followed links, first and last seen, smallest IP, the last lost date
    anchor_summary     per (target domain, anchor): live and all-time referring domains, links,
                       followed share, first seen
    target_summary     per target domain: live backlinks, referring domains, pages, IPs and /24
                       subnets, followed share; new and lost links (all links) since
                       `changes_since`, the index's latest date less CHANGE_DAYS
    link_counts        per target domain and link type (follow, ugc, sponsored, placement,
                       kind): live and all-time links, the totals of backlinks filtered by type
    best_links         per (target domain, referring domain) with live links: the best live link
                       (the row `backlinks --aggregate domain` shows) and how many live links
                       it stands for
    top_links          for each target domain with at least TOP_LINKS_MIN live links: its
                       first TOP_LINKS live links in the backlinks report's default order
                       (`rank` 1, 2, ...), the pages that a big site's backlinks open on

A report reads a summary only when it gives exactly what grouping the links would: a target in
`domain` mode, no filters, a scope the summary holds (see each report). Otherwise, and in a
generation without the summary (an index ranked by an older version), it groups the links.
Tests check each summary against the links it replaces (tests/reports/test_summaries.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

SUMMARY_TABLES = ("refdomain_summary", "anchor_summary", "target_summary", "link_counts",
                  "best_links", "top_links")
CHANGE_DAYS = 30  # the overview's "new and lost links in the last 30 days"
TOP_LINKS = 1000  # twenty pages of fifty
TOP_LINKS_MIN = 10_000  # below that many links, sorting a domain's links is quick enough
PARQUET = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)"

# The external links to a registrable domain (links from IP hosts, whose domain is NULL, too).
EXTERNAL = "target_domain IS NOT NULL AND source_domain IS DISTINCT FROM target_domain"
LIVE = "lost_date IS NULL"
FOLLOWED_SHARE = "avg(CASE WHEN follow THEN 1.0 ELSE 0.0 END)"
SUBNET = "CASE WHEN source_ip LIKE '%.%.%.%' THEN regexp_replace(source_ip, '\\.[0-9]+$', '') END"
# Which link of a referring domain is its best: the order `backlinks --aggregate domain` uses.
BEST_ORDER = ("value DESC NULLS LAST, source_ur DESC NULLS LAST, first_seen, source, position")
# The backlinks report's default order (a ranked index), `source, position` breaking ties.
TOP_ORDER = "value DESC NULLS LAST, source, position"
BACKLINK_COLUMNS = ("source, source_title, source_language, source_ur, source_outlinks, "
                    "source_domain, source_dr, anchor, context, target, rel, follow, nofollow, "
                    "ugc, sponsored, placement, kind, first_seen, last_seen, lost_date, "
                    "lost_reason, value, value_share, warc_file, warc_offset, position")


def has_summary(manifest: dict[str, Any], table: str) -> bool:
    return table in manifest.get("tables", ())


def changes_since(reference: datetime) -> datetime:
    """The start of the overview's window of new and lost links."""
    return reference - timedelta(days=CHANGE_DAYS)


def write_summaries(con: duckdb.DuckDBPyConnection, out: Path, top_links: int = TOP_LINKS,
                    top_links_min: int = TOP_LINKS_MIN) -> None:
    """Write every summary table of the generation in `out` from its links.parquet (which
    carries value, source_ur, source_dr and source_ip) and fetches.parquet (the index's date),
    in the order of SUMMARY_TABLES (top_links reads target_summary)."""
    links = f"read_parquet('{out / 'links.parquet'}')"
    reference = con.execute(
        f"SELECT max(fetch_time) FROM read_parquet('{out / 'fetches.parquet'}')").fetchall()[0][0]
    since = (f"TIMESTAMPTZ '{changes_since(reference).isoformat()}'" if reference is not None
             else "NULL::TIMESTAMPTZ")
    statements = {
        "refdomain_summary": f"""
            SELECT target_domain, source_domain, any_value(source_dr) AS dr,
                   count(*) FILTER (WHERE {LIVE}) AS live_links,
                   count(*) FILTER (WHERE {LIVE} AND follow) AS live_followed,
                   min(first_seen) FILTER (WHERE {LIVE}) AS live_first_seen,
                   max(last_seen) FILTER (WHERE {LIVE}) AS live_last_seen,
                   min(source_ip) FILTER (WHERE {LIVE}) AS live_ip,
                   count(*) AS all_links, count(*) FILTER (WHERE follow) AS all_followed,
                   min(first_seen) AS all_first_seen, max(last_seen) AS all_last_seen,
                   max(lost_date) AS all_lost_date, min(source_ip) AS all_ip
            FROM {links} WHERE {EXTERNAL} AND source_domain IS NOT NULL
            GROUP BY target_domain, source_domain ORDER BY target_domain, source_domain""",
        "anchor_summary": f"""
            SELECT target_domain, anchor,
                   count(DISTINCT source_domain) FILTER (WHERE {LIVE}) AS live_ref_domains,
                   count(*) FILTER (WHERE {LIVE}) AS live_links,
                   {FOLLOWED_SHARE} FILTER (WHERE {LIVE}) AS live_followed_share,
                   min(first_seen) FILTER (WHERE {LIVE}) AS live_first_seen,
                   count(DISTINCT source_domain) AS all_ref_domains, count(*) AS all_links,
                   {FOLLOWED_SHARE} AS all_followed_share, min(first_seen) AS all_first_seen
            FROM {links} WHERE {EXTERNAL}
            GROUP BY target_domain, anchor ORDER BY target_domain, anchor""",
        "target_summary": f"""
            SELECT target_domain,
                   count(*) FILTER (WHERE {LIVE}) AS live_links,
                   count(DISTINCT source_domain) FILTER (WHERE {LIVE}) AS live_ref_domains,
                   count(DISTINCT source) FILTER (WHERE {LIVE}) AS live_ref_pages,
                   count(DISTINCT source_ip) FILTER (WHERE {LIVE}) AS live_ref_ips,
                   count(DISTINCT {SUBNET}) FILTER (WHERE {LIVE}) AS live_ref_subnets,
                   coalesce({FOLLOWED_SHARE} FILTER (WHERE {LIVE}), 0) AS live_followed_share,
                   {since} AS changes_since,
                   count(*) FILTER (WHERE first_seen >= {since}) AS new_links,
                   count(*) FILTER (WHERE lost_date >= {since}) AS lost_links
            FROM {links} WHERE {EXTERNAL}
            GROUP BY target_domain ORDER BY target_domain""",
        "link_counts": f"""
            SELECT target_domain, follow, ugc, sponsored, placement, kind,
                   count(*) FILTER (WHERE {LIVE}) AS live_links, count(*) AS all_links
            FROM {links} WHERE {EXTERNAL}
            GROUP BY ALL ORDER BY ALL""",
        "best_links": f"""
            SELECT target_domain, {BACKLINK_COLUMNS},
                   count(*) OVER (PARTITION BY target_domain, source_domain) AS similar
            FROM {links} WHERE {EXTERNAL} AND {LIVE}
            QUALIFY row_number() OVER (PARTITION BY target_domain, source_domain
                                       ORDER BY {BEST_ORDER}) = 1
            ORDER BY target_domain, source_domain""",
        "top_links": f"""
            SELECT target_domain, {BACKLINK_COLUMNS},
                   row_number() OVER (PARTITION BY target_domain ORDER BY {TOP_ORDER}) AS rank
            FROM {links} WHERE {EXTERNAL} AND {LIVE} AND target_domain IN (
                SELECT target_domain FROM read_parquet('{out / 'target_summary.parquet'}')
                WHERE live_links >= {top_links_min})
            QUALIFY rank <= {top_links}
            ORDER BY target_domain, rank""",
    }
    for table, query in statements.items():
        con.execute(f"COPY ({query}) TO '{out / (table + '.parquet')}' {PARQUET}")
