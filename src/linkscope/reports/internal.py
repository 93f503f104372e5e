"""The internal link structure of a site: its pages by internal links and UR, and the pages
with few internal links (where internal links would pass authority to pages that need it)."""

from __future__ import annotations

from dataclasses import dataclass

from linkscope.reports.links import count_rows
from linkscope.reports.result import ReportResult, check_page, order_by
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


INTERNAL_SORTS = {"ur": "ur", "internal_inlinks": "internal_inlinks", "url": "url",
                  "external_backlinks": "external_backlinks",
                  "internal_outlinks": "internal_outlinks"}


def internal(reader: IndexReader, target: str, mode: str | None = None, sort: str | None = None,
             order: str = "desc", few_only: bool = False, limit: int = 50,
             offset: int = 0) -> ReportResult:
    check_page(limit, offset)
    parsed = known_target(reader, target, mode or ("prefix" if "://" in target else "domain"))
    pred, params = parsed.predicate(columns=("p.url", "p.host", "p.domain"))
    ordering = order_by(sort, order, INTERNAL_SORTS, "ur" if "rank" in reader.manifest
                        else "internal_inlinks")
    query = f"""
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
    rows = reader.con.execute(f"SELECT *, count(*) OVER () FROM ({query}) "
                              f"ORDER BY {ordering}, url LIMIT ? OFFSET ?",
                              all_params + [limit, offset]).fetchall()
    total = rows[0][-1] if rows else count_rows(reader, query, all_params)
    items = [InternalPage(*r[:-1]) for r in rows]
    counting = (f"pages of {parsed.value} ({parsed.mode}) that answered 200, with the live "
                f"internal links (same registrable domain, text and image, self-links "
                f"excluded) between them; flagged below {FEW_INTERNAL_LINKS} linking pages")
    return ReportResult("internal", parsed.value, parsed.mode, "live", items, int(total), limit,
                        offset, counting, row_type=InternalPage)
