"""What every report returns: typed rows, the total before paging, and its counting rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from linkscope.errors import UsageError

MAX_LIMIT = 100_000  # one page of rows; there is no cap on the total, page through it


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


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"must be between 1 and {MAX_LIMIT}, got {limit}", where="limit")
    if offset < 0:
        raise UsageError(f"must be 0 or more, got {offset}", where="offset")


def order_by(sort: str | None, order: str, allowed: dict[str, str], default: str) -> str:
    """An ORDER BY clause from a whitelisted sort key (the SQL never holds user text)."""
    key = sort or default
    if key not in allowed:
        raise UsageError(f"cannot sort by {key!r}; use one of {', '.join(sorted(allowed))}",
                         where="sort")
    if order not in ("asc", "desc"):
        raise UsageError(f"must be asc or desc, got {order!r}", where="order")
    nulls = "NULLS LAST"
    return f"{allowed[key]} {order.upper()} {nulls}"
