"""Printing report results: a terminal table, CSV, JSON or JSON Lines.

A table shows what a person reads (cli/table.py); csv, json and jsonl carry every field.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from linkscope.errors import UsageError

if TYPE_CHECKING:
    from linkscope.reports.result import ReportResult

FORMATS = ("table", "csv", "json", "jsonl")

# The overview's figures, each with the words that say what it counts.
OVERVIEW_LABELS = {
    "dr": "Domain rating (DR)",
    "ur": "URL rating (UR)",
    "backlinks": "Backlinks",
    "referring_domains": "Referring domains",
    "referring_pages": "Referring pages",
    "referring_ips": "Referring IPs",
    "referring_subnets": "Referring /24 subnets",
    "followed_share": "Followed links",
    "new_links_30d": "New links, 30 days",
    "lost_links_30d": "Lost links, 30 days",
    "top_anchors": "Top anchors",
    "dr_distribution": "Referring domains by DR",
    "refdomains_over_time": "Referring domains over time",
}


def check_format(value: str) -> str:
    if value not in FORMATS:
        raise UsageError(f"unknown format {value!r}; use {', '.join(FORMATS)}", where="--format")
    return value


def print_result(result: ReportResult, fmt: str, columns: Sequence[str] | None = None) -> None:
    from linkscope.reports.result import row_dict

    check_format(fmt)
    if fmt == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for row in result.rows:
            print(json.dumps(row_dict(row), ensure_ascii=False))
    elif fmt == "csv":
        from linkscope.reports.export import iter_csv

        wanted = list(columns) if columns else result.columns()
        sys.stdout.writelines(iter_csv(wanted, (row_dict(r) for r in result.rows)))
    elif result.report == "overview":
        print_overview(result)
    else:
        from linkscope.cli.table import print_table

        print_table(result, columns)


def overview_lines(result: ReportResult) -> list[tuple[str, str]]:
    """The overview as (label, text) pairs; lists read as words."""
    from linkscope.columns import number, percent, rating
    from linkscope.reports.result import row_dict

    data: dict[str, Any] = row_dict(result.rows[0])
    text: dict[str, str] = {
        "dr": rating(data["dr"]), "ur": rating(data["ur"]),
        "followed_share": percent(data["followed_share"]),
        "top_anchors": " · ".join(f"{a['anchor'] or '(empty)'} {a['ref_domains']}"
                                  for a in data["top_anchors"]) or "–",
        "dr_distribution": " · ".join(f"{b['band']}: {b['ref_domains']}"
                                      for b in data["dr_distribution"]),
        "refdomains_over_time": " · ".join(f"{p['date']}: {p['ref_domains']}"
                                           for p in data["refdomains_over_time"]) or "–",
    }
    return [(OVERVIEW_LABELS.get(key, key), text.get(key) or number(value))
            for key, value in data.items()]


def print_overview(result: ReportResult) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False,
                  title=f"overview: {result.target}", title_justify="left")
    table.add_column("figure", no_wrap=True, style="bold")
    table.add_column("value", overflow="fold")
    for label, value in overview_lines(result):
        table.add_row(label, Text(value))
    console.print(table)
    console.print(Text(result.counting, style="dim"))
