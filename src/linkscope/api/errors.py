"""One error shape for every error the server answers, JSON or HTML:

    {"error": {"status": 400, "parameter": "limit", "message": "must be between 1 and 1000"}}

`parameter` names the query parameter at fault, or is null. The same three fields are shown on
an HTML page to a browser (a request outside /api/ whose Accept prefers text/html).

    400  a bad parameter: validation by the schema, or a UsageError from the reports
    401  a missing or wrong API key
    404  an unknown route
    405  a method other than GET/HEAD
    503  no index to serve yet, or the query ran past the time limit
    500  anything else (a bug; the traceback goes to the log, not to the client)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from linkscope.api.runner import QueryTimeout
from linkscope.errors import LinkscopeError, StoreError, UsageError

log = logging.getLogger(__name__)

HtmlRenderer = Callable[[Request, int, str | None, str], Response]


class ErrorDetail(BaseModel):
    status: int
    parameter: str | None
    message: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "A bad parameter"), (401, "Missing or wrong API key"),
        (503, "No index yet, or the query ran past the time limit"))}


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def error_response(request: Request, status: int, parameter: str | None, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    render: HtmlRenderer | None = getattr(request.app.state, "render_error", None)
    if render is not None and wants_html(request):
        response = render(request, status, parameter, message)
        response.headers.update(headers or {})
        return response
    body = {"error": {"status": status, "parameter": parameter, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def _parameter_of(error: dict[str, Any]) -> str | None:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "header")]
    return loc[0] if loc else None


def _validation_message(error: dict[str, Any]) -> str:
    if error.get("type") == "missing":
        return "required"
    message = str(error.get("msg", "invalid value"))
    if "input" in error:
        message += f" (got {error['input']!r})"
    return message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, problem: RequestValidationError) -> Response:
        errors = list(problem.errors())
        first = errors[0] if errors else {}
        return error_response(request, 400, _parameter_of(first), _validation_message(first))

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, problem: HTTPException) -> Response:
        message = {404: f"no such page: {request.url.path}",
                   405: f"method {request.method} not allowed; the API is read-only (GET)"
                   }.get(problem.status_code, str(problem.detail))
        return error_response(request, problem.status_code, None, message,
                              dict(problem.headers or {}))

    @app.exception_handler(UsageError)
    async def on_usage(request: Request, problem: UsageError) -> Response:
        parameter = problem.where if problem.where in request.query_params or (
            problem.where and problem.where.isidentifier()) else None
        message = problem.message if parameter else problem.one_line()
        if parameter and problem.hint:
            message += f" ({problem.hint})"
        return error_response(request, 400, parameter, message)

    @app.exception_handler(StoreError)
    async def on_store(request: Request, problem: StoreError) -> Response:
        return error_response(request, 503, None, problem.one_line())

    @app.exception_handler(LinkscopeError)
    async def on_linkscope(request: Request, problem: LinkscopeError) -> Response:
        return error_response(request, 400, None, problem.one_line())

    @app.exception_handler(QueryTimeout)
    async def on_timeout(request: Request, problem: QueryTimeout) -> Response:
        return error_response(request, 503, None,
                              f"{problem}; narrow the target or the filters, or page with a "
                              f"smaller limit", {"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def on_bug(request: Request, problem: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return error_response(request, 500, None,
                              "internal error; the server log has the details")
