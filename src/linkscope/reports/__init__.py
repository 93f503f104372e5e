"""Site Explorer reports: one function a question, returning typed rows and the counting rules.

The CLI, the JSON API and the web UI all call these; each takes an open index
(`linkscope.store.open_index`) and a target with a mode (exact, prefix, domain, subdomains).

    overview  backlinks  refdomains  anchors  intersect  competitors  broken  history  internal
    explain (UR of a URL or DR of a domain, with its parts and top contributors)
"""

from linkscope.reports.broken import broken
from linkscope.reports.explain import explain
from linkscope.reports.explore import competitors, intersect
from linkscope.reports.filters import LinkFilters
from linkscope.reports.history import history
from linkscope.reports.internal import internal
from linkscope.reports.links import anchors, backlinks, refdomains
from linkscope.reports.overview import overview
from linkscope.reports.result import ReportResult
from linkscope.reports.target import MODES, SCOPES, parse_target

__all__ = ["MODES", "SCOPES", "LinkFilters", "ReportResult", "anchors", "backlinks", "broken",
           "competitors", "explain", "history", "intersect", "internal", "overview",
           "parse_target", "refdomains"]
