"""The web UI's pages, one a report, rendered on the server from the same report functions.

Every page is a GET whose query string carries the report's parameters (as in the API), so a
page can be bookmarked, shared and exported (its CSV link is the API's URL with format=csv).
The pages and their forms are generated from the reports' queries (queries/reports.py). A bad
parameter re-renders the page with the message beside the form, answered 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from linkscope.api.runner import ReportRunner
from linkscope.columns import COLUMNS, view_of
from linkscope.errors import UsageError
from linkscope.queries.model import MODES, SCOPES, params_of
from linkscope.queries.reports import REPORTS, OverviewQuery, ReportSpec
from linkscope.reports.result import ReportResult
from linkscope.store.catalog import IndexReader
from linkscope.web.capture import Capture
from linkscope.web.render import render
from linkscope.web.views import Form, fields, page_sizes, widget

router = APIRouter(include_in_schema=False)


async def _run(request: Request, work: Callable[[IndexReader], Any]) -> Any:
    runner: ReportRunner = request.app.state.runner
    return await runner.run(work)


def _common(form: Form) -> dict[str, Any]:
    return {"form": form, "target": form.text("target", ""), "mode": form.text("mode"),
            "modes": MODES, "scopes": SCOPES, "fields": fields, "widget": widget}


async def report_page(request: Request, spec: ReportSpec) -> Response:
    """A report's page: its form (from the query's parameters) and its rows."""
    form = Form(request.query_params)
    targeted = any(p.name == "target" for p in fields(spec, "hidden"))
    if targeted and not form.text("target"):
        return RedirectResponse("/", status_code=303)
    outgoing = form.flag("outgoing")
    limit_default = next(p.default for p in fields(spec, "paging") if p.name == "limit")
    page: dict[str, Any] = {
        **_common(form), "report": spec.name, "spec": spec, "result": None, "error": None,
        "columns": [c for c in COLUMNS[view_of(spec.name, outgoing, form.text("aggregate"))]
                    if c.web],
        "outgoing": outgoing, "page_sizes": page_sizes(form, limit_default),
        "limit_default": limit_default, "competitors": form.many("competitors") + [""]}
    asked = [p.public for p in params_of(spec.query) if p.positional]
    if not targeted and not any(form.many(name) for name in asked):
        page["competitors"] = [""] * 3
        return render(request, "report.html", page)  # an empty form to fill in
    try:
        query = form.query(spec)
        page["query"] = query
        page["result"] = await _run(request, lambda reader: spec.run(reader, query))
        if spec.name == "search" and getattr(query, "aggregate", "") == "none":
            page["months"], page["sites"] = await _run(request, lambda reader: (
                spec.run(reader, query.changed(aggregate="month", limit=1000, offset=0)),
                spec.run(reader, query.changed(aggregate="site", limit=10, offset=0))))
    except UsageError as problem:
        page["error"] = problem
        return render(request, "report.html", page, status=400)
    return render(request, "report.html", page)


def _report_route(spec: ReportSpec) -> Callable[[Request], Any]:
    async def page(request: Request) -> Response:
        return await report_page(request, spec)

    page.__name__ = f"{spec.name}_page"
    return page


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
    spec = REPORTS["overview"]
    try:
        query = form.query(spec)
        assert isinstance(query, OverviewQuery)

        def work(reader: IndexReader) -> tuple[ReportResult, ReportResult, str | None]:
            from linkscope.reports import history, overview

            result = overview(reader, query)
            changes = history(reader, query.target, mode=query.mode, interval="week")
            return result, changes, _home_url(reader, result)

        context["result"], context["history"], context["ur_url"] = await _run(request, work)
        from linkscope.reports import parse_target

        context["dr_domain"] = parse_target(query.target, query.mode).domain
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


for _spec in REPORTS.values():
    if _spec.name != "overview":
        router.add_api_route(f"/{_spec.name}", _report_route(_spec), methods=["GET"])


def _capture_params(form: Form) -> tuple[str, str, str, int]:
    values = []
    for name in ("source", "target", "warc_file", "warc_offset"):
        value = form.text(name)
        if value is None:
            raise UsageError("required", where=name)
        values.append(value)
    if not values[3].isdigit():
        raise UsageError(f"expected a byte offset, got {values[3]!r}", where="warc_offset")
    return values[0], values[1], values[2], int(values[3])


async def _capture(request: Request) -> Capture:
    """The capture a request names, once the index confirms that it holds that link."""
    from linkscope.web.capture import find_capture, read_capture

    source, target, warc_file, warc_offset = _capture_params(Form(request.query_params))
    await _run(request, lambda reader: find_capture(reader, source, target, warc_file,
                                                    warc_offset))
    return read_capture(source, target, warc_file, warc_offset)


@router.get("/capture")
async def capture_page(request: Request) -> Response:
    """The archived referring page of a backlink, in a sandboxed frame, with its facts."""
    form = Form(request.query_params)
    context: dict[str, Any] = {**_common(form), "report": "capture", "error": None,
                               "capture": None, "frame": "/capture/page?" + str(
                                   request.query_params) + "#linkscope-link"}
    context["target"] = ""
    try:
        context["capture"] = await _capture(request)
    except UsageError as problem:
        context["error"] = problem
        return render(request, "capture.html", context, status=400)
    return render(request, "capture.html", context)


@router.get("/capture/page")
async def capture_frame(request: Request) -> Response:
    """The archived page itself, safe to show: no script runs and nothing loads."""
    from linkscope.web.capture import CAPTURE_CSP

    capture = await _capture(request)
    return HTMLResponse(capture.html, headers={
        "Content-Security-Policy": CAPTURE_CSP, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "Cache-Control": "private, max-age=3600"})


@router.get("/explain")
async def explain_page(request: Request) -> Response:
    form = Form(request.query_params)
    target = form.text("target")
    if not target:
        return RedirectResponse("/", status_code=303)
    context: dict[str, Any] = {**_common(form), "report": "explain", "error": None}
    try:
        from linkscope.reports import explain, parse_target

        context["explanation"] = await _run(request, lambda r: explain(r, target, 25))
        site = context["explanation"].target
        context["target"] = site if context["explanation"].metric == "DR" else \
            parse_target(site).domain or site
    except UsageError as problem:
        context["error"] = problem
        return render(request, "explain.html", context, status=400)
    return render(request, "explain.html", context)
