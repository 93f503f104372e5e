"""The one place that decides whether a summary answers a query, and the SQL the reports share.

`linkscope rank` writes per-target summaries (store/summaries.py). A summary may answer a
report only when it gives exactly what grouping the links would: the target is a whole
registrable domain, the scope is one the summary holds, and the query sets no filter the
summary cannot apply. Each summary's reach is declared once in `REACH`; the reports ask
`summary_answers()` and add only their own conditions (an order, an aggregation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkscope.queries.model import LinkFilterQuery, ReportQuery
from linkscope.reports.target import Target
from linkscope.store.catalog import IndexReader
from linkscope.store.summaries import has_summary

TYPE_FILTERS = ("rel", "placement", "kind")  # the filters link_counts can apply


@dataclass(frozen=True)
class Reach:
    scopes: tuple[str, ...]  # the scopes the summary holds
    filters: tuple[str, ...] = ()  # the filters it can apply (by field name)


REACH: dict[str, Reach] = {
    "refdomain_summary": Reach(("live", "all")),
    "anchor_summary": Reach(("live", "all")),
    "target_summary": Reach(("live",)),
    "link_counts": Reach(("live", "all"), TYPE_FILTERS),
    "best_links": Reach(("live",)),
    "top_links": Reach(("live",)),
}


def set_filters(query: ReportQuery) -> set[str]:
    """The names of the filters a query sets (none for a report without filters)."""
    return query.set_filters() if isinstance(query, LinkFilterQuery) else set()


def summary_answers(reader: IndexReader, table: str, target: Target, scope: str,
                    query: ReportQuery) -> bool:
    """Whether `table` gives exactly the rows that grouping the links of `query` would."""
    reach = REACH[table]
    return (target.mode == "domain" and scope in reach.scopes
            and set_filters(query) <= set(reach.filters)
            and has_summary(reader.manifest, table))


# Named fragments over links `l` (which carry their source page's IP, UR and DR).
EXTERNAL = "l.source_domain IS DISTINCT FROM l.target_domain"
LIVE = "l.lost_date IS NULL"
FOLLOWED_SHARE = "avg(CASE WHEN l.follow THEN 1.0 ELSE 0.0 END)"
ALL_LOST = "bool_and(l.lost_date IS NOT NULL)"  # a group whose every link is lost
# A dead URL by its latest fetch in the index: 4xx, 5xx, or no answer at all.
LATEST_FETCH = """
    SELECT url, arg_max(status, fetch_time) AS status, arg_max(error, fetch_time) AS error,
           max(fetch_time) AS checked
    FROM fetches {where} GROUP BY url"""
DEAD = "(f.status IS NULL OR f.status >= 400)"
CONTENT_KINDS = "l.kind IN ('text', 'image')"  # links a reader follows, not page metadata


def page_of(reader: IndexReader, grouped: str, params: list[Any], ordering: str,
            limit: int, offset: int) -> tuple[list[tuple[Any, ...]], int]:
    """One page of the rows of a query, in an order, and how many rows there are in all."""
    rows = reader.con.execute(
        f"SELECT *, count(*) OVER () AS total FROM ({grouped}) "
        f"ORDER BY {ordering} LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
    total = rows[0][-1] if rows else count_rows(reader, grouped, params)
    return [row[:-1] for row in rows], int(total)


def count_rows(reader: IndexReader, query: str, params: list[Any]) -> int:
    """The number of rows of a query (for a page past the end, which holds no total)."""
    return int(reader.con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0][0])
