"""`linkscope crawl SEED...` and `linkscope recrawl`: fetch pages politely, then index and
rank them. Ctrl-C keeps what was fetched; `crawl --resume` goes on (the message says so)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from linkscope.cli.app import app, state
from linkscope.cli.ingest import ingest_reporter
from linkscope.cli.interrupt import command_line, on_interrupt
from linkscope.cli.progress import Bar, Bars, Quiet, rate
from linkscope.cli.ranking import NoRank, RankBeforePublish, echo_ranking, rank_hook

if TYPE_CHECKING:
    from linkscope.crawl import CrawlHooks, CrawlReport

IndexOption = Annotated[Path | None, typer.Option(
    "--index", help="Index directory (also a global option before the command).")]
Delay = Annotated[float, typer.Option(help="Seconds between two requests to one host.", min=0)]
Concurrency = Annotated[int, typer.Option(help="Requests in flight over all hosts.", min=1)]
Hosts = Annotated[Path | None, typer.Option(
    help="Resolve names from this /etc/hosts-style file only (no DNS).")]
AllowPrivate = Annotated[bool, typer.Option(
    "--allow-private", help="Allow private, loopback and link-local addresses.")]
UserAgent = Annotated[str | None, typer.Option(
    help="User-Agent to send (env LINKSCOPE_USER_AGENT).")]
Timeout = Annotated[float, typer.Option(help="Seconds allowed for one request.", min=0.01)]
Retries = Annotated[int, typer.Option(help="Retries after a timeout, 429 or 5xx.", min=0)]
MaxCrawlDelay = Annotated[float, typer.Option(
    help="Cap on a robots.txt Crawl-delay, in seconds.", min=0)]


def _index(index: Path | None) -> Path:
    return index if index is not None else state.settings.index


@app.command()
def crawl(
    seeds: Annotated[list[str] | None, typer.Argument(
        help="Start URLs (http or https); none with --resume.", show_default=False)] = None,
    index: IndexOption = None,
    scope: Annotated[str, typer.Option(
        help="site (the seeds' hosts), domain (their registrable domains) or links:N "
             "(their domains plus N hops outside).")] = "site",
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many fetches.",
                                                  min=0)] = None,
    max_depth: Annotated[int | None, typer.Option(help="Links away from a seed.", min=0)] = None,
    per_host_delay: Delay = 1.0,
    concurrency: Concurrency = 16,
    hosts: Hosts = None,
    allow_private: AllowPrivate = False,
    user_agent: UserAgent = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Go on with the index's unfinished crawl.")] = False,
    timeout: Timeout = 30.0,
    retries: Retries = 2,
    max_crawl_delay: MaxCrawlDelay = 30.0,
    no_rank: NoRank = False,
    quiet: Quiet = False,
) -> None:
    """Crawl from SEEDs within the scope, write WARC files, and index and rank what was fetched.

    Example: linkscope --index ./idx crawl https://example.com/ --scope domain --max-pages 500
    """
    from linkscope.crawl import CrawlConfig, check_hosts_file, check_seeds
    from linkscope.crawl.config import check_scope
    from linkscope.crawl.jobs import resume_directory, run, start

    where = _index(index)
    checked = check_seeds(seeds or [])
    if resume:
        directory = resume_directory(where, checked)
    else:
        if not checked:
            raise typer.BadParameter("give at least one SEED (or --resume)", param_hint="SEED")
        check_scope(scope)
        config = CrawlConfig(
            seeds=checked, scope=scope, max_pages=max_pages, max_depth=max_depth,
            per_host_delay=per_host_delay, concurrency=concurrency,
            hosts_file=check_hosts_file(hosts), allow_private=allow_private,
            user_agent=user_agent or state.settings.user_agent, timeout=timeout,
            retries=retries, max_crawl_delay=max_crawl_delay,
            max_decoded_body=state.settings.max_decoded_body)
    with on_interrupt(lambda: _kept(where, no_rank)), Bars(quiet) as bars:
        hook = rank_hook(where, no_rank, bars)
        if not resume:
            directory = start(where, config)
        report = run(directory, where, state.settings.workers, crawl_hooks(bars, hook),
                     _limits())
    _summary(report, where, hook)


@app.command()
def recrawl(
    index: IndexOption = None,
    max_pages: Annotated[int | None, typer.Option(
        help="Revisit at most this many pages (most valuable, then oldest, first).",
        min=1)] = None,
    per_host_delay: Delay = 1.0,
    concurrency: Concurrency = 16,
    hosts: Hosts = None,
    allow_private: AllowPrivate = False,
    user_agent: UserAgent = None,
    timeout: Timeout = 30.0,
    retries: Retries = 2,
    max_crawl_delay: MaxCrawlDelay = 30.0,
    no_rank: NoRank = False,
    quiet: Quiet = False,
) -> None:
    """Revisit pages already in the index and index them again, to find new and lost links.

    Example: linkscope --index ./idx recrawl --max-pages 500
    """
    from linkscope.crawl import CrawlConfig, check_hosts_file
    from linkscope.crawl.recrawl import recrawl as run_recrawl

    where = _index(index)
    template = CrawlConfig(
        seeds=(), per_host_delay=per_host_delay, concurrency=concurrency,
        hosts_file=check_hosts_file(hosts), allow_private=allow_private,
        user_agent=user_agent or state.settings.user_agent, timeout=timeout, retries=retries,
        max_crawl_delay=max_crawl_delay, max_decoded_body=state.settings.max_decoded_body)
    with on_interrupt(lambda: _kept(where, no_rank)), Bars(quiet) as bars:
        hook = rank_hook(where, no_rank, bars)
        report = run_recrawl(where, template, max_pages, state.settings.workers,
                             crawl_hooks(bars, hook), _limits())
    _summary(report, where, hook)


def crawl_hooks(bars: Bars, hook: RankBeforePublish | None) -> CrawlHooks:
    """A bar for the crawl, one for indexing its WARC files, and the ranking (its own bar)."""
    from linkscope.crawl import CrawlHooks

    indexing: list[Callable[[dict[str, int]], None]] = []

    def index_progress(totals: dict[str, int]) -> None:
        if not indexing:  # the bar appears when indexing begins
            indexing.append(ingest_reporter(bars.add("indexing")))
        indexing[0](totals)

    return CrawlHooks(progress=crawl_reporter(bars.add("crawling")),
                      ingest_progress=index_progress, before_publish=hook)


def crawl_reporter(bar: Bar) -> Callable[[dict[str, int]], None]:
    """A crawl's `progress` callback drawing `bar` from `Crawler.snapshot()`."""

    def show(now: dict[str, int]) -> None:
        bar.update(now["pages"], total=now["planned"] or None, detail=(
            f"pages ({rate(now['fetches'], bar.seconds)}), {now['queued']:,} queued, "
            f"{now['errors']:,} errors"))

    return show


def _kept(index: Path, no_rank: bool) -> str:
    """What an interrupted crawl or recrawl kept, and the command that goes on with it."""
    from linkscope.crawl.jobs import unfinished_state

    unfinished = unfinished_state(index)
    again = command_line(index, "crawl", "--resume", *(["--no-rank"] if no_rank else []))
    if unfinished is None:
        return "no crawl was started, nothing to resume"
    name, directory = unfinished.crawl_id, unfinished.directory
    if unfinished.phase == "crawling":
        return (f"crawl {name}: {unfinished.fetched:,} URLs fetched and kept in {directory}, "
                f"{unfinished.queued:,} still queued; run `{again}` to go on")
    return (f"crawl {name}: all {unfinished.fetched:,} fetches kept in {directory}, not yet "
            f"indexed; run `{again}` to index them")


def _summary(report: CrawlReport, index: Path, hook: RankBeforePublish | None) -> None:
    counters = report.counters
    statuses = ", ".join(f"{key.rsplit('/', 1)[1]}: {value}" for key, value in
                         sorted(counters.items()) if key.startswith("crawl/status/"))
    typer.echo(f"crawl {report.crawl_id}{' (resumed)' if report.resumed else ''}: "
               f"{counters.get('crawl/fetches', 0):,} fetches ({statuses or 'none'}), "
               f"{counters.get('crawl/robots/disallowed', 0):,} disallowed by robots.txt, "
               f"{counters.get('crawl/retries', 0):,} retries; files in {report.directory}")
    if report.ingest is not None:
        counts = report.ingest.counts
        typer.echo(f"indexed into {index} generation {report.ingest.generation}: "
                   f"{counts.get('pages', 0):,} pages, {counts.get('links', 0):,} links "
                   f"({counts.get('live_links', 0):,} live)")
        echo_ranking(hook, index)


def _limits() -> Any:
    """The extraction limits of the settings (imported here: extract loads the HTML parser)."""
    from linkscope.extract.limits import ExtractLimits

    return ExtractLimits.from_settings(state.settings)
