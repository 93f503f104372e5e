"""`linkscope extract PATH --url URL`: the links of one saved page, as extraction sees them."""

from __future__ import annotations

import gzip
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from linkscope.cli.app import app
from linkscope.errors import SourceError, UsageError
from linkscope.extract import extract_page
from linkscope.records import FetchedPage, Link
from linkscope.urls import normalize


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"


def _read(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as problem:
            raise SourceError(problem.strerror or "cannot be read", where=path,
                              hint="give a readable HTML file, or - for standard input") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as problem:
            raise SourceError(f"bad gzip data ({problem})", where=path) from None
    return data


def _row(link: Link) -> dict[str, Any]:
    return {
        "target": link.target, "anchor": link.anchor, "rel": sorted(link.rel),
        "follow": link.follow, "placement": link.placement.value, "kind": link.kind.value,
        "position": link.position, "context": link.context,
    }


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="HTML file (may be .gz), or - for standard input.")],
    url: Annotated[str, typer.Option("--url", help="The page's URL, to resolve its links.")],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.TABLE,
) -> None:
    """Print every link of one page: target, anchor, rel, follow, placement, kind, position.

    Example: linkscope extract page.html.gz --url https://example.test/page --format jsonl
    """
    if normalize(url) is None:
        raise UsageError(f"not an absolute http(s) URL: {url!r}", where="--url",
                         hint="e.g. --url https://example.com/page.html")
    body = _read(path)
    result = extract_page(FetchedPage(url, 200, (("content-type", "text/html"),), body))
    rows = [_row(link) for link in result.links]
    if output == OutputFormat.JSON:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output == OutputFormat.JSONL:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
    else:
        table = Table("#", "target", "anchor", "rel", "follow", "placement", "kind")
        for row in rows:
            table.add_row(str(row["position"]), row["target"], row["anchor"][:60],
                          " ".join(row["rel"]), "yes" if row["follow"] else "no",
                          row["placement"], row["kind"])
        Console().print(table)
    skipped = ", ".join(f"{key}={count}" for key, count in sorted(result.skipped.items()))
    print(f"links={len(rows)}" + (f" {skipped}" if skipped else ""), file=sys.stderr)
