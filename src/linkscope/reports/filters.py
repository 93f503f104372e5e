"""The filters of the link reports (backlinks, refdomains), turned into SQL with parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import duckdb

from linkscope.errors import UsageError
from linkscope.records import LinkKind, Placement
from linkscope.reports.target import reference_date
from linkscope.store.catalog import IndexReader

REL_FILTERS = ("follow", "nofollow", "ugc", "sponsored")
PLACEMENTS = tuple(p.value for p in Placement)
KINDS = tuple(k.value for k in LinkKind)


@dataclass
class LinkFilters:
    """Filters over links `l` (which carry their source page's language, UR and DR)."""

    rel: list[str] = field(default_factory=list)  # any of REL_FILTERS; all must hold
    placement: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    anchor_contains: str | None = None  # case-insensitive substring
    anchor_regex: str | None = None  # RE2 syntax, as DuckDB's regexp_matches
    language: str | None = None
    min_dr: float | None = None
    min_ur: float | None = None
    new_within: int | None = None  # days before the reference date
    lost_within: int | None = None
    referring_domain: str | None = None

    def check(self) -> None:
        for value in self.rel:
            if value not in REL_FILTERS:
                raise UsageError(f"unknown link type {value!r}; use {', '.join(REL_FILTERS)}",
                                 where="rel")
        for value in self.placement:
            if value not in PLACEMENTS:
                raise UsageError(f"unknown placement {value!r}; use {', '.join(PLACEMENTS)}",
                                 where="placement")
        for value in self.kind:
            if value not in KINDS:
                raise UsageError(f"unknown kind {value!r}; use {', '.join(KINDS)}",
                                 where="kind")
        for name in ("new_within", "lost_within"):
            days = getattr(self, name)
            if days is not None and days < 0:
                raise UsageError(f"must be 0 or more days, got {days}", where=name)
        for name in ("min_dr", "min_ur"):
            bound = getattr(self, name)
            if bound is not None and not 0 <= bound <= 100:
                raise UsageError(f"must be between 0 and 100, got {bound}", where=name)
        if self.anchor_regex is not None:
            try:
                duckdb.connect().execute("SELECT regexp_matches('', ?)", [self.anchor_regex])
            except duckdb.Error as problem:
                message = str(problem).splitlines()[0]
                raise UsageError(f"bad regular expression: {message}",
                                 where="anchor_regex") from None

    def sql(self, reader: IndexReader) -> tuple[list[str], list[Any]]:
        self.check()
        where: list[str] = []
        params: list[Any] = []
        flags = {"follow": "l.follow", "nofollow": "NOT l.follow", "ugc": "l.ugc",
                 "sponsored": "l.sponsored"}
        where += [flags[v] for v in self.rel]
        if self.placement:
            where.append(f"l.placement IN ({', '.join('?' for _ in self.placement)})")
            params += self.placement
        if self.kind:
            where.append(f"l.kind IN ({', '.join('?' for _ in self.kind)})")
            params += self.kind
        if self.anchor_contains:
            where.append("contains(lower(l.anchor), lower(?))")
            params.append(self.anchor_contains)
        if self.anchor_regex is not None:
            where.append("regexp_matches(l.anchor, ?)")
            params.append(self.anchor_regex)
        if self.language:
            where.append("lower(l.source_language) LIKE lower(?)")
            params.append(self.language.split("-")[0] + "%")
        if self.min_dr is not None:
            where.append("l.source_dr >= ?")
            params.append(self.min_dr)
        if self.min_ur is not None:
            where.append("l.source_ur >= ?")
            params.append(self.min_ur)
        ref = reference_date(reader)
        if self.new_within is not None:
            where.append("l.first_seen >= ?")
            params.append(ref - timedelta(days=self.new_within))
        if self.lost_within is not None:
            where.append("l.lost_date >= ?")
            params.append(ref - timedelta(days=self.lost_within))
        if self.referring_domain:
            where.append("l.source_domain = ?")
            params.append(self.referring_domain.strip().lower())
        return where, params
