"""The Typer application and its global options (--index, --debug, --version)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from linkscope.settings import Settings

app = typer.Typer(
    name="linkscope",
    help="An open, self-hosted backlink index and Site Explorer.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class CliState:
    """What the global options decided, for the commands and for main()'s error handling."""

    debug: bool = False
    settings: Settings = field(default_factory=Settings)


state = CliState()


def _show_version(value: bool) -> None:
    if value:
        from linkscope import __version__
        from linkscope.extract.about import describe  # here: it loads the HTML parser

        typer.echo(f"linkscope {__version__}")
        for line in describe():
            typer.echo(line)
        raise typer.Exit()


@app.callback()
def main_options(
    index: Annotated[
        Path | None,
        typer.Option("--index",
                     help="Index directory (env LINKSCOPE_INDEX; default ./linkscope-index)."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Log at DEBUG and show tracebacks on errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True,
                     help="Print the version, and those of the parser, the URL library and "
                          "the extraction path in use."),
    ] = False,
) -> None:
    """An open, self-hosted backlink index and Site Explorer."""
    settings = Settings.load(index=index, debug=True if debug else None)
    state.settings = settings
    state.debug = settings.debug
    logging.basicConfig(
        level=logging.DEBUG if settings.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
