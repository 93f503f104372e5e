"""One command a report, generated from the report's query (queries/reports.py).

Each query parameter becomes an option (or, for the target and the competitors, an argument)
with the same name, default, choices and help as the API and the web form have; --format and
--columns are the command line's own. Building the commands imports no report code: a report
is imported when it runs.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from typing import Any, Literal, Optional

import typer

from linkscope.cli.app import app, state
from linkscope.cli.output import FORMATS, check_format, print_result
from linkscope.errors import UsageError
from linkscope.queries.model import Param, params_of
from linkscope.queries.reports import REPORTS, ReportSpec

OUTPUT_OPTIONS = (
    inspect.Parameter("format", inspect.Parameter.KEYWORD_ONLY, annotation=str,
                      default=typer.Option("table", "--format",
                                           help=f"{', '.join(FORMATS)}.")),
    inspect.Parameter("columns", inspect.Parameter.KEYWORD_ONLY, annotation=Optional[str],  # noqa: UP045
                      default=typer.Option(None, "--columns",
                                           help="Columns of the table or CSV, comma-separated "
                                                "(default: the report's own; csv, json and "
                                                "jsonl carry every field).")),
)


def _annotation(p: Param) -> Any:
    """The type Typer reads: a Literal of the choices (an Enum in a list, which is what Typer
    takes there), a list when repeatable."""
    one: Any = Literal[p.choices] if p.choices else p.kind
    if p.many:
        if p.choices:
            one = _choices(p)
        return list[one]
    if p.default is None and p.kind is not bool:
        return Optional[one]  # noqa: UP045  (Typer reads Optional, not `X | None` objects)
    return one


def _help(p: Param) -> str:
    """The parameter's help, with its choices when the help does not name them all."""
    if p.choices and not all(c in p.help for c in p.choices):
        return f"{p.help} One of: {', '.join(p.choices)}."
    return p.help


def _choices(p: Param) -> Any:
    """An Enum of a parameter's choices (Typer's way to offer choices in a list)."""
    return enum.Enum(p.public.capitalize(), {c: c for c in p.choices})


def _option(p: Param) -> inspect.Parameter:
    if p.positional:
        info: Any = typer.Argument(... if p.required else p.default, help=p.help,
                                   metavar=p.public.upper() + ("..." if p.many else ""),
                                   show_default=False)
    else:
        default = None if p.many else p.default
        decls = (f"{p.flag}/--no-{p.flag[2:]}",) if p.kind is bool and p.default else (p.flag,)
        extra: dict[str, Any] = {}
        if p.low is not None:
            extra["min"] = p.low if p.kind is not int else int(p.low)
        if p.high is not None:
            extra["max"] = p.high if p.kind is not int else int(p.high)
        if p.choices:
            extra["metavar"] = p.public.upper()
        info = typer.Option(default, *decls, help=_help(p), **extra)
    return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=info,
                             annotation=_annotation(p))


def _command(spec: ReportSpec) -> Callable[..., None]:
    params = params_of(spec.query)

    def command(**values: Any) -> None:
        fmt = check_format(values.pop("format"))
        columns = [c.strip() for c in (values.pop("columns") or "").split(",") if c.strip()]
        for p in params:
            if p.many:
                values[p.name] = tuple(getattr(v, "value", v) for v in values.get(p.name) or ())
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

    command.__name__ = f"{spec.name}_command"
    examples = "    ".join(f"linkscope {e}" for e in spec.examples)
    command.__doc__ = f"{spec.summary}\n\nExample{'s' if len(spec.examples) > 1 else ''}: " \
                      f"{examples}"
    signature = [_option(p) for p in params] + list(OUTPUT_OPTIONS)
    command.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    command.__annotations__ = {s.name: s.annotation for s in signature}
    return command


for _spec in REPORTS.values():
    app.command(_spec.name)(_command(_spec))
