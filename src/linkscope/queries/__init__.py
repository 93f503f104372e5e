"""Each report's query, declared once: its parameters with their types, defaults, choices,
bounds and help (model.py), and the reports with their queries (reports.py).

The command line, the JSON API and the web UI generate their options, parameters and forms
from these declarations. Nothing here imports a report, DuckDB or any other heavy library, so
that the command line can build its commands without them.
"""

from linkscope.queries.model import (
    KINDS,
    MAX_LIMIT,
    MODES,
    PLACEMENTS,
    REL_FILTERS,
    REQUIRED,
    SCOPES,
    LinkFilterQuery,
    Param,
    ReportQuery,
    params_of,
)
from linkscope.queries.reports import (
    REPORTS,
    AnchorsQuery,
    BacklinksQuery,
    BrokenQuery,
    CompetitorsQuery,
    HistoryQuery,
    InternalQuery,
    IntersectQuery,
    MentionsQuery,
    OverviewQuery,
    RefdomainsQuery,
    RefipsQuery,
    ReportSpec,
    SearchQuery,
)

__all__ = ["KINDS", "MAX_LIMIT", "MODES", "PLACEMENTS", "REL_FILTERS", "REPORTS", "REQUIRED",
           "SCOPES", "AnchorsQuery", "BacklinksQuery", "BrokenQuery", "CompetitorsQuery",
           "HistoryQuery", "InternalQuery", "IntersectQuery", "LinkFilterQuery", "MentionsQuery",
           "OverviewQuery", "Param", "RefdomainsQuery", "RefipsQuery", "ReportQuery",
           "ReportSpec", "SearchQuery", "params_of"]
