"""Report rows as a terminal table that fits the terminal's width.

Each report shows the columns a backlink tool's users look at first (columns.py);
`--columns` picks others. Cells are plain text: a URL is shortened in the middle so that its
host stays whole, an anchor shows its target under it, lists and counts read as words
(`a.test 3 · b.test 1`), never as JSON. Columns of figures keep their natural width; the
columns of text share what is left.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linkscope.columns import COLUMNS, DASH, Column, day, number, percent, rating, view_of
from linkscope.errors import UsageError

if TYPE_CHECKING:  # the reports package imports the index's engines
    from linkscope.reports.result import ReportResult

FLEXIBLE = ("page", "url", "anchor", "text", "list", "map", "domain", "referrer", "ip",
            "capture", "type")
ELLIPSIS = "…"
GAP = 2  # the space between two columns (their collapsed padding and the box's divider)


def choose_columns(result: ReportResult, wanted: Sequence[str] | None) -> list[Column]:
    """The report's terminal columns, or those `--columns` names (any field of the rows)."""
    view = view_of(result.report, bool(result.extra.get("outgoing")),
                   result.extra.get("aggregate"))
    declared = {c.key: c for c in COLUMNS.get(view, ())}
    if not wanted:
        return [c for c in declared.values() if c.terminal]
    fields = set(result.columns()) | set(declared)
    chosen = []
    for key in wanted:
        if key not in fields:
            raise UsageError(f"no column {key!r} in {result.report}; choose from "
                             f"{', '.join(sorted(fields))}", where="--columns")
        chosen.append(declared.get(key) or Column(key, key, _kind_of(result, key)))
    return chosen


def _kind_of(result: ReportResult, key: str) -> str:
    sample = next((getattr(r, key) for r in result.rows if getattr(r, key) is not None), None)
    if isinstance(sample, bool):
        return "flag"
    if isinstance(sample, int):
        return "number"
    if isinstance(sample, datetime | date):
        return "date"
    if isinstance(sample, list):
        return "list"
    if isinstance(sample, dict):
        return "map"
    if isinstance(sample, str) and "://" in sample:
        return "url"
    return "text"


def shorten_url(url: str | None, width: int) -> str:
    """A URL without its scheme, cut in the middle of its path to fit `width`; the host is
    always whole (a column is never narrower than its longest host)."""
    text = str(url or "")
    for scheme in ("https://", "http://"):
        text = text.removeprefix(scheme)
    if len(text) <= width:
        return text
    host, slash, path = text.partition("/")
    room = width - len(host) - len(slash) - len(ELLIPSIS)
    if room <= 0:
        return host + (slash and ELLIPSIS)
    head = room // 2
    tail = room - head
    return f"{host}{slash}{path[:head]}{ELLIPSIS}{path[len(path) - tail:] if tail else ''}"


def cut(text: str, width: int) -> str:
    """Text on one line, cut at the end to fit `width`."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def host_of(url: str | None) -> str:
    text = str(url or "").split("://", 1)[-1]
    return text.split("/", 1)[0]


def link_type(row: dict[str, Any]) -> str:
    """follow or nofollow (or ugc, sponsored), then where the link sits (what it is, when
    not a text link, is said before its anchor)."""
    flags = [name for name in ("sponsored", "ugc") if row.get(name)]
    rel = " ".join(flags) or ("follow" if row.get("follow") else "nofollow")
    if row.get("lost"):
        rel += " lost"
    return f"{rel}\n{row.get('placement') or ''}"


def words(value: Any, width: int | None) -> str:
    """A list or a map as words: `a, b, c` or `a.test 3 · b.test 1`."""
    if isinstance(value, dict):
        text = " · ".join(f"{key} {n}" for key, n in value.items())
    elif isinstance(value, list | tuple):
        text = ", ".join(shorten_url(item, 10_000) if "://" in str(item) else str(item)
                         for item in value)
    else:
        text = "" if value is None else str(value)
    return cut(text, width) if width else text


def render(column: Column, row: dict[str, Any], width: int | None) -> str:
    """One cell as text; `width` None means its natural width (to measure it)."""
    value = row.get(column.key)
    kind = column.kind
    if kind in ("page", "url", "referrer"):
        if kind == "referrer" and "://" not in str(value):
            return str(value)
        return shorten_url(value, width) if width else shorten_url(value, 10_000)
    if kind == "anchor":
        anchor = row.get("anchor") or "(empty)"
        if row.get("kind") not in (None, "text"):
            anchor = f"({row['kind']}) {anchor}"
        target = row.get("target")
        if width is None:
            return f"{cut(anchor, 10_000)}\n→ {shorten_url(target, 10_000)}"
        return f"{cut(anchor, width)}\n→ {shorten_url(target, max(width - 2, 1))}"
    if kind == "type":
        return link_type(row)
    if kind in ("dr", "ur"):
        return rating(value)
    if kind == "number":
        return number(value)
    if kind in ("percent", "share"):
        return percent(value)
    if kind == "date":
        return day(value)
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "status":
        return str(value) if value is not None else cut(str(row.get("error") or "failed"), 12)
    if kind == "capture":
        if not value:
            return DASH
        where = f"{str(value).rsplit('/', 1)[-1]}@{row.get('warc_offset')}"
        return cut(where, width) if width else where
    if kind in ("list", "map"):
        return words(value, width)
    text = DASH if value is None else str(value)
    return cut(text, width) if width else " ".join(text.split())


def fitting(columns: list[Column], rows: list[dict[str, Any]], total: int
            ) -> tuple[list[Column], list[int]]:
    """The columns that fit the width, and their widths: when even their narrowest widths do
    not fit, the last columns of figures are left out first, then the last of text."""
    columns = list(columns)
    while True:
        sizes, needed = widths(columns, rows, total)
        if needed <= total or len(columns) <= 2:
            return columns, sizes
        figures = [i for i, c in enumerate(columns) if c.kind not in FLEXIBLE]
        columns.pop(figures[-1] if figures else -1)


def widths(columns: list[Column], rows: list[dict[str, Any]], total: int
           ) -> tuple[list[int], int]:
    """Each column's width, and the narrowest the table can be: figures at their natural
    width, text sharing the rest. A domain column is never cut, nor a URL column made
    narrower than its longest host."""
    natural = []
    floor = []
    for column in columns:
        lines = [line for row in rows for line in render(column, row, None).split("\n")]
        width = max([len(column.label), *(len(line) for line in lines)])
        natural.append(width)
        if column.kind in ("page", "url", "anchor"):
            key, room = ("target", 4) if column.kind == "anchor" else (column.key, 2)
            hosts = [len(host_of(row.get(key))) + room for row in rows]
            floor.append(max([len(column.label), 8, *hosts]))
        elif column.kind in ("domain", "referrer", "ip"):
            floor.append(min(width, 64))
        elif column.kind == "type":
            floor.append(min(width, 9))  # "sponsored", "nofollow", "content", "sidebar"
        else:
            floor.append(min(width, max(len(column.label), 12)))
    flexible = [i for i, c in enumerate(columns) if c.kind in FLEXIBLE]
    room = total - GAP * (len(columns) - 1) - sum(
        natural[i] for i in range(len(columns)) if i not in flexible)
    chosen = list(natural)
    base = {i: min(floor[i], natural[i]) for i in flexible}
    if flexible and sum(natural[i] for i in flexible) > room:
        spare = max(room - sum(base.values()), 0)
        extra = sum(natural[i] - base[i] for i in flexible) or 1
        for i in flexible:
            chosen[i] = base[i] + (natural[i] - base[i]) * spare // extra
    return chosen, total - room + sum(base.values())


def print_table(result: ReportResult, wanted: Sequence[str] | None = None,
                console: Console | None = None) -> None:
    """The rows as a table as wide as the terminal, then how many and the counting rules."""
    console = console or Console()
    if not result.rows:
        console.print(f"no rows (total {result.total:,}, offset {result.offset:,}); "
                      f"{result.counting}", highlight=False, markup=False)
        return
    rows = [{f.name: getattr(r, f.name) for f in dataclasses.fields(r)} for r in result.rows]
    about = result.target or " · ".join(result.extra.get("competitors", ()))
    shown = f"rows {result.offset + 1:,}-{result.offset + len(result.rows):,} of {result.total:,}"
    print_rows(f"{result.report}: {about}".rstrip(": "), choose_columns(result, wanted), rows,
               f"{shown}; {result.counting}", console, fit=not wanted)


def print_rows(title: str, columns: list[Column], rows: list[dict[str, Any]], footer: str,
               console: Console, fit: bool = True) -> None:
    """Rows as a table as wide as the terminal (leaving out columns that cannot fit, unless
    `fit` is False), under a title and above a footer; no line ends in spaces."""
    if fit:
        columns, sizes = fitting(columns, rows, console.width)
    else:  # the columns asked for, however narrow they must be
        sizes = widths(columns, rows, console.width)[0]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1),
                  collapse_padding=True, title=title, title_justify="left")
    for column, size in zip(columns, sizes, strict=True):
        numeric = column.kind in ("dr", "ur", "number", "percent", "share")
        table.add_column(column.label, width=size, no_wrap=True, overflow="ellipsis",
                         justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(Text(render(c, row, s)) for c, s in zip(columns, sizes, strict=True)))
    print_trimmed(console, table, Text(footer, style="dim"))


def print_trimmed(console: Console, *renderables: Any) -> None:
    """Print as rich lays it out, without the spaces it pads each line with (which a copy and
    paste would carry along)."""
    with console.capture() as captured:
        for renderable in renderables:
            console.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    console.file.write(text + "\n")
