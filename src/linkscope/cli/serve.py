"""`linkscope serve`: the JSON API and the web UI over the index, in the foreground."""

from __future__ import annotations

import click

from linkscope.cli.app import app, state


@app.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to bind. Any other than loopback needs LINKSCOPE_API_KEY.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              metavar="N", help="TCP port.")
@click.option("--query-timeout", type=click.FloatRange(min=0.1), metavar="X",
              help="Seconds a report may run before it is stopped (503); default: "
                   "LINKSCOPE_QUERY_TIMEOUT, else 10.")
def serve(host: str, port: int, query_timeout: float | None) -> None:
    """Serve the web UI and the JSON API (/api/v1) over the latest generation of the index.

    \b
    Example:
      linkscope --index ./idx serve --port 8000
    """
    from linkscope.api.server import serve as serve_index

    settings = state.settings
    serve_index(settings.index, host, port, api_key=settings.api_key,
                query_timeout=settings.query_timeout if query_timeout is None else query_timeout,
                workers=settings.query_workers, announce=click.echo)
