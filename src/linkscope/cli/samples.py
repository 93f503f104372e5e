"""`linkscope samples build|serve`: the sample web (docs/sample-web.md)."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linkscope.cli.app import Commands, app
from linkscope.cli.interrupt import command_line, on_interrupt
from linkscope.cli.progress import Bars, quiet_option, rate
from linkscope.errors import UsageError

if TYPE_CHECKING:
    from linkscope.samples import SampleWebServer, WebConfig
    from linkscope.samples.ccserve import CommonCrawlServer



@app.group("samples", cls=Commands, no_args_is_help=True)
def samples_app() -> None:
    """Build and serve the sample web (a seeded web on loopback)."""


def build_web(directory: Path, config: WebConfig, quiet: bool = False) -> dict[str, object]:
    """Build with a progress bar; shared by `samples build` and `demo`. The build writes
    beside `directory` and replaces it when complete, so an interruption leaves it as it was."""
    from linkscope.samples import write_sample_web
    from linkscope.samples.build import check_build_directory

    check_build_directory(directory)
    with Bars(quiet) as bars:
        bar = bars.add("building sample web")

        def show(done: int, total: int) -> None:
            bar.update(done, total=total, detail=f"pages ({rate(done, bar.seconds)})")

        return write_sample_web(directory, config, progress=show)


def make_config(sites: int, seed: int, epoch: int, port: int, pages_per_site: int,
                max_addresses: int) -> WebConfig:
    from linkscope.samples import WebConfig

    try:
        return WebConfig(sites=sites, seed=seed, epoch=epoch, port=port,
                         pages_per_site=pages_per_site, max_addresses=max_addresses)
    except ValueError as problem:
        raise UsageError(str(problem), where="samples build") from None


@samples_app.command("build", context_settings={"show_default": True})
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--sites", type=int, default=200, metavar="N", help="Number of sites.")
@click.option("--seed", type=int, default=1, metavar="N",
              help="Random seed: the same seed gives the same bytes.")
@click.option("--epoch", type=int, default=0, metavar="N",
              help="Version of the web: each epoch adds, removes and changes links and pages.")
@click.option("--port", type=int, metavar="N",
              help="TCP port the sites are served on (part of every URL)  [default: 8790; 80 "
                   "with --as-common-crawl]")
@click.option("--pages-per-site", type=int, default=12, metavar="N",
              help="Mean number of articles a site.")
@click.option("--max-addresses", type=int, default=1024, metavar="N",
              help="Distinct loopback addresses; beyond it sites share addresses.")
@quiet_option
@click.option("--as-common-crawl", is_flag=True,
              help="Also write it as Common Crawl publishes a crawl (WARC files, paths files, "
                   "CDXJ index, host graph) under DIRECTORY/commoncrawl.")
def build(directory: Path, sites: int, seed: int, epoch: int, port: int | None,
          pages_per_site: int, max_addresses: int, quiet: bool, as_common_crawl: bool) -> None:
    """Write a seeded sample web to DIRECTORY: responses, ground truth and a hosts file.

    \b
    Example:
      linkscope samples build ./web --sites 300 --seed 7
    """
    port = port if port is not None else (80 if as_common_crawl else 8790)
    config = make_config(sites, seed, epoch, port, pages_per_site, max_addresses)
    again = command_line(None, "samples", "build", str(directory), "--sites", str(sites),
                         "--seed", str(seed), "--epoch", str(epoch), "--port", str(port),
                         "--pages-per-site", str(pages_per_site), "--max-addresses",
                         str(max_addresses), *(["--as-common-crawl"] if as_common_crawl else []))
    with on_interrupt(lambda: f"{directory} was left as it was; run `{again}` to build it"):
        if as_common_crawl and port != 80:
            raise UsageError("Common Crawl's URLs and host names carry no port: build the "
                             "look-alike with --port 80 (its default)", where="--port")
        manifest = build_web(directory, config, quiet)
        crawl = None
        if as_common_crawl:
            from linkscope.samples.commoncrawl import write_as_common_crawl

            crawl = write_as_common_crawl(directory)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    click.echo(f"built {counts['sites']} sites, {counts['pages']} pages, {counts['links']} links "
               f"in {directory} ({manifest['build_seconds']} s)")
    if crawl is not None:
        click.echo(f"as Common Crawl: {crawl['warc_files']} WARC files, {crawl['captures']} "
                   f"captures, a host graph of {crawl['vertices']} hosts and {crawl['edges']} "
                   f"edges in {directory / 'commoncrawl'}")


@samples_app.command("serve")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--port", type=int, metavar="N", help="Port to serve on (default: the build's).")
@click.option("--max-delay", type=float, metavar="X", help="Cap on slow pages' delay, seconds.")
@click.option("--duration", type=float, metavar="X",
              help="Stop after this many seconds (default: until interrupted).")
@click.option("--common-crawl", is_flag=True,
              help="Serve its Common Crawl look-alike instead: an index server and the data "
                   "files (Range requests) on 127.0.0.1 (port 8791 unless --port).")
def serve(directory: Path, port: int | None, max_delay: float | None,
          duration: float | None, common_crawl: bool) -> None:
    """Serve a sample web (a DIRECTORY written by `samples build`) on its loopback addresses
    until stopped.

    \b
    Examples:
      linkscope samples serve ./web &
      then: curl --resolve HOST:PORT:ADDRESS http://HOST:PORT/
    """
    from linkscope.samples import SampleWebServer, read_manifest

    read_manifest(directory)
    if common_crawl:
        from linkscope.samples.ccserve import CommonCrawlServer

        crawl = CommonCrawlServer(directory, port=8791 if port is None else port)
        run_coroutine(lambda: _serve_crawl(crawl, duration))
        return
    server = SampleWebServer(directory, port=port, max_delay=max_delay)
    run_coroutine(lambda: _serve(server, duration))


def run_coroutine(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run, also when the calling thread already runs an event loop (an embedding
    application, or a test harness): then on a thread of its own."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(make())).result()


async def _serve_crawl(server: CommonCrawlServer, duration: float | None) -> None:
    import asyncio

    from linkscope.samples.commoncrawl import graph_files

    async with server:
        vertices, edges = graph_files(server.root)
        click.echo(f"serving the Common Crawl look-alike of {server.root.parent}: index server "
                   f"{server.api}, data base {server.base}/")
        click.echo(f"host graph: {vertices} {edges}")
        click.echo(f"try: curl '{server.api}?url=*.example&output=json'")
        started = time.monotonic()
        while duration is None or time.monotonic() - started < duration:
            await asyncio.sleep(0.2 if duration is not None else 3600)


async def _serve(server: SampleWebServer, duration: float | None) -> None:
    import asyncio

    async with server:
        host, address = next(iter(server.hosts.items()))
        click.echo(f"serving {len(server.hosts)} hosts on {len(server.addresses)} loopback "
                   f"addresses, port {server.port}; hosts file: {server.directory / 'hosts'}")
        click.echo(f"try: curl --resolve {host}:{server.port}:{address} "
                   f"http://{host}:{server.port}/")
        started = time.monotonic()
        while duration is None or time.monotonic() - started < duration:
            await asyncio.sleep(0.2 if duration is not None else 3600)
