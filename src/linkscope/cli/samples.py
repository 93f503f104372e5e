"""`linkscope samples build|serve`: the sample web."""

from __future__ import annotations

import typer

from linkscope.cli.app import app

samples_app = typer.Typer(help="Build and serve the sample web (a seeded web on loopback).",
                          no_args_is_help=True)
app.add_typer(samples_app, name="samples")
