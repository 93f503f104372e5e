"""`linkscope ingest PATH...`: WARC/ARC archives into the index."""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Annotated

import typer

from linkscope.cli.app import app, state
from linkscope.cli.ranking import NoRank, echo_ranking, rank_hook
from linkscope.errors import UsageError


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"expected a date as YYYY-MM-DD, got {value!r}", where=option) from None


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="WARC/ARC files (plain, .gz, .lz4), globs, "
                                                    "directories or http(s) URLs.")],
    crawl_date: Annotated[str | None, typer.Option(
        help="Date of this snapshot (YYYY-MM-DD); default: each record's own WARC-Date.")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (default: one per core).", min=1)] = None,
    no_rank: NoRank = False,
) -> None:
    """Ingest web archives into the index as a dated snapshot.

    Example: linkscope --index ./idx ingest 'crawl/*.warc.gz' --crawl-date 2026-11-01
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from linkscope.store import ingest as run_ingest
    from linkscope.warc import expand_sources

    when = parse_date(crawl_date, "--crawl-date")
    sources = expand_sources(paths)
    settings = state.settings
    hook = rank_hook(settings.index, no_rank)
    started = time.monotonic()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"ingesting {len(sources)} source(s)")

        def show(totals: dict[str, int]) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, description=(
                f"{totals['sources_done']}/{len(sources)} sources, {totals['pages']:,} pages, "
                f"{totals['links']:,} links, {totals['bytes'] / elapsed / 1e6:.1f} MB/s"))

        report = run_ingest(settings.index, sources, crawl_date=when,
                            workers=workers or settings.workers, progress=show,
                            before_publish=hook)
    for line in report.errors:
        print(f"linkscope: error: {line}", file=sys.stderr)
    counts = report.counts
    typer.echo(f"ingested {counts.get('run_pages', 0):,} pages and {counts.get('run_links', 0):,} "
               f"links from {len(sources)} source(s) in {report.seconds:.1f} s; index "
               f"{settings.index} generation {report.generation}: {counts.get('pages', 0):,} "
               f"pages, {counts.get('links', 0):,} links ({counts.get('live_links', 0):,} live)")
    echo_ranking(hook, settings.index)
    skipped = {k: v for k, v in sorted(report.counters.items()) if "/skipped/" in k}
    if skipped:
        typer.echo("skipped: " + ", ".join(f"{k}={v}" for k, v in skipped.items()))
    if report.failed:
        typer.echo(f"{len(report.errors)} error(s); every good record was kept", err=True)
        raise typer.Exit(1)
