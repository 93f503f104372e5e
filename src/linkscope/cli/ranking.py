"""Ranking as the last step of a build: `crawl`, `recrawl`, `ingest` and `demo` rank the new
generation before the index switches to it, so that no report ever reads a generation whose
UR, DR and link values are missing (they used to stay blank, silently, until `linkscope rank`).

With `--no-rank` the generation is switched in unranked, as before, and a one-line note says
what the reports will lack and which command fills it in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from linkscope.cli.progress import Bars

if TYPE_CHECKING:
    from linkscope.rank.job import RankReport

no_rank_option = click.option(
    "--no-rank", is_flag=True, help="Switch the index to the new generation unranked: quicker, "
                                    "but reports lack UR, DR and link values until `linkscope "
                                    "rank` runs.")


class RankBeforePublish:
    """The `before_publish` hook of a build that ranks its new generation; keeps the report.

    The generation is ranked with the parameters the served one was ranked with (see
    `rank.job.served_params`), so that an ingest does not undo a `rank --damping` choice.
    """

    def __init__(self, index: Path, bars: Bars | None = None) -> None:
        self.index = index
        self.bars = bars
        self.report: RankReport | None = None

    def __call__(self, staging: Path) -> None:
        from linkscope.cli.app import state
        from linkscope.rank.job import RankParams, rank_staging, served_params

        step = rank_bar(self.bars) if self.bars is not None else None
        chosen = served_params(self.index, RankParams.from_settings(state.settings))
        self.report = rank_staging(staging, chosen, step)


def rank_bar(bars: Bars) -> Callable[[str], None]:
    """A bar for a ranking, and the `step` callback that moves it along the ranking's steps
    (the time shown is the time elapsed: the steps take very different times)."""
    from linkscope.rank.job import STEPS

    bar = bars.add("ranking", len(STEPS), eta=False)
    return lambda name: bar.update(STEPS.index(name), detail=name)


def rank_hook(index: Path, no_rank: bool, bars: Bars | None = None) -> RankBeforePublish | None:
    """The hook a build runs before publishing, or None with --no-rank."""
    return None if no_rank else RankBeforePublish(index, bars)


def unranked_note(index: Path) -> str:
    from linkscope.cli.interrupt import command_line

    return (f"note: generation not ranked (--no-rank): reports lack UR, DR and link values "
            f"until `{command_line(index, 'rank')}` runs")


def echo_ranking(hook: RankBeforePublish | None, index: Path) -> None:
    """After a build that published a generation: what the ranking did, or the note."""
    if hook is None:
        click.echo(unranked_note(index), err=True)
    elif hook.report is not None:
        report = hook.report
        click.echo(f"ranked {report.urls:,} URLs and {report.domains:,} domains in "
                   f"{report.seconds:.1f} s ({report.ur_iterations} iterations for UR)")
