"""`linkscope rank` and `linkscope explain TARGET`: authority metrics and their explanations."""

from __future__ import annotations

import json

import click

from linkscope.cli.app import app, state
from linkscope.cli.interrupt import command_line, on_interrupt
from linkscope.cli.progress import Bars, quiet_option
from linkscope.cli.ranking import rank_bar


@app.command()
@click.option("--damping", type=click.FloatRange(0.0, 0.999), metavar="X",
              help="PageRank damping factor (default: LINKSCOPE_DAMPING, else 0.85).")
@click.option("--tol", type=click.FloatRange(1e-15, 1e-2), metavar="X",
              help="L1 tolerance of convergence (default: LINKSCOPE_RANK_TOLERANCE, else 1e-9).")
@quiet_option
def rank(damping: float | None, tol: float | None, quiet: bool) -> None:
    """Compute UR, DR and link values into a new generation of the index.

    \b
    Example:
      linkscope --index ./idx rank
    """
    from linkscope.rank.job import RankParams, rank_index
    from linkscope.store import IndexDir

    index = state.settings.index
    params = RankParams.from_settings(state.settings)
    params.damping = params.damping if damping is None else damping
    params.tol = params.tol if tol is None else tol
    again = command_line(index, "rank",
                         *(["--damping", str(damping)] if damping is not None else []),
                         *(["--tol", str(tol)] if tol is not None else []))

    def unchanged() -> str:
        served = IndexDir(index).current()
        return (f"nothing changed, the index still serves {served.name if served else 'nothing'}"
                f"; run `{again}` again")

    with on_interrupt(unchanged), Bars(quiet) as bars:
        report = rank_index(index, params, rank_bar(bars))
    click.echo(f"ranked {report.urls:,} URLs ({report.edges:,} edges, {report.ur_iterations} "
               f"iterations) and {report.domains:,} domains ({report.domain_edges:,} edges) in "
               f"{report.seconds:.1f} s; generation {report.generation}")


@app.command()
@click.argument("target")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              metavar="N", help="Contributors to show.")
@click.option("--format", "format", type=click.Choice(["table", "json"]), default="table",
              show_default=True, metavar="FORMAT", help="Output format: table or json.")
def explain(target: str, limit: int, format: str) -> None:
    """Explain a URL's UR or a domain's DR: formula, parts, and the top contributors.

    TARGET is a URL (explains its UR) or a domain (its DR).

    \b
    Examples:
      linkscope explain example.test
      linkscope explain https://example.test/page
    """
    from rich.console import Console
    from rich.table import Table

    from linkscope.reports.explain import explain as explain_target
    from linkscope.store import open_index

    with open_index(state.settings.index) as reader:
        result = explain_target(reader, target, limit)
    if format == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    console = Console()
    console.print(f"[bold]{result.metric} {result.rating:.1f}[/bold] for {result.target} "
                  f"(raw {result.raw:.6g})")
    console.print(result.formula)
    console.print(", ".join(f"{k} {v:.6g}" for k, v in result.parts.items()))
    table = Table("contributor", "passes", "share", "detail")
    for c in result.contributors:
        table.add_row(c.name, f"{c.contribution:.4g}", f"{c.share:.1%}",
                      ", ".join(f"{k}={round(v, 1) if isinstance(v, float) else v}"
                                for k, v in c.detail.items()))
    console.print(table)
    console.print(f"[dim]{result.counting}[/dim]")
