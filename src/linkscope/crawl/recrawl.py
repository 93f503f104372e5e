"""Recrawl: revisit pages already in the index, most valuable first, then oldest first.

A page's value is its UR when the index has a metrics table (`url_metrics`, or `metrics`) with
`url` and `ur` columns (the rank stage writes it), else the number of distinct live pages
linking to it. Among pages of equal value, the one fetched longest ago comes first. Every
URL the index has fetched is a candidate (pages that failed too: they may be back);
robots.txt files are not, since the crawler asks them anyway. The revisit fetches the
chosen URLs and the redirects they answer with (depth 0), and is ingested as a new
snapshot, so that new and lost links are found.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from linkscope.crawl.config import CrawlConfig
from linkscope.crawl.jobs import CrawlHooks, CrawlReport, run, start
from linkscope.errors import UsageError
from linkscope.extract import DEFAULT_LIMITS, ExtractLimits
from linkscope.store import open_index

METRIC_TABLES = ("url_metrics", "metrics")


def value_expression(columns: dict[str, list[str]]) -> tuple[str, str]:
    """(SQL join, SQL value) for the ordering: UR when a metrics table has it, else inlinks."""
    for table in METRIC_TABLES:
        if {"url", "ur"} <= set(columns.get(table, [])):
            return f"LEFT JOIN {table} m ON m.url = f.url", "m.ur"
    return "", "coalesce(i.inlinks, 0)"


def select_pages(index: Path, limit: int | None) -> list[str]:
    """The URLs to revisit, in order."""
    with open_index(index) as reader:
        columns = {table: [d[0] for d in reader.con.execute(
            f"SELECT * FROM {table} LIMIT 0").description]
            for table in reader.manifest["tables"]}
        join, value = value_expression(columns)
        rows = reader.con.execute(f"""
            WITH f AS (SELECT url, max(fetch_time) AS last FROM fetches GROUP BY url),
                 i AS (SELECT target AS url, count(DISTINCT source) AS inlinks FROM links
                       WHERE lost_date IS NULL AND source <> target GROUP BY target)
            SELECT f.url FROM f LEFT JOIN i ON i.url = f.url {join}
            WHERE f.url NOT LIKE '%/robots.txt'
            ORDER BY {value} DESC NULLS LAST, f.last ASC, f.url
            LIMIT ?""", [limit if limit is not None else 2**62]).fetchall()
    return [str(row[0]) for row in rows]


def recrawl(index: Path, template: CrawlConfig | None = None, max_pages: int | None = None,
            workers: int = 0, hooks: CrawlHooks | None = None,
            limits: ExtractLimits = DEFAULT_LIMITS) -> CrawlReport:
    """Revisit up to `max_pages` indexed pages with the politeness of `template`."""
    urls = tuple(select_pages(index, max_pages))
    if not urls:
        raise UsageError(f"the index {index} has no fetched pages to revisit", where="recrawl")
    base = template or CrawlConfig(seeds=urls)
    config = replace(base, seeds=urls, scope="site", max_depth=0, max_pages=max_pages,
                     kind="recrawl")
    return run(start(index, config), index, workers, hooks, limits)
