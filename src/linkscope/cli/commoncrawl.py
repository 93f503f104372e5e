"""The Common Crawl sources of `linkscope ingest` (--paths, --cdx-api, --cdx) and the
`linkscope discover` command (docs/common-crawl.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from linkscope.cli.app import app, state
from linkscope.cli.interrupt import command_line, on_interrupt
from linkscope.cli.progress import Bars, quiet_option
from linkscope.cli.ranking import echo_ranking, no_rank_option, rank_hook
from linkscope.errors import UsageError

if TYPE_CHECKING:
    from linkscope.store.parts import ReadTask


@dataclass
class CommonCrawlSources:
    """The sources and reading tasks of an ingest from Common Crawl, and what choosing them
    counted."""

    sources: list[str]
    tasks: list[ReadTask] | None
    counters: Counter[str] = field(default_factory=Counter)


def common_crawl_sources(paths: list[str], paths_file: str | None, base: str | None,
                         sample: int | None, part: str | None, cdx_api: str | None,
                         cdx: list[Path] | None, data_base: str | None, hosts: list[str] | None,
                         prefixes: list[str] | None) -> CommonCrawlSources | None:
    """The ingest's sources when a Common Crawl option is given; None for plain archives.
    Options that do not go together are a UsageError naming one of them."""
    from linkscope.commoncrawl import paths as cc_paths
    from linkscope.commoncrawl.captures import iter_cdxj_file, select
    from linkscope.commoncrawl.index import IndexClient
    from linkscope.commoncrawl.keys import host_part, surt_key
    from linkscope.commoncrawl.plan import plan_capture_tasks

    kinds = [name for name, given in (("PATHS", bool(paths)), ("--paths", paths_file),
                                      ("--cdx-api", cdx_api), ("--cdx", cdx)) if given]
    if len(kinds) > 1:
        raise UsageError(f"takes one kind of source, not {' and '.join(kinds)}", where=kinds[1])
    if paths_file is None:
        for option, value in (("--base", base), ("--sample", sample), ("--slice", part)):
            if value is not None:
                raise UsageError("goes with --paths only", where=option)
    if cdx_api is None and cdx is None:
        for option, values in (("--data-base", data_base), ("--host", hosts),
                               ("--prefix", prefixes)):
            if values:
                raise UsageError("goes with --cdx-api or --cdx only", where=option)
    if not kinds:
        raise UsageError("no source given", where="PATHS",
                         hint="pass archives, or --paths, --cdx-api or --cdx")
    if paths_file is not None:
        if base is None:
            raise UsageError("--paths needs --base (a URL such as https://data.commoncrawl.org/ "
                             "or a local mirror)", where="--base")
        names = cc_paths.read_paths_file(paths_file)
        chosen = cc_paths.choose(names, sample,
                                 cc_paths.parse_slice(part) if part is not None else None)
        counters = Counter({"cc/paths/listed": len(names), "cc/paths/chosen": len(chosen)})
        return CommonCrawlSources(cc_paths.sources_of(chosen, base), None, counters)
    if cdx_api is None and cdx is None:
        return None
    if data_base is None:
        raise UsageError("needs --data-base (https://data.commoncrawl.org/ or a local mirror)",
                         where="--data-base")
    stats: Counter[str] = Counter()
    if cdx_api is not None:
        if not hosts and not prefixes:
            raise UsageError("--cdx-api needs --host or --prefix", where="--host")
        client = IndexClient(cdx_api)
        queries = [f"{h.strip()}/*" for h in hosts or ()]
        queries += [p if p.endswith("*") else p + "*" for p in prefixes or ()]
        found = [c for q in queries for c in client.captures(q, stats)]
    else:
        keys = tuple(host_part(h.strip()) + ")" for h in hosts or ())
        keys += tuple(surt_key(p.rstrip("*")) for p in prefixes or ())
        found = []
        for path in cdx or ():
            for capture in iter_cdxj_file(path, stats):
                if not keys or (capture.urlkey or surt_key(capture.url)).startswith(keys):
                    found.append(capture)
    captures = select(found, stats)
    sources, tasks = plan_capture_tasks(captures, data_base)
    if not tasks:
        raise UsageError(f"the index lists no HTML page or redirect to fetch "
                         f"({_counts(stats)})", where=cdx_api or str(cdx[0] if cdx else ""))
    return CommonCrawlSources(sources, tasks, stats)


def _counts(stats: Counter[str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(stats.items())) or "no captures"


def echo_counters(counters: Counter[str]) -> None:
    if counters:
        click.echo("common crawl: " + _counts(counters))


@app.command()
@click.argument("target")
@click.option("--host-graph", nargs=2, required=True, type=click.Path(path_type=Path),
              metavar="VERTICES EDGES",
              help="A Common Crawl host graph: its vertices and edges files (gzip text).")
@click.option("--cdx-api", required=True, metavar="URL",
              help="The crawl's index server, e.g. "
                   "https://index.commoncrawl.org/CC-MAIN-2024-22-index.")
@click.option("--data-base", required=True, metavar="URL|DIR",
              help="Where the index's filenames live: https://data.commoncrawl.org/ or a "
                   "mirror.")
@click.option("--max-pages", type=click.IntRange(min=1), metavar="N",
              help="Read at most N captures (pages and redirects).")
@click.option("--max-bytes", type=click.IntRange(min=1), metavar="N",
              help="Read at most N bytes of records.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: one per core).")
@no_rank_option
@quiet_option
def discover(target: str, host_graph: tuple[Path, Path], cdx_api: str, data_base: str,
             max_pages: int | None, max_bytes: int | None, workers: int | None, no_rank: bool,
             quiet: bool) -> None:
    """Find the pages that link to a domain (TARGET: the domain and every host under it) in
    one Common Crawl crawl, and index them.

    The host graph names the hosts that link to TARGET; the index server, their captures;
    those are fetched by range requests under --data-base (docs/common-crawl.md).

    \b
    Example:
      linkscope discover example.com --host-graph V.txt.gz E.txt.gz
        --cdx-api https://index.commoncrawl.org/CC-MAIN-2024-22-index
        --data-base https://data.commoncrawl.org/ --max-pages 20000
    """
    from linkscope.cli.ingest import ingest_reporter
    from linkscope.commoncrawl.discover import choose_captures, reading_plan, selection_file
    from linkscope.commoncrawl.index import IndexClient
    from linkscope.extract.limits import ExtractLimits
    from linkscope.reports import backlinks
    from linkscope.store import ingest as run_ingest
    from linkscope.store import open_index
    from linkscope.store.resume import RunWatch
    from linkscope.urls import registrable_domain

    settings = state.settings
    domain = registrable_domain(target.strip().lower()) or ""
    if not domain:
        raise UsageError(f"not a domain or host: {target!r}", where="TARGET")
    vertices, edges = host_graph
    saved = selection_file(settings.index, domain, vertices, edges, cdx_api, max_pages,
                           max_bytes)
    again = command_line(settings.index, "discover", target, "--host-graph", str(vertices),
                         str(edges), "--cdx-api", cdx_api, "--data-base", data_base,
                         *(["--max-pages", str(max_pages)] if max_pages else []),
                         *(["--max-bytes", str(max_bytes)] if max_bytes else []),
                         *(["--no-rank"] if no_rank else []))
    with on_interrupt(lambda: f"run `{again}` again to resume"), Bars(quiet) as bars:
        look_ups = bars.add("index look-ups")
        selection = choose_captures(
            domain, vertices, edges, IndexClient(cdx_api), max_pages, max_bytes, saved,
            progress=lambda done, total: look_ups.update(done, total=total, detail="hosts"))
        if not selection.captures:
            click.echo(f"{len(selection.linking_hosts)} host(s) link to {domain} in the host "
                       f"graph; the index lists no page of theirs to read "
                       f"({_counts(selection.counters)})")
            saved.unlink(missing_ok=True)
            return
        sources, tasks = reading_plan(selection, data_base)
        watch = RunWatch(settings.index, sources, None, tasks)
        hook = rank_hook(settings.index, no_rank, bars)
        report = run_ingest(settings.index, sources, workers=workers or settings.workers,
                            progress=ingest_reporter(bars.add("reading captures", len(sources)),
                                                     watch),
                            max_decoded_body=settings.max_decoded_body,
                            limits=ExtractLimits.from_settings(settings),
                            before_publish=hook, tasks=tasks)
    for line in report.errors:
        click.echo(f"linkscope: error: {line}", err=True)
    if not report.published:
        click.echo(f"nothing indexed: no capture could be read; index {settings.index} left "
                   "as it was", err=True)
        raise click.exceptions.Exit(1)
    saved.unlink(missing_ok=True)
    with open_index(settings.index) as reader:
        found = backlinks(reader, domain, mode="domain", limit=1)
    pages = report.counters.get("warc/responses", 0)
    click.echo(f"{len(selection.linking_hosts)} host(s) link to {domain}; read "
               f"{pages:,} page(s) of {len(selection.captures):,} capture(s) "
               f"({selection.counters.get('cc/fetch/bytes', 0):,} bytes) for "
               f"{found.total:,} backlink(s); index {settings.index} generation "
               f"{report.generation}")
    echo_ranking(hook, settings.index)
    echo_counters(selection.counters)
    if report.failed:
        raise click.exceptions.Exit(1)
