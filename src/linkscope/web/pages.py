"""The web UI's pages, one a report, rendered on the server from the same report functions.

Every page is a GET whose query string carries the report's parameters (as in the API), so a
page can be bookmarked, shared and exported (its CSV link is the API's URL with format=csv).
A bad parameter re-renders the page with the message beside the form, answered 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from linkscope.api.runner import ReportRunner
from linkscope.errors import UsageError
from linkscope.reports import (
    MODES,
    SCOPES,
    anchors,
    backlinks,
    broken,
    competitors,
    explain,
    history,
    internal,
    intersect,
    overview,
    parse_target,
    refdomains,
)
from linkscope.reports.filters import KINDS, PLACEMENTS, REL_FILTERS
from linkscope.reports.result import ReportResult
from linkscope.store.catalog import IndexReader
from linkscope.web.render import render
from linkscope.web.views import COLUMNS, Form

router = APIRouter(include_in_schema=False)
PAGE_SIZES = (10, 25, 50, 100, 500)


async def _run(request: Request, work: Callable[[IndexReader], Any]) -> Any:
    runner: ReportRunner = request.app.state.runner
    return await runner.run(work)


def _common(form: Form) -> dict[str, Any]:
    return {"form": form, "target": form.text("target", ""), "mode": form.text("mode"),
            "modes": MODES, "scopes": SCOPES, "page_sizes": PAGE_SIZES,
            "rel_filters": REL_FILTERS, "placements": PLACEMENTS, "kinds": KINDS}


async def _report_page(request: Request, report: str, make: Callable[[Form],
                       Callable[[IndexReader], ReportResult]], columns_key: str | None = None,
                       **context: Any) -> Response:
    form = Form(request.query_params)
    if not form.text("target") and report != "intersect":
        return RedirectResponse("/", status_code=303)
    page = {**_common(form), "report": report, "result": None, "error": None,
            "columns": COLUMNS[columns_key or report], **context}
    try:
        page["result"] = await _run(request, make(form))
    except UsageError as problem:
        page["error"] = problem
        return render(request, "report.html", page, status=400)
    return render(request, "report.html", page)


def _mode(form: Form) -> str | None:
    return form.choice("mode", MODES, "") if form.text("mode") else None


def _page(form: Form, default: int = 50) -> tuple[int, int]:
    return form.number("limit", default, 1, 1000), form.number("offset", 0)


@router.get("/")
async def home(request: Request) -> Response:
    form = Form(request.query_params)
    if form.text("target"):
        return RedirectResponse(form.link("/overview"), status_code=303)
    return render(request, "home.html", {**_common(form), "report": None})


@router.get("/overview")
async def overview_page(request: Request) -> Response:
    form = Form(request.query_params)
    if not form.text("target"):
        return RedirectResponse("/", status_code=303)
    context = {**_common(form), "report": "overview", "error": None, "result": None}
    try:
        target, mode = form.text("target") or "", _mode(form)
        scope = form.choice("scope", SCOPES, "live")

        def work(reader: IndexReader) -> tuple[ReportResult, ReportResult, str | None]:
            result = overview(reader, target, mode, scope)
            changes = history(reader, target, mode, "week", 366, 0)
            return result, changes, _home_url(reader, result)

        context["result"], context["history"], context["ur_url"] = await _run(request, work)
        context["dr_domain"] = parse_target(target, mode).domain
    except UsageError as problem:
        context["error"] = problem
        return render(request, "overview.html", context, status=400)
    return render(request, "overview.html", context)


def _home_url(reader: IndexReader, result: ReportResult) -> str | None:
    """The URL whose UR the overview shows, for its explanation link."""
    if result.mode in ("exact", "prefix"):
        return result.target
    host = result.target
    rows = reader.con.execute(
        "SELECT url FROM url_metrics WHERE regexp_replace(url, '^https?://([^/:]+).*$', '\\1') "
        "IN (?, ?) AND regexp_matches(url, '^https?://[^/]+/$') ORDER BY ur DESC LIMIT 1",
        [host, f"www.{host}"]).fetchall()
    return str(rows[0][0]) if rows else None


@router.get("/backlinks")
async def backlinks_page(request: Request) -> Response:
    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form), form.choice("scope", SCOPES, "live"),
                form.filters(), form.choice("aggregate", ("all", "domain", "similar"), "all"),
                form.flag("best"), form.text("sort"), form.choice("order", ("asc", "desc"),
                                                                  "desc"), *_page(form))
        return lambda r: backlinks(r, *args)
    return await _report_page(request, "backlinks", make, filters=True)


@router.get("/refdomains")
async def refdomains_page(request: Request) -> Response:
    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form), form.choice("scope", SCOPES, "live"),
                form.filters(), form.text("sort"),
                form.choice("order", ("asc", "desc"), "desc"), *_page(form))
        return lambda r: refdomains(r, *args)
    return await _report_page(request, "refdomains", make, filters=True)


@router.get("/anchors")
async def anchors_page(request: Request) -> Response:
    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form), form.choice("scope", SCOPES, "live"),
                None, form.text("sort"), form.choice("order", ("asc", "desc"), "desc"),
                *_page(form))
        return lambda r: anchors(r, *args)
    return await _report_page(request, "anchors", make)


@router.get("/competitors")
async def competitors_page(request: Request) -> Response:
    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form), form.choice("scope", SCOPES, "live"),
                *_page(form, 20))
        return lambda r: competitors(r, *args)
    return await _report_page(request, "competitors", make)


@router.get("/broken")
async def broken_page(request: Request) -> Response:
    outgoing = Form(request.query_params).flag("outgoing")

    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form), form.choice("scope", SCOPES, "live"),
                outgoing, *_page(form))
        return lambda r: broken(r, *args)
    return await _report_page(request, "broken", make,
                              "broken_outgoing" if outgoing else "broken", outgoing=outgoing)


@router.get("/history")
async def history_page(request: Request) -> Response:
    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form),
                form.choice("interval", ("day", "week", "month"), "day"), *_page(form, 100))
        return lambda r: history(r, *args)
    return await _report_page(request, "history", make)


@router.get("/internal")
async def internal_page(request: Request) -> Response:
    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (form.text("target") or "", _mode(form), form.text("sort"),
                form.choice("order", ("asc", "desc"), "desc"), form.flag("few"), *_page(form))
        return lambda r: internal(r, *args)
    return await _report_page(request, "internal", make)


@router.get("/intersect")
async def intersect_page(request: Request) -> Response:
    form = Form(request.query_params)
    names = [n for v in form.many("competitors") for n in v.replace(",", " ").split()]
    if not names:
        return render(request, "report.html", {
            **_common(form), "report": "intersect", "result": None, "error": None,
            "columns": COLUMNS["intersect"], "competitors": [""] * 3})

    def make(form: Form) -> Callable[[IndexReader], ReportResult]:
        args = (names, form.text("not"), form.number("min", 1, 1, 100), form.flag("pages"),
                _mode(form), form.choice("scope", SCOPES, "live"), *_page(form))
        return lambda r: intersect(r, *args)
    return await _report_page(request, "intersect", make, competitors=names + [""])


@router.get("/explain")
async def explain_page(request: Request) -> Response:
    form = Form(request.query_params)
    target = form.text("target")
    if not target:
        return RedirectResponse("/", status_code=303)
    context: dict[str, Any] = {**_common(form), "report": "explain", "error": None}
    try:
        context["explanation"] = await _run(request, lambda r: explain(r, target, 25))
        site = context["explanation"].target
        context["target"] = site if context["explanation"].metric == "DR" else \
            parse_target(site).domain or site
    except UsageError as problem:
        context["error"] = problem
        return render(request, "explain.html", context, status=400)
    return render(request, "explain.html", context)
