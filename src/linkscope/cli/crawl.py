"""`linkscope crawl SEED...` and `linkscope recrawl`: fetch pages politely, then index and
rank them. Ctrl-C keeps what was fetched; `crawl --resume` goes on (the message says so)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linkscope.cli.app import app, index_option, state
from linkscope.cli.ingest import ingest_reporter
from linkscope.cli.interrupt import command_line, on_interrupt
from linkscope.cli.progress import Bar, Bars, quiet_option, rate
from linkscope.cli.ranking import RankBeforePublish, echo_ranking, no_rank_option, rank_hook

if TYPE_CHECKING:
    from linkscope.crawl import CrawlHooks, CrawlReport

PATH = click.Path(path_type=Path)


def polite_options(command: Any) -> Any:
    """The options crawl and recrawl share: how they fetch, and what they may reach."""
    for option in reversed((
        click.option("--per-host-delay", type=click.FloatRange(min=0), default=1.0,
                     show_default=True, metavar="X",
                     help="Seconds between two requests to one host."),
        click.option("--concurrency", type=click.IntRange(min=1), default=16, show_default=True,
                     metavar="N", help="Requests in flight over all hosts."),
        click.option("--hosts", type=PATH, metavar="PATH",
                     help="Resolve names from this /etc/hosts-style file only (no DNS)."),
        click.option("--allow-private", is_flag=True,
                     help="Allow private, loopback and link-local addresses."),
        click.option("--user-agent", metavar="TEXT",
                     help="User-Agent to send (env LINKSCOPE_USER_AGENT)."),
        click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0,
                     show_default=True, metavar="X", help="Seconds allowed for one request."),
        click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True,
                     metavar="N", help="Retries after a timeout, 429 or 5xx."),
        click.option("--max-crawl-delay", type=click.FloatRange(min=0), default=30.0,
                     show_default=True, metavar="X",
                     help="Cap on a robots.txt Crawl-delay, in seconds."),
        no_rank_option,
        quiet_option,
    )):
        command = option(command)
    return command


def _index(index: Path | None) -> Path:
    return index if index is not None else state.settings.index


@app.command(context_settings={"show_default": True})
@click.argument("seeds", nargs=-1, metavar="[SEED]...")
@index_option()
@click.option("--scope", default="site", metavar="TEXT",
              help="site (the seeds' hosts), domain (their registrable domains) or links:N "
                   "(their domains plus N hops outside).")
@click.option("--max-pages", type=click.IntRange(min=0), metavar="N",
              help="Stop after this many fetches.")
@click.option("--max-depth", type=click.IntRange(min=0), metavar="N",
              help="Links away from a seed.")
@click.option("--resume", is_flag=True, help="Go on with the index's unfinished crawl.")
@polite_options
def crawl(seeds: tuple[str, ...], index: Path | None, scope: str, max_pages: int | None,
          max_depth: int | None, resume: bool, per_host_delay: float, concurrency: int,
          hosts: Path | None, allow_private: bool, user_agent: str | None, timeout: float,
          retries: int, max_crawl_delay: float, no_rank: bool, quiet: bool) -> None:
    """Crawl from SEEDs within the scope, write WARC files, and index and rank what was fetched.

    SEEDs are start URLs (http or https); none with --resume.

    \b
    Example:
      linkscope --index ./idx crawl https://example.com/ --max-pages 500
    """
    from linkscope.crawl import CrawlConfig, check_hosts_file, check_seeds
    from linkscope.crawl.config import check_scope
    from linkscope.crawl.jobs import resume_directory, run, start

    where = _index(index)
    checked = check_seeds(list(seeds))
    if resume:
        directory = resume_directory(where, checked)
    else:
        if not checked:
            raise click.BadParameter("give at least one SEED (or --resume)", param_hint="SEED")
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


@app.command(context_settings={"show_default": True})
@index_option()
@click.option("--max-pages", type=click.IntRange(min=1), metavar="N",
              help="Revisit at most this many pages (most valuable, then oldest, first).")
@polite_options
def recrawl(index: Path | None, max_pages: int | None, per_host_delay: float, concurrency: int,
            hosts: Path | None, allow_private: bool, user_agent: str | None, timeout: float,
            retries: int, max_crawl_delay: float, no_rank: bool, quiet: bool) -> None:
    """Revisit pages already in the index and index them again, to find new and lost links.

    \b
    Example:
      linkscope --index ./idx recrawl --max-pages 500
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
    click.echo(f"crawl {report.crawl_id}{' (resumed)' if report.resumed else ''}: "
               f"{counters.get('crawl/fetches', 0):,} fetches ({statuses or 'none'}), "
               f"{counters.get('crawl/robots/disallowed', 0):,} disallowed by robots.txt, "
               f"{counters.get('crawl/retries', 0):,} retries; files in {report.directory}")
    if report.ingest is not None:
        counts = report.ingest.counts
        click.echo(f"indexed into {index} generation {report.ingest.generation}: "
                   f"{counts.get('pages', 0):,} pages, {counts.get('links', 0):,} links "
                   f"({counts.get('live_links', 0):,} live)")
        echo_ranking(hook, index)


def _limits() -> Any:
    """The extraction limits of the settings (imported here: extract loads the HTML parser)."""
    from linkscope.extract.limits import ExtractLimits

    return ExtractLimits.from_settings(state.settings)
