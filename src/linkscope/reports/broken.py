"""Broken links: backlinks to a target's URLs that answer 4xx or 5xx or fail (to reclaim with
redirects), and, with outgoing=True, the target's own links to dead pages elsewhere (the
broken-link-building prospect list). A URL is dead by its latest fetch in the index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from linkscope.queries.reports import BrokenQuery
from linkscope.reports.links import SCOPE_WORDS, base_where
from linkscope.reports.plan import CONTENT_KINDS, DEAD, EXTERNAL, LATEST_FETCH, page_of
from linkscope.reports.result import ReportResult, as_query
from linkscope.reports.target import Target, known_target, scope_predicate
from linkscope.store.catalog import IndexReader


@dataclass
class BrokenBacklink:
    source: str
    source_domain: str | None
    source_dr: float | None
    anchor: str
    target: str
    status: int | None
    error: str | None
    checked: datetime | None
    follow: bool
    first_seen: datetime | None


@dataclass
class DeadTarget:
    url: str
    status: int | None
    error: str | None
    checked: datetime | None
    referring_pages: int
    sources: list[str]
    anchors: list[str]


def broken(reader: IndexReader, query: BrokenQuery | str, **changes: Any) -> ReportResult:
    """Broken backlinks of a target, or (outgoing) the dead pages it links to."""
    q = as_query(BrokenQuery, query, changes)
    scope, limit, offset = q.scope, q.limit, q.offset
    parsed = known_target(reader, q.target, q.mode)
    if q.outgoing:
        return _outgoing(reader, parsed, scope, limit, offset)
    where, params = base_where(reader, parsed, scope)
    fetch_where = "WHERE domain IS NOT DISTINCT FROM ?"
    sql = f"""
        SELECT l.source, l.source_domain, l.source_dr AS dr, l.anchor, l.target, f.status, f.error,
               f.checked, l.follow, l.first_seen
        FROM links l JOIN ({LATEST_FETCH.format(where=fetch_where)}) f ON f.url = l.target
        WHERE {where} AND {DEAD}"""
    all_params = [parsed.domain] + params
    rows, total = page_of(reader, sql, all_params, "dr DESC NULLS LAST, target, source",
                          limit, offset)
    items = [BrokenBacklink(*r) for r in rows]
    counting = (f"{SCOPE_WORDS[scope]} from other domains to URLs of {parsed.value} "
                f"({parsed.mode}) whose latest fetch answered 4xx or 5xx or failed")
    return ReportResult("broken", parsed.value, parsed.mode, scope, items, total, limit,
                        offset, counting, {"outgoing": False}, row_type=BrokenBacklink)


def _outgoing(reader: IndexReader, parsed: Target, scope: str, limit: int,
              offset: int) -> ReportResult:
    pred, params = parsed.predicate("l.source")
    scope_sql, scope_params = scope_predicate(reader, scope, "l")
    sql = f"""
        SELECT l.target AS url, any_value(f.status) AS status, any_value(f.error) AS error,
               any_value(f.checked) AS checked, count(DISTINCT l.source) AS referring_pages,
               list(DISTINCT l.source ORDER BY l.source)[1:10] AS sources,
               list(DISTINCT l.anchor ORDER BY l.anchor)[1:10] AS anchors
        FROM links l JOIN ({LATEST_FETCH.format(where='')}) f ON f.url = l.target
        WHERE {pred} AND {scope_sql} AND {DEAD} AND {CONTENT_KINDS} AND {EXTERNAL}
        GROUP BY l.target"""
    all_params = params + scope_params
    rows, total = page_of(reader, sql, all_params, "referring_pages DESC, url", limit, offset)
    items = [DeadTarget(*r) for r in rows]
    counting = (f"dead URLs on other domains (latest fetch 4xx, 5xx or failed) that pages of "
                f"{parsed.value} "
                f"({parsed.mode}) link to, over {SCOPE_WORDS[scope]}, grouped by dead URL")
    return ReportResult("broken", parsed.value, parsed.mode, scope, items, total, limit,
                        offset, counting, {"outgoing": True}, row_type=DeadTarget)
