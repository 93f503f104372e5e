"""The server application: the JSON API under /api/v1 and the web UI, over one report runner.

Read-only: every route is a GET over the served generation; nothing writes to the index.
With an API key set, every request but the static files must carry it: `X-API-Key: KEY`,
`Authorization: Bearer KEY`, or (for a browser, which asks for it) HTTP Basic auth with the
key as the password.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response

from linkscope import __version__
from linkscope.api.errors import error_response, install_error_handlers
from linkscope.api.routes import router
from linkscope.api.runner import ReportRunner
from linkscope.settings import QUERY_TIMEOUT, QUERY_WORKERS

OPEN_PATHS = ("/static/",)


def create_app(index: Path | str, *, api_key: str | None = None,
               query_timeout: float = QUERY_TIMEOUT, workers: int = QUERY_WORKERS,
               ui: bool = True) -> FastAPI:
    """The FastAPI app serving `index` (its latest generation, followed as it changes)."""
    app = FastAPI(title="linkscope", version=__version__,
                  summary="Site Explorer reports over a self-hosted backlink index.",
                  openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs",
                  redoc_url=None, lifespan=_lifespan)
    app.state.runner = ReportRunner(index, query_timeout, workers)
    app.state.api_key = api_key
    install_error_handlers(app)
    app.include_router(router)
    if ui:
        from linkscope.web import install_ui

        install_ui(app)

    @app.middleware("http")
    async def require_key(request: Request,
                          call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        key: str | None = request.app.state.api_key
        if key and not request.url.path.startswith(OPEN_PATHS) and not _authorized(
                request, key):
            return error_response(
                request, 401, None, "missing or wrong API key: send it as X-API-Key or "
                                    "Authorization: Bearer", {"WWW-Authenticate":
                                                               'Basic realm="linkscope"'})
        return await call_next(request)

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.runner.close()


def _authorized(request: Request, key: str) -> bool:
    given = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if given is None and scheme.lower() == "bearer":
        given = value.strip()
    elif given is None and scheme.lower() == "basic":
        try:
            given = base64.b64decode(value.strip()).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            given = None
    return given is not None and hmac.compare_digest(given.encode(), key.encode())
