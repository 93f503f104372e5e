"""New and lost links and referring domains of a target over time, with the lost reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from linkscope.queries.reports import HistoryQuery
from linkscope.reports.links import base_where
from linkscope.reports.result import ReportResult, as_query
from linkscope.reports.target import known_target
from linkscope.store.catalog import IndexReader


@dataclass
class HistoryRow:
    period: date
    new_links: int
    lost_links: int
    new_refdomains: int
    lost_refdomains: int
    lost_reasons: dict[str, int]


def history(reader: IndexReader, query: HistoryQuery | str, **changes: Any) -> ReportResult:
    """New and lost links and referring domains by day, week or month."""
    q = as_query(HistoryQuery, query, changes)
    interval, limit, offset = q.interval, q.limit, q.offset
    parsed = known_target(reader, q.target, q.mode)
    where, params = base_where(reader, parsed, "all")
    rows = reader.con.execute(f"""
        WITH l AS (SELECT l.* FROM links l WHERE {where}),
        domains AS (
            SELECT source_domain, min(first_seen) AS first_seen,
                   CASE WHEN bool_and(lost_date IS NOT NULL) THEN max(lost_date) END AS lost
            FROM l GROUP BY source_domain),
        events AS (
            SELECT date_trunc('{interval}', first_seen) AS period, 'new_link' AS what,
                   NULL AS reason FROM l
            UNION ALL SELECT date_trunc('{interval}', lost_date), 'lost_link', lost_reason
                      FROM l WHERE lost_date IS NOT NULL
            UNION ALL SELECT date_trunc('{interval}', first_seen), 'new_domain', NULL
                      FROM domains
            UNION ALL SELECT date_trunc('{interval}', lost), 'lost_domain', NULL
                      FROM domains WHERE lost IS NOT NULL)
        SELECT CAST(period AS DATE), count(*) FILTER (WHERE what = 'new_link'),
               count(*) FILTER (WHERE what = 'lost_link'),
               count(*) FILTER (WHERE what = 'new_domain'),
               count(*) FILTER (WHERE what = 'lost_domain'),
               list(reason) FILTER (WHERE reason IS NOT NULL),
               count(*) OVER ()
        FROM events GROUP BY period ORDER BY period LIMIT ? OFFSET ?""",
                           params + [limit, offset]).fetchall()
    items = []
    for r in rows:
        reasons: dict[str, int] = {}
        for reason in r[5] or []:
            reasons[reason] = reasons.get(reason, 0) + 1
        items.append(HistoryRow(r[0], r[1], r[2], r[3], r[4], dict(sorted(reasons.items()))))
    total = rows[0][-1] if rows else 0
    counting = (f"links from other domains to {parsed.value} ({parsed.mode}) by the {interval} "
                f"they were first seen or lost; a referring domain is new with its first link "
                f"and lost when its last live link is lost")
    return ReportResult("history", parsed.value, parsed.mode, "all", items, int(total), limit,
                        offset, counting, {"interval": interval}, row_type=HistoryRow)
