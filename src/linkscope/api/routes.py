"""The endpoints of the JSON API, one a report, under /api/v1: thin calls into `reports`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from linkscope.api import params as p
from linkscope.api.errors import ERROR_RESPONSES
from linkscope.api.output import (
    ExplanationBody,
    ReportBody,
    chosen_format,
    csv_response,
    csv_text,
    report_responses,
    result_response,
)
from linkscope.api.runner import ReportRunner
from linkscope.reports import (
    LinkFilters,
    anchors,
    backlinks,
    broken,
    competitors,
    explain,
    history,
    internal,
    intersect,
    overview,
    refdomains,
)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
REPORT = report_responses(ReportBody)
Filters = Annotated[LinkFilters, Depends(p.link_filters)]


def runner_of(request: Request) -> ReportRunner:
    runner: ReportRunner = request.app.state.runner
    return runner


@router.get("/health", summary="Liveness: answers without touching the index")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/overview", responses=REPORT, summary="DR, UR, link counts and charts' data")
async def overview_endpoint(request: Request, target: p.Target, mode: p.Mode = None,
                            scope: p.Scope = "live", format: p.Format = None) -> Response:
    result = await runner_of(request).run(lambda r: overview(r, target, mode, scope))
    return result_response(request, result, format)


@router.get("/backlinks", responses=REPORT, summary="The links to a target")
async def backlinks_endpoint(
    request: Request, filters: Filters, target: p.Target, mode: p.Mode = None,
    scope: p.Scope = "live", aggregate: p.Aggregate = "all", best: p.Best = False,
    sort: p.Sort = None, order: p.Order = "desc", limit: p.Limit = 50, offset: p.Offset = 0,
    format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: backlinks(
        r, target, mode, scope, filters, aggregate, best, sort, order, limit, offset))
    return result_response(request, result, format)


@router.get("/refdomains", responses=REPORT, summary="The domains that link to a target")
async def refdomains_endpoint(
    request: Request, filters: Filters, target: p.Target, mode: p.Mode = None,
    scope: p.Scope = "live", sort: p.Sort = None, order: p.Order = "desc",
    limit: p.Limit = 50, offset: p.Offset = 0, format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: refdomains(
        r, target, mode, scope, filters, sort, order, limit, offset))
    return result_response(request, result, format)


@router.get("/anchors", responses=REPORT, summary="The anchor texts of the links to a target")
async def anchors_endpoint(
    request: Request, target: p.Target, mode: p.Mode = None, scope: p.Scope = "live",
    sort: p.Sort = None, order: p.Order = "desc", limit: p.Limit = 50, offset: p.Offset = 0,
    format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: anchors(
        r, target, mode, scope, None, sort, order, limit, offset))
    return result_response(request, result, format)


@router.get("/intersect", responses=REPORT,
            summary="Who links to the competitors but not to you")
async def intersect_endpoint(
    request: Request, competitors: p.Competitors, not_: p.Not = None, min_count: p.Min = 1,
    pages: p.Pages = False, mode: p.Mode = None, scope: p.Scope = "live", limit: p.Limit = 50,
    offset: p.Offset = 0, format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: intersect(
        r, list(competitors), not_, min_count, pages, mode, scope, limit, offset))
    return result_response(request, result, format)


@router.get("/competitors", responses=REPORT,
            summary="Sites whose referring domains overlap most with the target's")
async def competitors_endpoint(
    request: Request, target: p.Target, mode: p.Mode = None, scope: p.Scope = "live",
    limit: p.Limit = 20, offset: p.Offset = 0, format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: competitors(
        r, target, mode, scope, limit, offset))
    return result_response(request, result, format)


@router.get("/broken", responses=REPORT,
            summary="Broken backlinks, or (outgoing) dead pages the target links to")
async def broken_endpoint(
    request: Request, target: p.Target, mode: p.Mode = None, scope: p.Scope = "live",
    outgoing: p.Outgoing = False, limit: p.Limit = 50, offset: p.Offset = 0,
    format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: broken(
        r, target, mode, scope, outgoing, limit, offset))
    return result_response(request, result, format)


@router.get("/history", responses=REPORT, summary="New and lost links over time")
async def history_endpoint(
    request: Request, target: p.Target, mode: p.Mode = None, interval: p.Interval = "day",
    limit: p.Limit = 366, offset: p.Offset = 0, format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: history(
        r, target, mode, interval, limit, offset))
    return result_response(request, result, format)


@router.get("/internal", responses=REPORT, summary="A site's pages by internal links and UR")
async def internal_endpoint(
    request: Request, target: p.Target, mode: p.Mode = None, sort: p.Sort = None,
    order: p.Order = "desc", few: p.Few = False, limit: p.Limit = 50, offset: p.Offset = 0,
    format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: internal(
        r, target, mode, sort, order, few, limit, offset))
    return result_response(request, result, format)


@router.get("/explain", responses=report_responses(ExplanationBody),
            summary="Explain a URL's UR or a domain's DR")
async def explain_endpoint(
    request: Request, target: p.Target,
    limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE_SIZE,
                                description="Contributors to show.")] = 10,
    format: p.Format = None,
) -> Response:
    result = await runner_of(request).run(lambda r: explain(r, target, limit))
    body: dict[str, Any] = result.as_dict()
    if chosen_format(request, format) == "csv":
        rows = [{"name": c.name, "contribution": c.contribution, "share": c.share,
                 **c.detail} for c in result.contributors]
        columns = list(dict.fromkeys(k for row in rows for k in row)) or [
            "name", "contribution", "share"]
        return csv_response(csv_text(columns, rows), "explain")
    return JSONResponse(body)
