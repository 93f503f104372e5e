"""`linkscope serve`: the JSON API and the web UI over the index, in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer

from linkscope.cli.app import app, state


@app.command()
def serve(
    host: Annotated[str, typer.Option(
        help="Address to bind. Any other than loopback needs LINKSCOPE_API_KEY.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    query_timeout: Annotated[float | None, typer.Option(
        help="Seconds a report may run before it is stopped (503); default: "
             "LINKSCOPE_QUERY_TIMEOUT, else 10.", min=0.1)] = None,
) -> None:
    """Serve the web UI and the JSON API (/api/v1) over the latest generation of the index.

    Example: linkscope --index ./idx serve --port 8000
    """
    from linkscope.api.server import serve as serve_index

    settings = state.settings
    serve_index(settings.index, host, port, api_key=settings.api_key,
                query_timeout=settings.query_timeout if query_timeout is None else query_timeout,
                workers=settings.query_workers, announce=typer.echo)
