"""The command group and its global options (--index, --debug, --version).

The command line is built with click, whose import and start-up cost little (a command that
only prints its help runs in a few tens of milliseconds); each command module adds its
commands to `app` with click's decorators.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from linkscope.settings import Settings

# -h as well as --help; help text wrapped at 80 columns at most, as the tables are
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 80}


@dataclass
class CliState:
    """What the global options decided, for the commands and for main()'s error handling."""

    debug: bool = False
    settings: Settings = field(default_factory=Settings)


state = CliState()

Command = TypeVar("Command", bound=Callable[..., Any])


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from linkscope import __version__
    from linkscope.extract.about import describe  # here: it loads the HTML parser

    click.echo(f"linkscope {__version__}")
    for line in describe():
        click.echo(line)
    ctx.exit()


class Commands(click.Group):
    """A group that lists its commands in the order they were added (the order of the work:
    build an index, then ask it), not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(name="linkscope", cls=Commands, no_args_is_help=True, context_settings=CONTEXT)
@click.option("--index", type=click.Path(path_type=Path), metavar="DIR",
              help="Index directory (env LINKSCOPE_INDEX; default ./linkscope-index).")
@click.option("--debug", is_flag=True, help="Log at DEBUG and show tracebacks on errors.")
@click.option("--version", is_flag=True, is_eager=True, expose_value=False,
              callback=_show_version,
              help="Print the version, and those of the parser, the URL library and the "
                   "extraction path in use.")
def app(index: Path | None, debug: bool) -> None:
    """An open, self-hosted backlink index and Site Explorer."""
    settings = Settings.load(index=index, debug=True if debug else None)
    state.settings = settings
    state.debug = settings.debug
    logging.basicConfig(
        level=logging.DEBUG if settings.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )


def index_option() -> Callable[[Command], Command]:
    """--index on a command, for those that take it after the command's name too."""
    return click.option("--index", type=click.Path(path_type=Path), metavar="DIR",
                        help="Index directory (also a global option before the command).")
