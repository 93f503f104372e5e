"""A page's query string, read into the report's query, and the form fields it is shown with.

The pages take the same parameters as the API and the CLI (queries/reports.py), so a page's URL
and its CSV export link differ only in their path and `format=csv`; the form is generated from
the same declarations (its fields, their choices and labels), grouped as the query groups them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from linkscope.queries.model import Param, ReportQuery, params_of
from linkscope.queries.reports import ReportSpec

PAGE_SIZES = (10, 25, 50, 100, 500)


class Form:
    """A page's query string: its raw values, for the form, and the report's query."""

    def __init__(self, params: QueryParams) -> None:
        self.params = params

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.params.get(name, "").strip()
        return value or default

    def many(self, name: str) -> list[str]:
        return [v.strip() for v in self.params.getlist(name) if v.strip()]

    def flag(self, name: str) -> bool:
        return (self.text(name) or "").lower() in ("1", "true", "on", "yes")

    def query(self, spec: ReportSpec) -> ReportQuery:
        """The report's query (UsageError naming the parameter when a value is bad)."""
        values = {name: self.params.getlist(name) for name in self.params}
        return spec.query.from_text(values)

    def link(self, path: str, **changes: object) -> str:
        """This page's query with some parameters changed (None removes one)."""
        pairs = [(k, v) for k, v in self.params.multi_items() if k not in changes and v != ""]
        for key, value in changes.items():
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                pairs += [(key, str(v)) for v in value]
            else:
                pairs.append((key, "1" if value is True else str(value)))
        query = urlencode(pairs)
        return f"{path}?{query}" if query else path


def fields(spec: ReportSpec, group: str) -> list[Param]:
    """The parameters of a report that its form shows in one group (main, filter, hidden,
    paging)."""
    return [p for p in params_of(spec.query) if p.group == group]


def widget(p: Param) -> str:
    """How the form shows a parameter: select, checks, checkbox, many (several text inputs),
    number or text."""
    if p.choices:
        return "checks" if p.many else "select"
    if p.kind is bool:
        return "checkbox"
    if p.many:
        return "many"
    return "number" if p.kind in (int, float) else "text"


def page_sizes(form: Form, default: int) -> list[int]:
    """The rows-per-page choices, with the page's own when it is not one of them."""
    chosen = form.text("limit")
    sizes = set(PAGE_SIZES) | {default}
    if chosen and chosen.isdigit():
        sizes.add(int(chosen))
    return sorted(sizes)
