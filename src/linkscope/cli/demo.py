"""`linkscope demo`: the main job on the embedded default."""

from __future__ import annotations

from linkscope.cli.app import app


@app.command()
def demo() -> None:
    """Build and serve the sample web, then run the main job on it."""
