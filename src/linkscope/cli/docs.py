"""docs/cli.md, generated from the commands themselves so it cannot drift from them.

Run `python -m linkscope.cli.docs > docs/cli.md`; tests/cli/test_docs.py fails when the file
differs from what this prints (a command or option added without regenerating it).
"""

from __future__ import annotations

import inspect
from typing import Any

from linkscope.cli import app
from linkscope.settings import KNOBS

HEADER = """# Command line

`linkscope [--index DIR] [--debug] COMMAND ...`: every command, generated from the code by
`python -m linkscope.cli.docs > docs/cli.md`.

Global options: `--index DIR` (environment `LINKSCOPE_INDEX`, default `./linkscope-index`),
`--debug` (log at DEBUG, tracebacks instead of one-line errors), `--version`.

Exit codes: 0 success; 1 an error linkscope reports in one line (a missing index, a bad file,
an ingest or crawl that had failures: every good record is kept); 2 a usage error (a bad or
missing argument or option, an unknown target or parameter value); 130 interrupted.

Reports print a table by default and take `--format csv|json|jsonl`; each states its counting
rules under the table (or in the JSON `counting` field).
"""


def _settings() -> str:
    rows = ["## Settings\n", "Every knob, with its environment variable and default "
            "(flag > environment > default):\n", "| setting | environment | default | meaning |",
            "|---|---|---|---|"]
    rows += [f"| {k.name} | `{k.env}` | `{k.default}` | {k.help} |" for k in KNOBS]
    return "\n".join(rows) + "\n"


def _commands(command: Any, prefix: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name in sorted(getattr(command, "commands", {})):
        sub = command.commands[name]
        path = f"{prefix} {name}"
        if getattr(sub, "commands", None):
            found += _commands(sub, path)
        else:
            found.append((path, sub))
    return found


def _param(param: Any) -> str:
    names = ", ".join(f"`{n}`" for n in param.opts + param.secondary_opts)
    help_text = " ".join((getattr(param, "help", None) or "").split())
    default = param.default
    if param.param_type_name == "option" and default not in (None, False, [], ()) and \
            not callable(default):
        help_text += f" Default: `{default}`."
    if getattr(param, "multiple", False) or getattr(param, "nargs", 1) == -1:
        help_text += " Repeatable."
    return f"| {names} | {help_text.strip()} |"


def _markdown(help_text: str) -> str:
    """A command's help as Markdown: its examples (the indented lines under "Example:" that
    click's no-wrap mark keeps apart) as a shell block."""
    out: list[str] = []
    for line in inspect.cleandoc(help_text).replace("\b\n", "").splitlines():
        if line.startswith("  ") and out and (out[-1].startswith("Example") or
                                              out[-1].startswith("linkscope ")):
            if not out[-1].startswith("linkscope "):
                out += ["", "```sh"]
            out.append(line.strip())
            continue
        if out and out[-1].startswith("linkscope "):
            out.append("```")
        out.append(line)
    if out and out[-1].startswith("linkscope "):
        out.append("```")
    return "\n".join(out)


def render() -> str:
    root = app
    out = [HEADER, _settings()]
    for path, command in _commands(root, "linkscope"):
        out.append(f"## {path}\n")
        out.append(_markdown(command.help or "") + "\n")
        params = [p for p in command.params  # arguments are described in the text
                  if p.name not in ("help",) and p.param_type_name == "option"]
        if params:
            out.append("| argument or option | meaning |\n|---|---|")
            out += [_param(p) for p in params]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
