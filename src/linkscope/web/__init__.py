"""The web UI: server-rendered pages over the report library, served by the API's app.

    install_ui(app)   add the pages, the static files (CSS, charts) and HTML error pages

Tables, filters, sorting and paging are plain links and GET forms (no JavaScript needed);
charts use Chart.js, shipped in `static/` (no network at run time).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from linkscope.web.pages import router
from linkscope.web.render import HERE, render_error

__all__ = ["install_ui"]


def install_ui(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)
    app.state.render_error = render_error
