"""One command per report; the options they share are defined once here.

Every report prints a table by default and takes --format csv|json|jsonl for scripts.
"""

from __future__ import annotations

from typing import Annotated

import typer

from linkscope.cli.app import app, state
from linkscope.cli.output import check_format, print_result
from linkscope.reports import (
    LinkFilters,
    anchors,
    backlinks,
    broken,
    competitors,
    history,
    internal,
    intersect,
    overview,
    refdomains,
)
from linkscope.reports.result import ReportResult
from linkscope.store import open_index

Target = Annotated[str, typer.Argument(help="A URL, URL prefix, domain or host.")]
Mode = Annotated[str | None, typer.Option(
    help="exact, prefix, domain or subdomains (default: exact for a URL, domain otherwise).")]
Scope = Annotated[str, typer.Option(
    help="live, recent (live and lost in the last 90 days) or all.")]
Sort = Annotated[str | None, typer.Option(help="Column to sort by.")]
Order = Annotated[str, typer.Option(help="asc or desc.")]
Limit = Annotated[int, typer.Option(help="Rows per page.")]
Offset = Annotated[int, typer.Option(help="Rows to skip (paging).")]
Format = Annotated[str, typer.Option("--format", help="table, csv, json or jsonl.")]
Rel = Annotated[list[str] | None, typer.Option(
    "--rel", help="Link type: follow, nofollow, ugc, sponsored; all must hold.")]
Placement = Annotated[list[str] | None, typer.Option(
    "--placement", help="content, header, nav, sidebar, footer, comment.")]
Kind = Annotated[list[str] | None, typer.Option(
    "--kind", help="text, image, redirect, canonical, alternate, frame, form.")]
AnchorContains = Annotated[str | None, typer.Option(help="Anchor contains (any case).")]
AnchorRegex = Annotated[str | None, typer.Option(help="Anchor matches (RE2 syntax).")]
Language = Annotated[str | None, typer.Option(help="Language of the referring page.")]
MinDr = Annotated[float | None, typer.Option(help="Minimum DR of the referring domain.")]
MinUr = Annotated[float | None, typer.Option(help="Minimum UR of the referring page.")]
NewWithin = Annotated[int | None, typer.Option(help="First seen in the last N days.")]
LostWithin = Annotated[int | None, typer.Option(help="Lost in the last N days.")]
RefDomain = Annotated[str | None, typer.Option(help="Only links from this domain.")]


def _run(make: object, fmt: str) -> None:
    check_format(fmt)
    with open_index(state.settings.index) as reader:
        result: ReportResult = make(reader)  # type: ignore[operator]
    print_result(result, fmt)


def _filters(rel: list[str] | None, placement: list[str] | None, kind: list[str] | None,
             anchor_contains: str | None, anchor_regex: str | None, language: str | None,
             min_dr: float | None, min_ur: float | None, new_within: int | None,
             lost_within: int | None, referring_domain: str | None) -> LinkFilters:
    return LinkFilters(rel=rel or [], placement=placement or [], kind=kind or [],
                       anchor_contains=anchor_contains, anchor_regex=anchor_regex,
                       language=language, min_dr=min_dr, min_ur=min_ur, new_within=new_within,
                       lost_within=lost_within, referring_domain=referring_domain)


@app.command("overview")
def overview_command(target: Target, mode: Mode = None, scope: Scope = "live",
                     format: Format = "table") -> None:
    """DR, UR, link counts, anchors and the referring domains' DR distribution and history.

    Example: linkscope overview example.test
    """
    _run(lambda r: overview(r, target, mode, scope), format)


@app.command("backlinks")
def backlinks_command(
    target: Target, mode: Mode = None, scope: Scope = "live", rel: Rel = None,
    placement: Placement = None, kind: Kind = None, anchor_contains: AnchorContains = None,
    anchor_regex: AnchorRegex = None, language: Language = None, min_dr: MinDr = None,
    min_ur: MinUr = None, new_within: NewWithin = None, lost_within: LostWithin = None,
    referring_domain: RefDomain = None,
    aggregate: Annotated[str, typer.Option(
        help="all, domain (the best link of each referring domain) or similar.")] = "all",
    best: Annotated[bool, typer.Option(
        "--best", help="Followed links in content, by link value.")] = False,
    sort: Sort = None, order: Order = "desc", limit: Limit = 50, offset: Offset = 0,
    format: Format = "table",
) -> None:
    """The links to a target, with their referring page, authority and value.

    Examples: linkscope backlinks example.test --best --limit 20
              linkscope backlinks https://example.test/page --rel nofollow --format csv
    """
    filters = _filters(rel, placement, kind, anchor_contains, anchor_regex, language, min_dr,
                       min_ur, new_within, lost_within, referring_domain)
    _run(lambda r: backlinks(r, target, mode, scope, filters, aggregate, best, sort, order,
                             limit, offset), format)


@app.command("refdomains")
def refdomains_command(
    target: Target, mode: Mode = None, scope: Scope = "live", rel: Rel = None,
    placement: Placement = None, kind: Kind = None, anchor_contains: AnchorContains = None,
    anchor_regex: AnchorRegex = None, language: Language = None, min_dr: MinDr = None,
    min_ur: MinUr = None, new_within: NewWithin = None, lost_within: LostWithin = None,
    referring_domain: RefDomain = None, sort: Sort = None, order: Order = "desc",
    limit: Limit = 50, offset: Offset = 0, format: Format = "table",
) -> None:
    """The domains that link to a target, with their DR and links.

    Example: linkscope refdomains example.test --min-dr 30
    """
    filters = _filters(rel, placement, kind, anchor_contains, anchor_regex, language, min_dr,
                       min_ur, new_within, lost_within, referring_domain)
    _run(lambda r: refdomains(r, target, mode, scope, filters, sort, order, limit, offset),
         format)


@app.command("anchors")
def anchors_command(target: Target, mode: Mode = None, scope: Scope = "live", sort: Sort = None,
                    order: Order = "desc", limit: Limit = 50, offset: Offset = 0,
                    format: Format = "table") -> None:
    """The anchor texts of the links to a target.

    Example: linkscope anchors example.test --format csv
    """
    _run(lambda r: anchors(r, target, mode, scope, None, sort, order, limit, offset), format)


@app.command("intersect")
def intersect_command(
    competitors_: Annotated[list[str], typer.Argument(
        metavar="COMPETITOR...", help="Competitor domains or URLs (any number).")],
    not_: Annotated[str | None, typer.Option("--not", help="Your site: exclude its "
                                                           "referrers.")] = None,
    min_count: Annotated[int, typer.Option("--min", help="Link to at least this many "
                                                         "competitors.")] = 1,
    pages: Annotated[bool, typer.Option("--pages", help="Referring pages instead of "
                                                        "domains.")] = False,
    mode: Mode = None, scope: Scope = "live", limit: Limit = 50, offset: Offset = 0,
    format: Format = "table",
) -> None:
    """Who links to your competitors but not to you.

    Example: linkscope intersect a.test b.test c.test --not mine.test --min 2
    """
    _run(lambda r: intersect(r, competitors_, not_, min_count, pages, mode, scope, limit,
                             offset), format)


@app.command("competitors")
def competitors_command(target: Target, mode: Mode = None, scope: Scope = "live",
                        limit: Limit = 20, offset: Offset = 0, format: Format = "table") -> None:
    """Sites whose referring domains overlap most with the target's.

    Example: linkscope competitors example.test
    """
    _run(lambda r: competitors(r, target, mode, scope, limit, offset), format)


@app.command("broken")
def broken_command(
    target: Target, mode: Mode = None, scope: Scope = "live",
    outgoing: Annotated[bool, typer.Option(
        "--outgoing", help="The target's own links to dead pages on other sites.")] = False,
    limit: Limit = 50, offset: Offset = 0, format: Format = "table",
) -> None:
    """Broken backlinks to reclaim, or (--outgoing) dead pages the target links to.

    Example: linkscope broken example.test    linkscope broken example.test --outgoing
    """
    _run(lambda r: broken(r, target, mode, scope, outgoing, limit, offset), format)


@app.command("history")
def history_command(
    target: Target, mode: Mode = None,
    interval: Annotated[str, typer.Option(help="day, week or month.")] = "day",
    limit: Limit = 366, offset: Offset = 0, format: Format = "table",
) -> None:
    """New and lost links and referring domains over time, with lost reasons.

    Example: linkscope history example.test --interval week
    """
    _run(lambda r: history(r, target, mode, interval, limit, offset), format)


@app.command("internal")
def internal_command(
    target: Target, mode: Mode = None, sort: Sort = None, order: Order = "desc",
    few: Annotated[bool, typer.Option("--few", help="Only pages with few internal "
                                                    "links.")] = False,
    limit: Limit = 50, offset: Offset = 0, format: Format = "table",
) -> None:
    """A site's pages by internal links and UR; --few lists those that need links.

    Example: linkscope internal example.test --few
    """
    _run(lambda r: internal(r, target, mode, sort, order, few, limit, offset), format)
