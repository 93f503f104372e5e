"""`linkscope demo`: the main job on the embedded default.

Today: build the sample web and serve it on loopback. Later issues extend it to the full job
(crawl, index, rank, and the web UI).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from linkscope.cli.app import app
from linkscope.cli.samples import _serve, build_web, make_config
from linkscope.samples import SampleWebServer


@app.command()
def demo(
    directory: Annotated[Path, typer.Option(help="Where the demo keeps its data.")] = Path(
        "linkscope-demo"),
    sites: Annotated[int, typer.Option(help="Sites in the sample web.")] = 200,
    port: Annotated[int, typer.Option(help="Port the sample web is served on.")] = 8790,
    duration: Annotated[float | None, typer.Option(help="Stop after this many seconds "
                                                        "(default: until interrupted).")] = None,
) -> None:
    """Build the sample web and serve it on loopback (crawl, index and UI come next)."""
    config = make_config(sites, 1, 0, port, 12, 1024)
    web_dir = directory / "web"
    manifest = build_web(web_dir, config)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    typer.echo(f"sample web: {counts['sites']} sites, {counts['pages']} pages, "
               f"{counts['links']} links in {web_dir}; ground truth in {web_dir / 'truth'}")
    typer.echo("The crawler, the index and the web UI are not built yet: the demo serves the "
               "sample web for now. Press Ctrl-C to stop.")
    asyncio.run(_serve(SampleWebServer(web_dir, max_delay=30), duration))
