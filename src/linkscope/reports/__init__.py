"""Site Explorer reports: one function a question, returning typed rows and the counting rules.

The CLI, the JSON API and the web UI all call these; each takes an open index
(`linkscope.store.open_index`) and a query: the report's typed query object
(linkscope.queries), or a target and keyword arguments, which make the same object:

    backlinks(reader, BacklinksQuery(target="example.test", rel=("follow",), limit=20))
    backlinks(reader, "example.test", rel=("follow",), limit=20)

    overview  backlinks  refdomains  anchors  refips  intersect  competitors  broken  history
    internal  explain (UR of a URL or DR of a domain, with its parts and top contributors)
"""

from linkscope.queries import (
    MODES,
    REPORTS,
    SCOPES,
    AnchorsQuery,
    BacklinksQuery,
    BrokenQuery,
    CompetitorsQuery,
    HistoryQuery,
    InternalQuery,
    IntersectQuery,
    OverviewQuery,
    RefdomainsQuery,
    RefipsQuery,
)
from linkscope.reports.broken import broken
from linkscope.reports.explain import explain
from linkscope.reports.explore import competitors, intersect
from linkscope.reports.history import history
from linkscope.reports.internal import internal
from linkscope.reports.links import anchors, backlinks, refdomains
from linkscope.reports.overview import overview
from linkscope.reports.refips import refips
from linkscope.reports.result import ReportResult
from linkscope.reports.target import parse_target

__all__ = ["MODES", "REPORTS", "SCOPES", "AnchorsQuery", "BacklinksQuery", "BrokenQuery",
           "CompetitorsQuery", "HistoryQuery", "InternalQuery", "IntersectQuery",
           "OverviewQuery", "RefdomainsQuery", "RefipsQuery", "ReportResult", "anchors",
           "backlinks", "broken", "competitors", "explain", "history", "internal",
           "intersect", "overview", "parse_target", "refdomains", "refips"]
