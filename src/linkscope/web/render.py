"""Templates and the filters that format figures for people (ratings, counts, dates, shares)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from linkscope import __version__
from linkscope.columns import day, number, percent, rating
from linkscope.reports.result import plain

HERE = Path(__file__).parent
env = Environment(loader=FileSystemLoader(HERE / "templates"),
                  autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)

REPORT_TITLES = {
    "overview": "Overview", "backlinks": "Backlinks", "refdomains": "Referring domains",
    "anchors": "Anchors", "broken": "Broken links", "history": "New and lost",
    "internal": "Internal links", "competitors": "Competitors", "intersect": "Link intersect",
    "explain": "Explanation", "refips": "Referring IPs", "capture": "Archived page",
    "search": "Content Explorer", "mentions": "Unlinked mentions",
}
TABS = ("overview", "backlinks", "refdomains", "anchors", "refips", "broken", "history",
        "internal", "competitors")


def small(value: Any) -> str:
    """A tiny share (link value): three significant digits, always in the same notation, so
    that a column of them compares at a glance (1.48e-04 above 8.82e-05, never 0.000148)."""
    if value is None:
        return "–"
    number = float(value)
    return "0" if number == 0 else f"{number:.2e}"


def short_url(value: Any, width: int = 70) -> str:
    text = str(value or "")
    for scheme in ("https://", "http://"):
        text = text.removeprefix(scheme)
    return text if len(text) <= width else text[: width - 1] + "…"


def as_json(value: Any) -> str:
    """JSON for a <script type="application/json"> block (</ cannot close the element)."""
    return json.dumps(plain(value), ensure_ascii=False).replace("</", "<\\/")


env.filters.update(rating=rating, count=number, percent=percent, small=small, share=percent,
                   day=day,
                   short_url=short_url, as_json=as_json)
env.globals.update(titles=REPORT_TITLES, tabs=TABS, version=__version__)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    html = env.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, parameter: str | None,
                 message: str) -> Response:
    """The error shape as a page, for a browser (same three fields as the JSON)."""
    return render(request, "error.html", {"status": status, "parameter": parameter,
                                          "message": message, "report": None, "target": "",
                                          "mode": None, "modes": ()}, status=status)
