"""The query parameters of the API, named as the CLI names its options, defined once.

Enumerated values (mode, scope, order, rel, placement, kind, aggregate) are listed in the
OpenAPI schema, so a client learns them from /api/v1/openapi.json; the report library checks
them again, and anything it refuses comes back as a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from linkscope.reports import LinkFilters

MAX_PAGE_SIZE = 1000  # rows per API page; page through with offset for more
MAX_OFFSET = 10_000_000

Target = Annotated[str, Query(min_length=1, max_length=2048,
                              description="A URL, URL prefix, domain or host.",
                              examples=["example.test"])]
Mode = Annotated[Literal["exact", "prefix", "domain", "subdomains"] | None, Query(
    description="exact, prefix, domain or subdomains (default: exact for a URL, domain "
                "otherwise).")]
Scope = Annotated[Literal["live", "recent", "all"], Query(
    description="live, recent (live and lost in the last 90 days) or all.")]
Sort = Annotated[str | None, Query(max_length=64, description="Column to sort by.")]
Order = Annotated[Literal["asc", "desc"], Query(description="asc or desc.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (paging).")]
Format = Annotated[Literal["json", "csv"] | None, Query(
    description="json or csv (default: json, or csv when Accept asks for text/csv).")]
Rel = Annotated[list[Literal["follow", "nofollow", "ugc", "sponsored"]], Query(
    description="Link type (repeatable; all must hold).")]
PlacementParam = Annotated[list[Literal["content", "header", "nav", "sidebar", "footer",
                                        "comment"]], Query(description="Placement "
                                                                       "(repeatable).")]
KindParam = Annotated[list[Literal["text", "image", "redirect", "canonical", "alternate",
                                   "frame", "form"]], Query(description="Kind (repeatable).")]
AnchorContains = Annotated[str | None, Query(max_length=500,
                                             description="Anchor contains (any case).")]
AnchorRegex = Annotated[str | None, Query(max_length=500,
                                          description="Anchor matches (RE2 syntax).")]
Language = Annotated[str | None, Query(max_length=35,
                                       description="Language of the referring page.")]
MinDr = Annotated[float | None, Query(ge=0, le=100,
                                      description="Minimum DR of the referring domain.")]
MinUr = Annotated[float | None, Query(ge=0, le=100,
                                      description="Minimum UR of the referring page.")]
NewWithin = Annotated[int | None, Query(ge=0, le=36500,
                                        description="First seen in the last N days.")]
LostWithin = Annotated[int | None, Query(ge=0, le=36500,
                                         description="Lost in the last N days.")]
RefDomain = Annotated[str | None, Query(max_length=253,
                                        description="Only links from this domain.")]
Aggregate = Annotated[Literal["all", "domain", "similar"], Query(
    description="all, domain (the best link of each referring domain) or similar.")]
Best = Annotated[bool, Query(description="Followed links in content, by link value.")]
Competitors = Annotated[list[Annotated[str, Query(min_length=1, max_length=2048)]], Query(
    min_length=1, max_length=100, description="Competitor domains or URLs (repeatable).")]
Not = Annotated[str | None, Query(alias="not", min_length=1, max_length=2048,
                                  description="Your site: exclude its referrers.")]
Min = Annotated[int, Query(alias="min", ge=1, le=100,
                           description="Link to at least this many competitors.")]
Pages = Annotated[bool, Query(description="Referring pages instead of domains.")]
Outgoing = Annotated[bool, Query(description="The target's own links to dead pages "
                                             "elsewhere.")]
Interval = Annotated[Literal["day", "week", "month"], Query(description="day, week or month.")]
Few = Annotated[bool, Query(description="Only pages with few internal links.")]


def link_filters(rel: Rel = [], placement: PlacementParam = [],  # noqa: B006
                 kind: KindParam = [], anchor_contains: AnchorContains = None,  # noqa: B006
                 anchor_regex: AnchorRegex = None, language: Language = None,
                 min_dr: MinDr = None, min_ur: MinUr = None, new_within: NewWithin = None,
                 lost_within: LostWithin = None, referring_domain: RefDomain = None
                 ) -> LinkFilters:
    """The link filters of backlinks and refdomains, as one dependency."""
    return LinkFilters(rel=list(rel), placement=list(placement), kind=list(kind),
                       anchor_contains=anchor_contains, anchor_regex=anchor_regex,
                       language=language, min_dr=min_dr, min_ur=min_ur, new_within=new_within,
                       lost_within=lost_within, referring_domain=referring_domain)
