"""What Ctrl-C says: what the interrupted command kept, and the exact command that goes on.

    linkscope: interrupted: 3 of 7 sources read and kept; run `linkscope --index idx ingest
    'crawl/*.warc.gz'` again to resume

The command names its own state (it reads it from disk after the interruption, so it says what
was really saved) and exits with 130, as a shell does for SIGINT.

Ctrl-C during a DuckDB query (an ingest's merge, a ranking) does not arrive as a
KeyboardInterrupt: DuckDB takes the signal, stops the query and raises
`RuntimeError("Query interrupted")`; `is_interrupt` knows both.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click


def program() -> str:
    """How to run linkscope again from here: `linkscope` when that name on the PATH is this
    program (or it ran as `python -m linkscope`), else the path it ran by, such as
    `.venv/bin/linkscope` after `make demo`, whose virtual environment is not activated."""
    script = Path(sys.argv[0])
    if script.name != "linkscope":
        return "linkscope"
    found = shutil.which("linkscope")
    if found and Path(found).resolve() == script.resolve():
        return "linkscope"
    try:
        return str(script.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(script.resolve())


def command_line(index: Path | None, *args: str) -> str:
    """A linkscope command as a user would type it again, quoted for a POSIX shell."""
    words = [program()] + (["--index", str(index)] if index is not None else []) + list(args)
    return shlex.join(words)


def is_interrupt(problem: BaseException) -> bool:
    """Whether `problem` is Ctrl-C: a KeyboardInterrupt, or DuckDB's report of one."""
    if isinstance(problem, KeyboardInterrupt):
        return True
    return (type(problem).__name__ == "InterruptException"
            or (isinstance(problem, RuntimeError) and str(problem) == "Query interrupted"))


@contextmanager
def on_interrupt(explain: Callable[[], str]) -> Iterator[None]:
    """On Ctrl-C inside the block: print `explain()` in one line and exit with 130."""
    try:
        yield
    except (KeyboardInterrupt, Exception) as problem:
        if not is_interrupt(problem):
            raise
        print(f"linkscope: interrupted: {explain()}", file=sys.stderr)
        raise click.exceptions.Exit(130) from None
