"""One command a report, generated from the report's query (queries/reports.py).

Each query parameter becomes an option (or, for the target and the competitors, an argument)
with the same name, default, choices and help as the API and the web form have; --format and
--columns are the command line's own. Building the commands imports no report code: a report
is imported when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from linkscope.cli.app import CONTEXT, app, state
from linkscope.cli.output import FORMATS, check_format, print_result
from linkscope.errors import UsageError
from linkscope.queries.model import Param, params_of
from linkscope.queries.reports import REPORTS, ReportSpec

OUTPUT_OPTIONS = (
    click.Option(["--format"], type=click.Choice(FORMATS), default="table", show_default=True,
                 metavar="FORMAT", help=f"Output format: {', '.join(FORMATS)}."),
    click.Option(["--columns"], metavar="NAMES",
                 help="Columns of the table or CSV, comma-separated (default: the report's "
                      "own; csv, json and jsonl carry every field)."),
)

METAVARS = {int: "N", float: "X", str: "TEXT"}


def _help(p: Param) -> str:
    """The parameter's help, with its choices when the help does not name them all."""
    if p.choices and not all(c in p.help for c in p.choices):
        return f"{p.help} One of: {', '.join(p.choices)}."
    return p.help


def _type(p: Param) -> Any:
    """The click type of one value: its choices, its range, or its kind."""
    if p.choices:
        return click.Choice(p.choices)
    if p.low is None and p.high is None:
        return p.kind
    if p.kind is int:
        return click.IntRange(None if p.low is None else int(p.low),
                              None if p.high is None else int(p.high))
    if p.kind is float:
        return click.FloatRange(p.low, p.high)
    return p.kind


def _parameter(p: Param) -> click.Parameter:
    if p.positional:
        return click.Argument([p.name], type=_type(p), nargs=-1 if p.many else 1,
                              required=p.required,
                              default=None if p.required or p.many else p.default,
                              metavar=p.public.upper() + ("..." if p.many else ""))
    if p.kind is bool:
        decls = [p.name, f"{p.flag}/--no-{p.flag[2:]}" if p.default else p.flag]
        return click.Option(decls, is_flag=True, default=bool(p.default), help=_help(p))
    metavar = p.public.upper() if p.choices else METAVARS.get(p.kind, "TEXT")
    return click.Option([p.name, p.flag], type=_type(p), multiple=p.many,
                        default=None if p.many else p.default, metavar=metavar,
                        show_default=p.default not in (None, "", ()), help=_help(p))


def _command(spec: ReportSpec) -> click.Command:
    params = params_of(spec.query)

    def run(**values: Any) -> None:
        fmt = check_format(values.pop("format"))
        columns = [c.strip() for c in (values.pop("columns") or "").split(",") if c.strip()]
        for p in params:
            if p.many:
                values[p.name] = tuple(values.get(p.name) or ())
        from linkscope.store import open_index

        try:
            query = spec.query(**values).check()
            with open_index(state.settings.index) as reader:
                result = spec.run(reader, query)
        except UsageError as problem:  # named as the command line spells the parameter
            flags = {p.public: p.public.upper() if p.positional else p.flag for p in params}
            raise UsageError(problem.message, where=flags.get(problem.where or "",
                                                               problem.where),
                             hint=problem.hint) from None
        print_result(result, fmt, columns or None)

    arguments = "".join(f"\n\n{p.public.upper()}: {p.help}" for p in params if p.positional)
    examples = "".join(f"\n  linkscope {e}" for e in spec.examples)
    # "\b" keeps the help formatter from joining the examples into one wrapped line
    text = (f"{spec.summary}{arguments}\n\n\b\nExample{'s' if len(spec.examples) > 1 else ''}:"
            f"{examples}")
    return click.Command(spec.name, callback=run, help=text, context_settings=CONTEXT,
                         params=[_parameter(p) for p in params] + list(OUTPUT_OPTIONS))


def _add(spec: ReportSpec) -> Callable[..., Any]:
    command = _command(spec)
    app.add_command(command)
    return command


for _spec in REPORTS.values():
    _add(_spec)
