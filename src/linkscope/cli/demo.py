"""`linkscope demo`: the main job on the embedded default, one function a step.

    build the sample web -> serve it on loopback -> crawl it -> index and rank it
    -> summarize -> serve the Site Explorer until interrupted
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from linkscope.cli.app import app, state
from linkscope.cli.crawl import crawl_hooks
from linkscope.cli.interrupt import command_line
from linkscope.cli.ports import choose_port
from linkscope.cli.progress import Bars
from linkscope.cli.ranking import RankBeforePublish, echo_ranking
from linkscope.cli.samples import build_web, make_config

if TYPE_CHECKING:
    from linkscope.crawl import CrawlReport
    from linkscope.samples import BackgroundServer

SERVE_MAX_DELAY = 3.0  # the slow page outlasts the crawl timeout, and stopping is quick
CRAWL_TIMEOUT = 2.0  # so the demo's crawl records the slow page as a timeout quickly
WEB_PORT = 8790  # the ports the demo uses when they are free (cli/ports.py)
UI_PORT = 8000


def build_step(web_dir: Path, sites: int, port: int) -> None:
    manifest = build_web(web_dir, make_config(sites, 1, 0, port, 12, 1024))
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    click.echo(f"sample web: {counts['sites']} sites, {counts['pages']:,} URLs (redirects, "
               f"errors and pages robots.txt keeps out included), {counts['links']:,} links in "
               f"{web_dir}; ground truth in {web_dir / 'truth'}")


def serve_step(web_dir: Path) -> BackgroundServer:
    from linkscope.samples import BackgroundServer

    server = BackgroundServer(web_dir, max_delay=SERVE_MAX_DELAY).start()
    inner = server.server
    click.echo(f"serving {len(inner.hosts)} hosts on {len(inner.addresses)} loopback addresses, "
               f"port {inner.port}")
    return server


def crawl_step(web_dir: Path, index: Path) -> CrawlReport:
    """Crawl every site from its home page over loopback, politeness suited to a demo; index
    and rank what was fetched."""
    from linkscope.crawl import CrawlConfig, crawl

    sites = [json.loads(line) for line in (web_dir / "truth" / "sites.jsonl").open()]
    shutil.rmtree(index, ignore_errors=True)  # the demo's own index: each run starts afresh
    config = CrawlConfig(seeds=tuple(site["home"] for site in sites), scope="domain",
                         per_host_delay=0.0, concurrency=16, hosts_file=str(web_dir / "hosts"),
                         allow_private=True, timeout=CRAWL_TIMEOUT, retries=0,
                         max_crawl_delay=0.1, user_agent=state.settings.user_agent)
    click.echo(f"crawling {len(sites)} sites (per-host delay 0, concurrency 16) ...")
    started = time.monotonic()
    with Bars(quiet=False) as bars:
        ranking = RankBeforePublish(index, bars)
        report = crawl(index, config, workers=state.settings.workers,
                       hooks=crawl_hooks(bars, ranking))
    fetched = report.counters.get("crawl/fetches", 0)
    seconds = time.monotonic() - started - (ranking.report.seconds if ranking.report else 0.0)
    click.echo(f"crawled {fetched:,} URLs in {seconds:.1f} s; WARC files "
               f"and crawl log in {report.directory}")
    echo_ranking(ranking, index)
    return report


def summary_step(index: Path) -> str | None:
    """The index in a few figures, each saying what it counts; a domain's figures are the
    ones `linkscope overview` shows for it (the same report computes them)."""
    from linkscope.reports import overview
    from linkscope.store import open_index

    with open_index(index) as reader:
        pages, links, live = reader.con.execute("""
            SELECT (SELECT count(*) FROM pages), count(*),
                   count(*) FILTER (WHERE lost_date IS NULL) FROM links""").fetchall()[0]
        top: list[str] = [str(row[0]) for row in reader.con.execute(
            "SELECT domain FROM domain_metrics ORDER BY dr DESC, ref_domains DESC, domain "
            "LIMIT 5").fetchall()]
        figures = [overview(reader, domain).rows[0] for domain in top]
    click.echo(f"index {index}: {pages:,} pages; {links:,} links stored, {live:,} of them "
               f"live (internal links included)")
    if not top:
        return None
    click.echo("highest DR, with live links from other domains (as `overview` counts them):")
    click.echo(f"  {'domain':<32} {'DR':>5} {'referring domains':>17} {'backlinks':>9}")
    for domain, row in zip(top, figures, strict=True):
        click.echo(f"  {domain:<32} {row.dr or 0:5.1f} {row.referring_domains:>17,} "
                   f"{row.backlinks:>9,}")
    click.echo(f"try: {command_line(index, 'overview', top[0])}")
    click.echo(f"     {command_line(index, 'backlinks', top[0], '--best')}")
    return top[0]


def ui_step(index: Path, ui_port: int, duration: float | None, top: str | None) -> None:
    """Serve the Site Explorer (web UI and JSON API) on loopback until interrupted."""
    import uvicorn

    from linkscope.api import create_app
    from linkscope.api.server import url_of

    config = uvicorn.Config(create_app(index), host="127.0.0.1", port=ui_port,
                            log_level="warning")
    server = uvicorn.Server(config)
    url = url_of("127.0.0.1", ui_port)
    click.echo(f"Site Explorer: {url}" + (f"  (try {url}overview?target={top})" if top else ""))
    if duration is None:
        click.echo("The sample web and the Site Explorer are served; press Ctrl-C to stop.")
    else:
        click.echo(f"The sample web and the Site Explorer are served for {duration:g} s "
                   f"(--duration); Ctrl-C stops them sooner.")
        timer = threading.Timer(duration, lambda: setattr(server, "should_exit", True))
        timer.daemon = True
        timer.start()
    server.run()
    click.echo(f"stopped; the demo's data stays in {index.parent} "
               f"(its index: {command_line(index, 'overview', top or 'DOMAIN')})")


@app.command()
@click.option("--directory", type=click.Path(path_type=Path), default=Path("linkscope-demo"),
              show_default=True, metavar="DIR", help="Where the demo keeps its data.")
@click.option("--sites", type=int, default=200, show_default=True, metavar="N",
              help="Sites in the sample web.")
@click.option("--port", type=click.IntRange(1, 65535), metavar="N",
              help=f"Port the sample web is served on (default: {WEB_PORT}, or a free one if "
                   f"that is in use).")
@click.option("--ui-port", type=click.IntRange(1, 65535), metavar="N",
              help=f"Port of the Site Explorer on 127.0.0.1 (default: {UI_PORT}, or a free one "
                   f"if that is in use).")
@click.option("--duration", type=float, metavar="X",
              help="Stop after this many seconds (default: until interrupted).")
def demo(directory: Path, sites: int, port: int | None, ui_port: int | None,
         duration: float | None) -> None:
    """Build the sample web, serve it on loopback, crawl, index and rank it, and serve it.

    The Site Explorer (web UI and JSON API) is served until Ctrl-C, or --duration seconds.

    \b
    Example:
      linkscope demo --sites 60 --duration 600
    """
    web_dir = directory / "web"
    port = choose_port(port, WEB_PORT, "--port", "sample web")
    ui_port = choose_port(ui_port, UI_PORT, "--ui-port", "Site Explorer")
    build_step(web_dir, sites, port)
    server = serve_step(web_dir)
    index = directory / "index"
    try:
        crawl_step(web_dir, index)
        top = summary_step(index)
        ui_step(index, ui_port, duration, top)
    finally:
        server.stop()
