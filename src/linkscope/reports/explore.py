"""Link intersect and link-based competitors: where others get links that a target does not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkscope.errors import UsageError
from linkscope.queries.reports import CompetitorsQuery, IntersectQuery
from linkscope.reports.links import SCOPE_WORDS, base_where
from linkscope.reports.plan import EXTERNAL, count_rows, page_of, summary_answers
from linkscope.reports.result import ReportResult, as_query
from linkscope.reports.target import known_target, parse_target, scope_predicate
from linkscope.store.catalog import IndexReader
from linkscope.store.summaries import has_summary


@dataclass
class IntersectRow:
    referrer: str  # a referring domain, or a referring page with pages=True
    dr: float | None
    competitors: int  # how many of the competitors it links to
    links: dict[str, int]  # links to each competitor it links to


@dataclass
class CompetitorRow:
    domain: str
    dr: float | None
    shared_domains: int  # referring domains shared with the target
    their_domains: int  # all referring domains of the competitor
    share_of_target: float  # shared / the target's referring domains
    shared_sample: list[str]


def intersect(reader: IndexReader,
              query: IntersectQuery | list[str] | tuple[str, ...] | None = None,
              **changes: Any) -> ReportResult:
    """Referring domains (or pages) that link to at least `min_count` of the competitors and
    not to `not_target`. No cap on the number of competitors."""
    q = as_query(IntersectQuery, query, changes)
    competitors, not_target, min_count, pages = (list(q.competitors), q.not_target,
                                                 q.min_count, q.pages)
    mode, scope, limit, offset = q.mode, q.scope, q.limit, q.offset
    if not competitors:
        raise UsageError("give at least one competitor", where="competitors")
    if not 1 <= min_count <= len(competitors):
        raise UsageError(f"must be between 1 and the number of competitors "
                         f"({len(competitors)}), got {min_count}", where="min")
    unit = "l.source" if pages else "l.source_domain"
    parts, params, names = [], [], []
    for k, competitor in enumerate(competitors):
        target = known_target(reader, competitor, mode, where="competitors")
        names.append(target.value)
        # A referring domain's links to a domain, counted by `linkscope rank`
        # (store/summaries.py): the same counts as grouping the links, from fewer rows.
        if not pages and summary_answers(reader, "refdomain_summary", target, scope, q):
            parts.append(f"SELECT {k} AS k, source_domain AS referrer, source_domain AS domain,"
                         f" {scope}_links AS n FROM refdomain_summary"
                         f" WHERE target_domain = ? AND {scope}_links > 0")
            params.append(target.value)
            continue
        where, p = base_where(reader, target, scope)
        parts.append(f"SELECT {k} AS k, {unit} AS referrer, l.source_domain AS domain, "
                     f"count(*) AS n FROM links l WHERE {where} AND {unit} IS NOT NULL "
                     f"GROUP BY ALL")
        params += p
    exclude, exclude_params, excluded = "", list[object](), ""
    if not_target:
        target = parse_target(not_target, mode, where="not")
        excluded = f" and none to {target.value}"
        if not pages and summary_answers(reader, "refdomain_summary", target, scope, q):
            exclude = (f"WHERE referrer NOT IN (SELECT source_domain FROM refdomain_summary "
                       f"WHERE target_domain = ? AND {scope}_links > 0)")
            exclude_params = [target.value]
        else:
            where, exclude_params = base_where(reader, target, scope)
            exclude = (f"WHERE referrer NOT IN (SELECT {unit} FROM links l WHERE {where} "
                       f"AND {unit} IS NOT NULL)")
    hits = " UNION ALL ".join(parts)  # one row per competitor and referrer
    grouped = f"""
        SELECT referrer, any_value(domain) AS domain, count(*) AS competitors
        FROM ({hits}) hits {exclude}
        GROUP BY referrer HAVING count(*) >= ?"""
    all_params = params + exclude_params + [min_count]
    # The page first, then the links to each competitor of the page's referrers only.
    rows = reader.con.execute(f"""
        WITH g AS ({grouped}),
        page AS (SELECT g.referrer, dm.dr, g.competitors, count(*) OVER () AS total
                 FROM g LEFT JOIN domain_metrics dm ON dm.domain = g.domain
                 ORDER BY g.competitors DESC, dm.dr DESC NULLS LAST, g.referrer
                 LIMIT ? OFFSET ?)
        SELECT p.referrer, p.dr, p.competitors,
               map(list(h.k::VARCHAR ORDER BY h.k), list(h.n ORDER BY h.k)), p.total
        FROM page p JOIN ({hits}) h ON h.referrer = p.referrer
        GROUP BY p.referrer, p.dr, p.competitors, p.total
        ORDER BY p.competitors DESC, p.dr DESC NULLS LAST, p.referrer""",
                              all_params + [limit, offset] + params).fetchall()
    total = rows[0][-1] if rows else count_rows(reader, grouped, all_params)
    items = [IntersectRow(r[0], r[1], r[2], {names[int(k)]: int(v) for k, v in r[3].items()})
             for r in rows]
    what = "referring pages" if pages else "referring domains"
    counting = (f"{what} with {SCOPE_WORDS[scope]} to at least {min_count} of "
                f"{len(competitors)} competitors{excluded}")
    return ReportResult("intersect", None, mode, scope, items, int(total), limit, offset,
                        counting, {"competitors": names}, row_type=IntersectRow)


def competitors(reader: IndexReader, query: CompetitorsQuery | str,
                **changes: Any) -> ReportResult:
    """Domains whose referring domains overlap most with the target's."""
    q = as_query(CompetitorsQuery, query, changes)
    scope, limit, offset = q.scope, q.limit, q.offset
    parsed = known_target(reader, q.target, q.mode)
    where, params = base_where(reader, parsed, scope)
    scope_where, scope_params = scope_predicate(reader, scope, "l")
    mine = (f"SELECT DISTINCT l.source_domain AS domain FROM links l WHERE {where} "
            f"AND l.source_domain IS NOT NULL")
    grouped = f"""
        SELECT l.target_domain AS domain, count(DISTINCT l.source_domain) AS shared,
               list(DISTINCT l.source_domain ORDER BY l.source_domain)[1:5] AS sample
        FROM links l JOIN ({mine}) m ON m.domain = l.source_domain
        WHERE l.target_domain IS NOT NULL AND l.target_domain <> ?
          AND {EXTERNAL} AND {scope_where}
        GROUP BY l.target_domain"""
    all_params = params + [parsed.domain] + scope_params
    count_mine = reader.con.execute(f"SELECT count(*) FROM ({mine})", params).fetchall()[0][0]
    # A competitor's own referring domains, counted as `shared` and refdomains count them (the
    # same scope, external links), so that shared never exceeds theirs.
    if scope == "live" and has_summary(reader.manifest, "target_summary"):
        theirs = "SELECT target_domain AS domain, live_ref_domains AS n FROM target_summary"
        theirs_params: list[Any] = []
    else:
        theirs = f"""
            SELECT l.target_domain AS domain, count(DISTINCT l.source_domain) AS n
            FROM links l WHERE l.target_domain IN (SELECT domain FROM ({grouped}))
              AND {EXTERNAL} AND {scope_where} AND l.source_domain IS NOT NULL
            GROUP BY 1"""
        theirs_params = all_params + scope_params
    joined = f"""
        SELECT g.domain, dm.dr, g.shared, t.n AS theirs, g.sample
        FROM ({grouped}) g LEFT JOIN domain_metrics dm ON dm.domain = g.domain
        JOIN ({theirs}) t ON t.domain = g.domain"""
    all_params = all_params + theirs_params
    rows, total = page_of(reader, joined, all_params, "shared DESC, dr DESC NULLS LAST, domain",
                          limit, offset)
    items = [CompetitorRow(r[0], r[1], r[2], r[3], r[2] / count_mine if count_mine else 0.0,
                           list(r[4])) for r in rows]
    counting = (f"domains sharing referring domains with {parsed.value} ({parsed.mode}), "
                f"over {SCOPE_WORDS[scope]} from other domains; {count_mine} referring domains "
                f"of the target")
    return ReportResult("competitors", parsed.value, parsed.mode, scope, items, total,
                        limit, offset, counting, {"target_ref_domains": count_mine},
                        row_type=CompetitorRow)
