"""The internal link structure of a site: its pages by internal links and UR, and the pages
with few internal links (where internal links would pass authority to pages that need it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkscope.queries.reports import InternalQuery
from linkscope.reports.plan import page_of
from linkscope.reports.result import ReportResult, as_query, order_by
from linkscope.reports.target import known_target
from linkscope.store.catalog import IndexReader

FEW_INTERNAL_LINKS = 3  # pages linked from fewer internal pages than this are flagged


@dataclass
class InternalPage:
    url: str
    title: str | None
    status: int | None
    internal_inlinks: int  # distinct pages of the same domain linking to it (live links)
    internal_outlinks: int
    external_backlinks: int
    ur: float | None
    few_internal_links: bool


def internal(reader: IndexReader, query: InternalQuery | str, **changes: Any) -> ReportResult:
    """A site's pages that answered 200, by internal links and UR."""
    q = as_query(InternalQuery, query, changes)
    target, few_only = q.target, q.few
    parsed = known_target(reader, target, q.mode or ("prefix" if "://" in target else "domain"))
    pred, params = parsed.predicate(columns=("p.url", "p.host", "p.domain"))
    ordering = order_by(q.sort, q.order, "ur" if "rank" in reader.manifest
                        else "internal_inlinks")
    sql = f"""
        WITH site AS (SELECT url, title, status FROM pages p WHERE {pred}),
        inl AS (SELECT target AS url, count(DISTINCT source) AS n FROM links
                WHERE target_domain = ? AND source_domain = target_domain AND source <> target
                      AND lost_date IS NULL AND kind IN ('text', 'image') GROUP BY target),
        outl AS (SELECT source AS url, count(DISTINCT target) AS n FROM links
                 WHERE source_domain = ? AND source_domain = target_domain
                       AND source <> target AND lost_date IS NULL GROUP BY source),
        ext AS (SELECT target AS url, count(*) AS n FROM links
                WHERE target_domain = ? AND source_domain IS DISTINCT FROM target_domain
                      AND lost_date IS NULL GROUP BY target)
        SELECT s.url, s.title, s.status, coalesce(inl.n, 0) AS internal_inlinks,
               coalesce(outl.n, 0) AS internal_outlinks, coalesce(ext.n, 0) AS
               external_backlinks, um.ur, coalesce(inl.n, 0) < {FEW_INTERNAL_LINKS} AS
               few_internal_links
        FROM site s LEFT JOIN inl USING (url) LEFT JOIN outl USING (url)
        LEFT JOIN ext USING (url) LEFT JOIN url_metrics um USING (url)
        WHERE s.status = 200 {"AND coalesce(inl.n, 0) < " + str(FEW_INTERNAL_LINKS)
                              if few_only else ""}"""
    all_params = params + [parsed.domain] * 3
    rows, total = page_of(reader, sql, all_params, f"{ordering}, url", q.limit, q.offset)
    items = [InternalPage(*r) for r in rows]
    counting = (f"pages of {parsed.value} ({parsed.mode}) that answered 200, with the live "
                f"internal links (same registrable domain, text and image, self-links "
                f"excluded) between them; flagged below {FEW_INTERNAL_LINKS} linking pages")
    return ReportResult("internal", parsed.value, parsed.mode, "live", items, total, q.limit,
                        q.offset, counting, row_type=InternalPage)
