"""Report results as HTTP responses: JSON (the whole result) or CSV (its rows).

CSV carries every column of the rows, written by reports/export.py (lists and objects in a cell
as JSON, null as an empty cell, times as ISO 8601, text that a spreadsheet would read as a
formula prefixed with a quote). The format comes from `format=` or, failing that, from an
Accept header that asks for text/csv.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from linkscope.reports.export import result_csv
from linkscope.reports.result import ReportResult


class ReportBody(BaseModel):
    """A report: its rows, the total before paging, the page, and its counting rules."""

    model_config = ConfigDict(extra="allow")

    report: str
    target: str | None
    mode: str | None
    scope: str | None
    total: int
    limit: int
    offset: int
    counting: str
    rows: list[dict[str, Any]]


class ExplanationBody(BaseModel):
    """A metric's explanation: formula, parts and the top contributors."""

    model_config = ConfigDict(extra="allow")

    metric: str
    target: str
    rating: float
    raw: float
    parts: dict[str, float]
    formula: str
    counting: str
    contributors: list[dict[str, Any]]


def report_responses(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "content": {"text/csv": {"schema": {"type": "string"}}},
                  "description": "JSON, or CSV with format=csv or Accept: text/csv"}}


def chosen_format(request: Request, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    accept = request.headers.get("accept", "")
    return "csv" if "text/csv" in accept and "application/json" not in accept else "json"


def csv_response(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def result_response(request: Request, result: ReportResult, fmt: str | None) -> Response:
    if chosen_format(request, fmt) == "csv":
        return csv_response(result_csv(result), result.report)
    return JSONResponse(result.as_dict())
