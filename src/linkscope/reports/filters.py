"""The filters of the link reports (query.LinkFilterQuery), turned into SQL with parameters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import duckdb

from linkscope.errors import UsageError
from linkscope.queries.model import LinkFilterQuery
from linkscope.reports.target import reference_date
from linkscope.store.catalog import IndexReader

REL_SQL = {"follow": "l.follow", "nofollow": "NOT l.follow", "ugc": "l.ugc",
           "sponsored": "l.sponsored"}


def check_regex(pattern: str | None) -> None:
    """A regular expression DuckDB accepts, or a UsageError naming anchor_regex."""
    if pattern is None:
        return
    try:
        duckdb.connect().execute("SELECT regexp_matches('', ?)", [pattern])
    except duckdb.Error as problem:
        message = str(problem).splitlines()[0]
        raise UsageError(f"bad regular expression: {message}", where="anchor_regex") from None


def filter_sql(reader: IndexReader, query: LinkFilterQuery) -> tuple[list[str], list[Any]]:
    """WHERE conditions (over links `l`) for the filters a query sets, and their parameters."""
    check_regex(query.anchor_regex)
    where: list[str] = [REL_SQL[v] for v in query.rel]
    params: list[Any] = []
    if query.placement:
        where.append(f"l.placement IN ({', '.join('?' for _ in query.placement)})")
        params += query.placement
    if query.kind:
        where.append(f"l.kind IN ({', '.join('?' for _ in query.kind)})")
        params += query.kind
    if query.anchor_contains:
        where.append("contains(lower(l.anchor), lower(?))")
        params.append(query.anchor_contains)
    if query.anchor_regex is not None:
        where.append("regexp_matches(l.anchor, ?)")
        params.append(query.anchor_regex)
    if query.language:
        where.append("lower(l.source_language) LIKE lower(?)")
        params.append(query.language.split("-")[0] + "%")
    if query.min_dr is not None:
        where.append("l.source_dr >= ?")
        params.append(query.min_dr)
    if query.min_ur is not None:
        where.append("l.source_ur >= ?")
        params.append(query.min_ur)
    if query.new_within is not None or query.lost_within is not None:
        ref = reference_date(reader)
        if query.new_within is not None:
            where.append("l.first_seen >= ?")
            params.append(ref - timedelta(days=query.new_within))
        if query.lost_within is not None:
            where.append("l.lost_date >= ?")
            params.append(ref - timedelta(days=query.lost_within))
    if query.referring_domain:
        where.append("l.source_domain = ?")
        params.append(query.referring_domain.strip().lower())
    return where, params
