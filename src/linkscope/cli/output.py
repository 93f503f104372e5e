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
    "top_anchors": "Top anchors, by ref. domains",
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

        fields = result.columns()
        wanted = list(columns) if columns else fields
        unknown = [c for c in wanted if c not in fields]
        if unknown:
            raise UsageError(f"no field {unknown[0]!r} in {result.report}'s CSV; choose from "
                             f"{', '.join(fields)}", where="--columns")
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
        "top_anchors": " · ".join(_whole(f"{a['anchor'] or '(empty)'} {a['ref_domains']}")
                                  for a in data["top_anchors"]) or "–",
        "dr_distribution": " · ".join(_whole(f"{b['band']}: {b['ref_domains']}")
                                      for b in data["dr_distribution"]),
        "refdomains_over_time": " · ".join(_whole(f"{p['date']}: {p['ref_domains']}")
                                           for p in data["refdomains_over_time"]) or "–",
    }
    return [(OVERVIEW_LABELS.get(key, key), text.get(key) or number(value))
            for key, value in data.items()]


WHOLE = "\u0000"  # stands for a space inside an entry until the lines are laid out


def _whole(entry: str) -> str:
    """An entry that a line may not break inside."""
    return entry.replace(" ", WHOLE)


def lay_out(text: str, width: int) -> str:
    """Entries joined by " · " on lines of at most `width`, breaking only between entries."""
    lines: list[str] = []
    line = ""
    for entry in text.split(" · "):
        candidate = f"{line} · {entry}" if line else entry
        if line and len(candidate.replace(WHOLE, " ")) > width:
            lines.append(line + " ·")
            candidate = entry
        line = candidate
    lines.append(line)
    return "\n".join(lines).replace(WHOLE, " ")


def print_overview(result: ReportResult) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False,
                  title=f"overview: {result.target}", title_justify="left")
    pairs = overview_lines(result)
    label_width = max(len(label) for label, _ in pairs)
    room = max(console.width - label_width - 3, 20)
    table.add_column("figure", no_wrap=True, style="bold")
    table.add_column("value", overflow="fold")
    for label, value in pairs:
        table.add_row(label, Text(lay_out(value, room)))
    from linkscope.cli.table import print_trimmed

    print_trimmed(console, table, Text(result.counting, style="dim"))
