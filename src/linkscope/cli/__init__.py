"""The `linkscope` command line: thin commands over the library, one module per topic.

Each command module registers its commands on `app` (a click group) when imported; `main()`
turns linkscope's errors into one line on standard error and a non-zero exit (a traceback only
with --debug).
"""

from __future__ import annotations

import sys

import click

from linkscope.cli.app import app, state
from linkscope.cli.interrupt import is_interrupt
from linkscope.errors import LinkscopeError

# Command modules register their commands on `app` when imported; one line each.
from linkscope.cli import demo as _demo  # noqa: F401
from linkscope.cli import extract as _extract  # noqa: F401
from linkscope.cli import samples as _samples  # noqa: F401
from linkscope.cli import ingest as _ingest  # noqa: F401
from linkscope.cli import commoncrawl as _commoncrawl  # noqa: F401
from linkscope.cli import rank as _rank  # noqa: F401
from linkscope.cli import reports as _reports  # noqa: F401
from linkscope.cli import crawl as _crawl  # noqa: F401
from linkscope.cli import serve as _serve  # noqa: F401

__all__ = ["app", "main", "run"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return (and exit with) its exit code."""
    try:
        result = app.main(args=argv, prog_name="linkscope", standalone_mode=False)
    except click.exceptions.Exit as stop:
        code = stop.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        print("linkscope: interrupted", file=sys.stderr)
        code = 130
    except click.ClickException as problem:  # usage errors: bad or missing arguments
        code = _report_usage(problem)
    except LinkscopeError as problem:
        if state.debug:
            raise
        print(f"linkscope: error: {problem.one_line()}", file=sys.stderr)
        code = problem.exit_code
    except Exception as problem:
        if not is_interrupt(problem):  # a bug: crash with its traceback
            raise
        print("linkscope: interrupted", file=sys.stderr)
        code = 130
    else:
        code = result if isinstance(result, int) else 0
    return code


def _report_usage(problem: click.ClickException) -> int:
    """One line for a usage error; the help text when a command was given no arguments."""
    if isinstance(problem, click.exceptions.NoArgsIsHelpError):
        click.echo(problem.ctx.get_help())
        return 0
    ctx = getattr(problem, "ctx", None)
    where = f"{ctx.command_path}: " if ctx is not None else ""
    message = " ".join(problem.format_message().split())
    print(f"linkscope: error: {where}{message}", file=sys.stderr)
    return problem.exit_code


def run() -> None:
    """The console script: run the CLI and exit with its code."""
    sys.exit(main())
