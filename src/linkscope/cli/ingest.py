"""`linkscope ingest PATH...`: WARC/ARC archives into the index, ranked before it serves them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from linkscope.cli.app import app, state
from linkscope.cli.interrupt import command_line, on_interrupt
from linkscope.cli.progress import Bar, Bars, quiet_option, rate
from linkscope.cli.ranking import echo_ranking, no_rank_option, rank_hook
from linkscope.errors import UsageError

if TYPE_CHECKING:
    from linkscope.store.resume import RunWatch


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"expected a date as YYYY-MM-DD, got {value!r}", where=option) from None


@app.command()
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option("--crawl-date", metavar="YYYY-MM-DD",
              help="Date of this snapshot; default: each record's own WARC-Date.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: one per core).")
@no_rank_option
@quiet_option
@click.option("--paths", "paths_file", metavar="FILE|URL",
              help="A Common Crawl paths file (warc.paths.gz): ingest the files it lists, "
                   "under --base.")
@click.option("--base", metavar="URL|DIR",
              help="Base URL or local mirror of a --paths file's names, e.g. "
                   "https://data.commoncrawl.org/.")
@click.option("--sample", type=int, metavar="N",
              help="With --paths: N files spread evenly over the list.")
@click.option("--slice", "part", metavar="I/N",
              help="With --paths: the I-th of N consecutive parts of the list (1-based).")
@click.option("--cdx-api", metavar="URL",
              help="A Common Crawl index server (e.g. https://index.commoncrawl.org/"
                   "CC-MAIN-2024-22-index): ingest the captures of --host/--prefix.")
@click.option("--cdx", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Local CDXJ index files (plain or gzip) instead of --cdx-api.")
@click.option("--data-base", metavar="URL|DIR",
              help="Where the index's filenames live (https://data.commoncrawl.org/ or a "
                   "mirror); records are fetched by range requests.")
@click.option("--host", multiple=True, metavar="HOST",
              help="With --cdx-api/--cdx: a host whose captures to ingest (www. or not).")
@click.option("--prefix", multiple=True, metavar="URL",
              help="With --cdx-api/--cdx: a URL prefix whose captures to ingest.")
def ingest(paths: tuple[str, ...], crawl_date: str | None, workers: int | None, no_rank: bool,
           quiet: bool, paths_file: str | None, base: str | None, sample: int | None,
           part: str | None, cdx_api: str | None, cdx: tuple[Path, ...], data_base: str | None,
           host: tuple[str, ...], prefix: tuple[str, ...]) -> None:
    """Ingest web archives into the index as a dated snapshot, and rank it.

    PATHs are WARC/ARC files (plain, .gz, .lz4), Common Crawl WAT files (.warc.wat.gz), globs,
    directories or http(s) URLs. Or, from Common Crawl (docs/common-crawl.md): the files a
    paths file lists (--paths, --base), or the captures of some hosts in its index (--cdx-api
    or --cdx, --data-base, --host, --prefix), fetched by range requests.

    \b
    Examples:
      linkscope --index ./idx ingest 'crawl/*.warc.gz' --crawl-date 2026-11-01
      linkscope ingest --paths warc.paths.gz --base https://data.commoncrawl.org/
    """
    from linkscope.cli.commoncrawl import common_crawl_sources, echo_counters
    from linkscope.extract.limits import ExtractLimits
    from linkscope.store import ingest as run_ingest
    from linkscope.store.resume import RunWatch
    from linkscope.warc import expand_sources

    when = parse_date(crawl_date, "--crawl-date")
    chosen = common_crawl_sources(list(paths), paths_file, base, sample, part, cdx_api,
                                  list(cdx) or None, data_base, list(host) or None,
                                  list(prefix) or None)
    sources = expand_sources(list(paths)) if chosen is None else chosen.sources
    tasks = None if chosen is None else chosen.tasks
    settings = state.settings
    watch = RunWatch(settings.index, sources, when, tasks)
    again = command_line(settings.index, "ingest", *paths,
                         *_options(paths=paths_file, base=base, sample=sample, slice=part,
                                   cdx_api=cdx_api, cdx=list(cdx), data_base=data_base,
                                   host=list(host), prefix=list(prefix)),
                         *(["--crawl-date", crawl_date] if crawl_date else []),
                         *(["--workers", str(workers)] if workers else []),
                         *(["--no-rank"] if no_rank else []))
    with on_interrupt(lambda: _kept(watch, again)), Bars(quiet) as bars:
        hook = rank_hook(settings.index, no_rank, bars)
        report = run_ingest(settings.index, sources, crawl_date=when,
                            workers=workers or settings.workers,
                            progress=ingest_reporter(bars.add("reading sources", len(sources)),
                                                     watch),
                            max_decoded_body=settings.max_decoded_body,
                            limits=ExtractLimits.from_settings(settings),
                            before_publish=hook, tasks=tasks)
    for line in report.errors:
        print(f"linkscope: error: {line}", file=sys.stderr)
    if not report.published:
        kept = f"generation {report.generation}" if report.generation else "no generation"
        click.echo(f"nothing ingested: none of the {len(sources)} source(s) held anything to "
                   f"ingest; index {settings.index} left as it was ({kept})", err=True)
        raise click.exceptions.Exit(1)
    counts = report.counts
    click.echo(f"ingested {_count(counts.get('run_pages', 0), 'page')} and "
               f"{_count(counts.get('run_links', 0), 'link')} "
               f"from {_count(len(sources), 'source')} in {report.seconds:.1f} s; index "
               f"{settings.index} generation {report.generation}: {counts.get('pages', 0):,} "
               f"pages, {counts.get('links', 0):,} links ({counts.get('live_links', 0):,} live)")
    echo_ranking(hook, settings.index)
    if chosen is not None:
        echo_counters(chosen.counters)
    skipped = {k: v for k, v in sorted(report.counters.items())
               if "/skipped/" in k or "/truncated/" in k}
    if skipped:
        click.echo("skipped: " + ", ".join(f"{k}={v}" for k, v in skipped.items()))
    if report.failed:
        click.echo(f"{len(report.errors)} error(s); every good record was kept", err=True)
        raise click.exceptions.Exit(1)


def ingest_reporter(bar: Bar, watch: RunWatch | None = None
                    ) -> Callable[[dict[str, int]], None]:
    """An ingest's `progress` callback drawing `bar`: sources read (those an earlier,
    interrupted run kept included, when `watch` reads the run), records and their rate, and
    the error lines of the sources read (when `watch` reads them)."""
    before = watch.read() if watch is not None else None
    last = {"sources_done": -1, "errors": before.errors if before is not None else 0}

    def show(totals: dict[str, int]) -> None:
        if watch is not None and totals["sources_done"] != last["sources_done"]:
            last["sources_done"] = totals["sources_done"]
            last["errors"] = watch.read().errors  # a source is done: its marker has its errors
        seconds = bar.seconds
        detail = f"{totals['pages']:,} records ({rate(totals['pages'], seconds)})"
        if watch is not None:
            detail += f", {last['errors']:,} errors"
        bar.update((before.kept if before is not None else 0) + totals["sources_done"],
                   detail=detail)

    return show


def _options(**given: object) -> list[str]:
    """The command-line spelling of the options given (for the line that resumes a run)."""
    words: list[str] = []
    for name, value in given.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            if one is not None:
                words += [f"--{name.replace('_', '-')}", str(one)]
    return words


def _kept(watch: RunWatch, again: str) -> str:
    run = watch.read()
    return (f"{run.kept} of {run.sources} sources read and kept; run `{again}` again to "
            f"resume")



def _count(number: int, noun: str) -> str:
    """`1 page`, `2 pages`."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
