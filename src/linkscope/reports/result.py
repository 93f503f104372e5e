"""What every report returns: typed rows, the total before paging, and its counting rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from linkscope.errors import UsageError
from linkscope.queries.model import MAX_LIMIT, ReportQuery

Q = TypeVar("Q", bound=ReportQuery)
__all__ = ["MAX_LIMIT", "ReportResult", "as_query", "order_by", "plain", "row_dict"]


@dataclass
class ReportResult:
    report: str
    target: str | None
    mode: str | None
    scope: str | None
    rows: list[Any]
    total: int
    limit: int
    offset: int
    counting: str  # the report's counting rules, in words
    extra: dict[str, Any] = field(default_factory=dict)  # report-specific summary fields
    row_type: type | None = None  # the rows' dataclass, for the columns of an empty result

    def columns(self) -> list[str]:
        kind = type(self.rows[0]) if self.rows else self.row_type
        return [f.name for f in dataclasses.fields(kind)] if kind is not None else []

    def as_dict(self) -> dict[str, Any]:
        return {"report": self.report, "target": self.target, "mode": self.mode,
                "scope": self.scope, "total": self.total, "limit": self.limit,
                "offset": self.offset, "counting": self.counting,
                **{k: plain(v) for k, v in self.extra.items()},
                "rows": [row_dict(r) for r in self.rows]}


def row_dict(row: Any) -> dict[str, Any]:
    return {f.name: plain(getattr(row, f.name)) for f in dataclasses.fields(row)}


def plain(value: Any) -> Any:
    """JSON-friendly: dates as ISO 8601 strings, dataclasses as dicts."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return row_dict(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def order_by(sort: str | None, order: str, default: str) -> str:
    """An ORDER BY clause on a result column. The sort key was checked against the report's
    declared keys (query.sort_param), so the SQL never holds user text."""
    key = sort or default
    if not key.isidentifier():
        raise UsageError(f"cannot sort by {key!r}", where="sort")
    direction = "ASC" if order == "asc" else "DESC"
    return f'"{key}" {direction} NULLS LAST'


def as_query(kind: type[Q], query: Q | str | list[str] | tuple[str, ...] | None,
             changes: dict[str, Any]) -> Q:
    """A checked query of `kind`: the one given (with `changes`), or one made from a target
    (or, for intersect, a list of competitors) and keyword arguments, or from the keyword
    arguments alone."""
    if query is None:
        made = kind(**changes)
    elif isinstance(query, kind):
        made = query.changed(**changes) if changes else query
    elif isinstance(query, str):
        made = kind(target=query, **changes)  # type: ignore[call-arg]
    elif isinstance(query, list | tuple):
        made = kind(competitors=tuple(query), **changes)  # type: ignore[call-arg]
    else:
        raise TypeError(f"expected a {kind.__name__} or a target, got {query!r}")
    return made.check()
