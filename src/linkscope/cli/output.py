"""Printing report results: a terminal table (rich), CSV, JSON or JSON Lines."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from linkscope.errors import UsageError
from linkscope.reports.result import ReportResult, plain, row_dict

FORMATS = ("table", "csv", "json", "jsonl")

# The columns a terminal table shows; csv, json and jsonl carry every column.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "backlinks": ("source", "source_dr", "source_ur", "anchor", "target", "follow", "placement",
                  "kind", "first_seen", "lost_reason", "value", "similar"),
    "refdomains": ("domain", "dr", "links", "followed_links", "first_seen", "last_seen", "lost",
                   "ip"),
    "anchors": ("anchor", "ref_domains", "links", "followed_share", "first_seen"),
    "intersect": ("referrer", "dr", "competitors", "links"),
    "competitors": ("domain", "dr", "shared_domains", "their_domains", "share_of_target"),
    "broken": ("source", "source_dr", "anchor", "target", "status", "error", "url",
               "referring_pages", "sources"),
    "history": ("period", "new_links", "lost_links", "new_refdomains", "lost_refdomains",
                "lost_reasons"),
    "internal": ("url", "status", "internal_inlinks", "internal_outlinks", "external_backlinks",
                 "ur", "few_internal_links"),
}


def check_format(value: str) -> str:
    if value not in FORMATS:
        raise UsageError(f"unknown format {value!r}; use {', '.join(FORMATS)}", where="--format")
    return value


def cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 0.01 and value else f"{value:.2f}".rstrip(
            "0").rstrip(".")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and "T" in value and value[:4].isdigit() and len(value) > 18:
        return value[:10]  # a timestamp: its date is what a table needs
    return str(value)


def print_result(result: ReportResult, fmt: str) -> None:
    check_format(fmt)
    if fmt == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for row in result.rows:
            print(json.dumps(row_dict(row), ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        columns = result.columns()
        writer.writerow(columns)
        for row in result.rows:
            data = row_dict(row)
            writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                             else "" if v is None else v for v in (data[c] for c in columns)])
    else:
        _table(result)


def _table(result: ReportResult) -> None:
    console = Console()
    if result.report == "overview":
        data = row_dict(result.rows[0])
        for key, value in data.items():
            console.print(f"[bold]{key}[/bold]: {cell(value)}", highlight=False)
        console.print(f"[dim]{result.counting}[/dim]", highlight=False)
        return
    if not result.rows:
        console.print(f"no rows (total {result.total}, offset {result.offset}); "
                      f"{result.counting}", highlight=False)
        return
    wanted = TABLE_COLUMNS.get(result.report)
    columns = [c for c in result.columns() if wanted is None or c in wanted]
    table = Table(*columns, title=f"{result.report}: {result.target or ''}".rstrip(": "),
                  caption=f"{len(result.rows)} of {result.total} rows from offset "
                          f"{result.offset}; {result.counting}")
    for row in result.rows:
        data = row_dict(row)
        table.add_row(*(cell(data[c]) for c in columns))
    console.print(table)
