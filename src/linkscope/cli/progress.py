"""Progress bars for the long commands: crawl, recrawl, ingest, rank and samples build.

Bars are drawn on standard error, and only when it is a terminal: never with --quiet, and never
when standard error goes to a pipe or a file, so that scripts and logs get the summary lines
alone. rich is imported only when bars are drawn, and a command reports to its `Bar`s alike
either way (a bar that is not drawn does nothing).

Each bar shows what is done (of the total, where one is known), a detail the command writes
(rate, errors), and the time left where the total is known, else the time elapsed; all in 80
columns.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click

quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="No progress bars (there are none either when standard "
                                        "error is not a terminal).")


def rate(count: float, seconds: float) -> str:
    """`count` over `seconds` as a rate, e.g. "1,234/s"."""
    return f"{count / max(seconds, 1e-6):,.0f}/s"


class Bar:
    """One line of the bars: update it with what is done; a no-op when bars are not drawn."""

    def __init__(self, progress: Any, task: Any) -> None:
        self._progress = progress
        self._task = task
        self.started = time.monotonic()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def update(self, completed: float | None = None, *, total: float | None = None,
               detail: str | None = None, description: str | None = None) -> None:
        if self._progress is None:
            return
        changes: dict[str, Any] = {}
        if completed is not None:
            changes["completed"] = completed
        if total is not None:
            changes["total"] = total
        if detail is not None:
            changes["detail"] = detail
        if description is not None:
            changes["description"] = description
        self._progress.update(self._task, **changes)


class Bars:
    """The progress bars of one command (a context manager); `add` one a phase of the work."""

    def __init__(self, quiet: bool) -> None:
        self.drawn = not quiet and sys.stderr.isatty()
        self._progress: Any = None

    def __enter__(self) -> Bars:
        if self.drawn:
            self._progress = _make_progress()
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def add(self, description: str, total: float | None = None, *, eta: bool = True) -> Bar:
        """A new bar; `eta=False` shows the time elapsed instead of an estimate of the time
        left, for work whose steps are far from even."""
        if self._progress is None:
            return Bar(None, None)
        return Bar(self._progress, self._progress.add_task(description, total=total, detail="",
                                                           eta=eta))


def _make_progress() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class TimeColumn(ProgressColumn):
        """The time left ("eta") where the total is known and an estimate makes sense, else
        the time elapsed."""

        remaining = TimeRemainingColumn()
        elapsed = TimeElapsedColumn()

        def render(self, task: Task) -> Text:
            if task.total is None or task.finished or not task.fields.get("eta", True):
                return self.elapsed.render(task)
            return Text("eta ", style="progress.remaining") + self.remaining.render(task)

    return Progress(TextColumn("{task.description}"), BarColumn(bar_width=16),
                    MofNCompleteColumn(), TextColumn("{task.fields[detail]}"), TimeColumn(),
                    console=Console(stderr=True), transient=True)
