"""The reports: each one's query (its parameters, declared once) and where its function lives.

`REPORTS` is what the three surfaces are generated from: one CLI command, one API endpoint and
one web page a report, with the same parameter names, defaults and choices. A report's function
is named as "module:function" and imported only when the report runs, so that reading this
module (to build the CLI) costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linkscope.queries.model import (
    MAX_DAYS,
    MODES,
    REQUIRED,
    LinkFilterQuery,
    ReportQuery,
    ScopedQuery,
    TargetQuery,
    limit_param,
    mode_param,
    offset_param,
    order_param,
    param,
    scope_param,
    sort_param,
)

BACKLINK_SORTS = ("value", "source_dr", "source_ur", "source_outlinks", "first_seen",
                  "last_seen", "lost_date", "anchor", "source", "similar")
REFDOMAIN_SORTS = ("dr", "links", "followed_links", "first_seen", "last_seen", "domain")
ANCHOR_SORTS = ("ref_domains", "links", "followed_share", "first_seen", "anchor")
INTERNAL_SORTS = ("ur", "internal_inlinks", "internal_outlinks", "external_backlinks", "url")
REFIP_SORTS = ("ref_domains", "links", "followed_links", "ip")
AGGREGATIONS = ("all", "domain", "similar")
INTERVALS = ("day", "week", "month")
IP_GROUPS = ("ip", "subnet")
SEARCH_SORTS = ("relevance", "ref_domains", "dr", "date")
SEARCH_AGGREGATIONS = ("none", "site", "author", "month")
MAX_QUERY = 1000  # characters of a search query or a mention term


@dataclass(frozen=True, kw_only=True)
class OverviewQuery(ScopedQuery):
    pass


@dataclass(frozen=True, kw_only=True)
class BacklinksQuery(LinkFilterQuery):
    aggregate: str = param("all", "all, domain (the best link of each referring domain) or "
                                  "similar (one row for a link repeated over a site's pages).",
                           choices=AGGREGATIONS, label="Group")
    best: bool = param(False, "Only followed links in content, by link value.",
                       label="Best links only")
    sort: str | None = sort_param(BACKLINK_SORTS)
    order: str = order_param()
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class RefdomainsQuery(LinkFilterQuery):
    sort: str | None = sort_param(REFDOMAIN_SORTS)
    order: str = order_param()
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class AnchorsQuery(LinkFilterQuery):
    sort: str | None = sort_param(ANCHOR_SORTS)
    order: str = order_param()
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class RefipsQuery(LinkFilterQuery):
    group: str = param("ip", "ip (one row an address) or subnet (one row a /24 for IPv4, a "
                             "/48 for IPv6).", choices=IP_GROUPS, label="Group by")
    sort: str | None = sort_param(REFIP_SORTS)
    order: str = order_param()
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class IntersectQuery(ReportQuery):
    competitors: tuple[str, ...] = param(REQUIRED, "Competitor domains or URLs (any number).",
                                         kind=str, many=True, max_length=2048,
                                         positional=True, label="Competitor")
    not_target: str | None = param(None, "Your site: leave out the referrers that link to it.",
                                   public="not", max_length=2048, label="But not linking to")
    min_count: int = param(1, "Link to at least this many of the competitors.", public="min",
                           low=1, high=1000, label="Min competitors")
    pages: bool = param(False, "Referring pages instead of referring domains.",
                        label="Referring pages instead of domains")
    mode: str | None = mode_param()
    scope: str = scope_param()
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class CompetitorsQuery(ScopedQuery):
    limit: int = limit_param(20)
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class BrokenQuery(ScopedQuery):
    outgoing: bool = param(False, "The target's own links to dead pages on other sites.",
                           label="Dead outgoing links", group="hidden")
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class HistoryQuery(TargetQuery):
    interval: str = param("day", "day, week or month.", choices=INTERVALS, label="Interval")
    limit: int = limit_param(366)
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class InternalQuery(TargetQuery):
    few: bool = param(False, "Only pages with few internal links.",
                      label="Only pages with few internal links")
    sort: str | None = sort_param(INTERNAL_SORTS)
    order: str = order_param()
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class SearchQuery(ReportQuery):
    """Content Explorer: pages of the index whose text matches a query."""

    query: str = param(REQUIRED, "Words, \"a phrase\", AND / OR / NOT (or +word -word), and "
                                 "fields title:, site:, author:, lang:; all words must match.",
                       max_length=MAX_QUERY, positional=True, label="Search")
    min_dr: float | None = param(None, "Minimum DR of the page's domain.", kind=float, low=0,
                                 high=100, label="Min DR", group="filter")
    min_ur: float | None = param(None, "Minimum UR of the page.", kind=float, low=0, high=100,
                                 label="Min UR", group="filter")
    min_ref_domains: int | None = param(None, "Minimum referring domains of the page.",
                                        kind=int, low=0, high=10**9,
                                        label="Min referring domains", group="filter")
    min_words: int | None = param(None, "Minimum words of the page's main text.", kind=int,
                                  low=0, high=10**9, label="Min words", group="filter")
    max_words: int | None = param(None, "Maximum words of the page's main text.", kind=int,
                                  low=0, high=10**9, label="Max words", group="filter")
    published_after: str | None = param(None, "Published on or after this date (YYYY-MM-DD).",
                                        max_length=10, label="Published after",
                                        group="filter")
    published_before: str | None = param(None, "Published before this date (YYYY-MM-DD).",
                                         max_length=10, label="Published before",
                                         group="filter")
    language: str | None = param(None, "Language of the page (en, de, fr...).", max_length=35,
                                 label="Language", group="filter")
    one_per_domain: bool = param(False, "Only the best page of each domain.",
                                 label="One page per domain")
    links_to_broken: bool = param(False, "Only pages that link to a dead page (broken-link "
                                         "building prospects).",
                                  label="Links to a broken page")
    aggregate: str = param("none", "none, site (top sites for the query), author (top "
                                   "authors) or month (pages by month of publication).",
                           choices=SEARCH_AGGREGATIONS, label="Group")
    sort: str = param("relevance", "relevance, ref_domains, dr or date.",
                      choices=SEARCH_SORTS, label="Sort by")
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True, kw_only=True)
class MentionsQuery(ReportQuery):
    """Unlinked mentions: pages naming a term that do not link to the target."""

    term: str = param(REQUIRED, "A brand or term, matched as a phrase (case and accents "
                                "ignored, whole words).", max_length=MAX_QUERY,
                      positional=True, label="Term")
    target: str | None = param(None, "Your domain: pages linking to it, and its own pages, "
                                     "are left out.", max_length=253, label="Your domain")
    competitors: tuple[str, ...] = param((), "Competitor domains: says which each page links "
                                             "to.", public="competitor", kind=str, many=True,
                                         max_length=253, label="Competitor")
    new_within: int | None = param(None, "Pages first seen in the last N days.", kind=int,
                                   low=0, high=MAX_DAYS, label="New in last N days",
                                   group="filter")
    limit: int = limit_param()
    offset: int = offset_param()


@dataclass(frozen=True)
class ReportSpec:
    name: str
    query: type[ReportQuery]
    function: str  # "module:function", imported when the report runs
    summary: str  # one line: the API's summary, the CLI's first help line
    examples: tuple[str, ...]  # CLI examples (without "linkscope ")
    title: str  # the web page's title

    def run(self, reader: Any, query: ReportQuery) -> Any:
        """Run the report on an open index (store.IndexReader); a ReportResult."""
        return self.load()(reader, query)

    def load(self) -> Callable[..., Any]:
        module, _, name = self.function.partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return function


REPORTS: dict[str, ReportSpec] = {spec.name: spec for spec in (
    ReportSpec("overview", OverviewQuery, "linkscope.reports.overview:overview",
               "DR, UR, link counts, top anchors, and the referring domains' DR and history.",
               ("overview example.test",), "Overview"),
    ReportSpec("backlinks", BacklinksQuery, "linkscope.reports.links:backlinks",
               "The links to a target, with their referring page, authority and value.",
               ("backlinks example.test --best --limit 20",
                "backlinks https://example.test/page --rel nofollow --format csv"), "Backlinks"),
    ReportSpec("refdomains", RefdomainsQuery, "linkscope.reports.links:refdomains",
               "The domains that link to a target, with their DR and links.",
               ("refdomains example.test --min-dr 30",), "Referring domains"),
    ReportSpec("anchors", AnchorsQuery, "linkscope.reports.links:anchors",
               "The anchor texts of the links to a target.",
               ("anchors example.test --rel follow --format csv",), "Anchors"),
    ReportSpec("refips", RefipsQuery, "linkscope.reports.refips:refips",
               "The IP addresses and subnets that links to a target come from.",
               ("refips example.test", "refips example.test --group subnet"),
               "Referring IPs"),
    ReportSpec("intersect", IntersectQuery, "linkscope.reports.explore:intersect",
               "Who links to your competitors but not to you.",
               ("intersect a.test b.test c.test --not mine.test --min 2",), "Link intersect"),
    ReportSpec("competitors", CompetitorsQuery, "linkscope.reports.explore:competitors",
               "Sites whose referring domains overlap most with the target's.",
               ("competitors example.test",), "Competitors"),
    ReportSpec("broken", BrokenQuery, "linkscope.reports.broken:broken",
               "Broken backlinks to reclaim, or (--outgoing) dead pages the target links to.",
               ("broken example.test", "broken example.test --outgoing"), "Broken links"),
    ReportSpec("history", HistoryQuery, "linkscope.reports.history:history",
               "New and lost links and referring domains over time, with lost reasons.",
               ("history example.test --interval week",), "New and lost"),
    ReportSpec("internal", InternalQuery, "linkscope.reports.internal:internal",
               "A site's pages by internal links and UR; --few lists those that need links.",
               ("internal example.test --few",), "Internal links"),
    ReportSpec("search", SearchQuery, "linkscope.reports.search:search",
               "Content Explorer: pages whose text matches a query, with DR, UR and snippets.",
               ('search "sourdough starter" --min-dr 20 --sort ref_domains',
                "search 'title:recipe site:example.test' --aggregate author"),
               "Content Explorer"),
    ReportSpec("mentions", MentionsQuery, "linkscope.reports.search:mentions",
               "Unlinked mentions: pages naming a term that do not link to your domain.",
               ('mentions "Acme Brand" --target acme.test --competitor rival.test',),
               "Unlinked mentions"),
)}

__all__ = ["MODES", "REPORTS", "ReportSpec", *(
    name for name in dir() if name.endswith("Query"))]
