"""The endpoints of the JSON API, one a report, under /api/v1, generated from the reports'
queries (queries/reports.py): each query parameter is a query-string parameter with the name,
default and choices it has on the command line and in the web form, and its bounds and
choices are in the OpenAPI schema (/api/v1/openapi.json). A parameter the report does not
take is refused (400, naming it) rather than ignored, so that a typo does not go unnoticed.
"""

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from linkscope.api.errors import ERROR_RESPONSES
from linkscope.api.output import (
    ExplanationBody,
    ReportBody,
    chosen_format,
    csv_response,
    report_responses,
    result_response,
)
from linkscope.api.runner import ReportRunner
from linkscope.errors import UsageError
from linkscope.queries.model import Param, ReportQuery, params_of
from linkscope.queries.reports import REPORTS, ReportSpec
from linkscope.reports.export import iter_csv

MAX_PAGE_SIZE = 1000  # rows per API page; page through with offset for more
OUTPUT_PARAMETERS = ("format",)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
REPORT = report_responses(ReportBody)
Format = Annotated[Literal["json", "csv"] | None, Query(
    description="json or csv (default: json, or csv when Accept asks for text/csv).")]


def runner_of(request: Request) -> ReportRunner:
    runner: ReportRunner = request.app.state.runner
    return runner


def _annotation(p: Param) -> Any:
    """The parameter's type and its schema: choices as an enum, bounds, lengths."""
    one: Any = Literal[p.choices] if p.choices else p.kind
    high = p.high
    if p.name == "limit" and high is not None:
        high = min(high, MAX_PAGE_SIZE)
    rules: dict[str, Any] = {"description": p.help}
    if p.public != p.name:
        rules["alias"] = p.public
    if p.low is not None:
        rules["ge"] = p.low
    if high is not None:
        rules["le"] = high
    if p.max_length is not None and not p.many:
        rules["max_length"] = p.max_length
    if p.required and p.kind is str and not p.many:
        rules["min_length"] = 1
    if p.many:
        if p.required:
            rules["min_length"] = 1
        return Annotated[list[one], Query(**rules)]
    if p.default is None:
        one = one | None
    return Annotated[one, Query(**rules)]


def _query_dependency(spec: ReportSpec) -> Callable[..., ReportQuery]:
    """A FastAPI dependency that reads a report's query from the query string."""
    params = params_of(spec.query)
    known = {p.public for p in params} | set(OUTPUT_PARAMETERS)

    def read_query(request: Request, **values: Any) -> ReportQuery:
        for name in request.query_params:
            if name not in known:
                raise UsageError(f"unknown parameter; {spec.name} takes "
                                 f"{', '.join(sorted(known))}", where=name)
        for p in params:
            if p.many:
                values[p.name] = tuple(values.get(p.name) or ())
        return spec.query(**values).check()

    signature = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                   annotation=Request)]
    for p in params:
        default = inspect.Parameter.empty if p.required else ([] if p.many else p.default)
        signature.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                           default=default, annotation=_annotation(p)))
    read_query.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    return read_query


def _endpoint(spec: ReportSpec) -> Callable[..., Any]:
    dependency = _query_dependency(spec)

    async def endpoint(request: Request, query: Annotated[ReportQuery, Depends(dependency)],
                       format: Format = None) -> Response:
        result = await runner_of(request).run(lambda reader: spec.run(reader, query))
        return result_response(request, result, format)

    endpoint.__name__ = f"{spec.name}_endpoint"
    return endpoint


@router.get("/health", summary="Liveness: answers without touching the index")
async def health() -> dict[str, str]:
    return {"status": "ok"}


for _spec in REPORTS.values():
    router.add_api_route(f"/{_spec.name}", _endpoint(_spec), methods=["GET"], responses=REPORT,
                         summary=_spec.summary.rstrip("."), name=f"{_spec.name}_endpoint")


@router.get("/explain", responses=report_responses(ExplanationBody),
            summary="Explain a URL's UR or a domain's DR")
async def explain_endpoint(
    request: Request,
    target: Annotated[str, Query(min_length=1, max_length=2048,
                                 description="A URL (its UR) or a domain (its DR).")],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE,
                                description="Contributors to show.")] = 10,
    format: Format = None,
) -> Response:
    from linkscope.reports import explain

    result = await runner_of(request).run(lambda r: explain(r, target, limit))
    body: dict[str, Any] = result.as_dict()
    if chosen_format(request, format) == "csv":
        rows = [{"name": c.name, "contribution": c.contribution, "share": c.share,
                 **c.detail} for c in result.contributors]
        columns = list(dict.fromkeys(k for row in rows for k in row)) or [
            "name", "contribution", "share"]
        return csv_response("".join(iter_csv(columns, rows)), "explain")
    return JSONResponse(body)
