"""`linkscope extract PATH...`: the links of saved pages, as extraction sees them.

Many pages go through one process (a folder of 300 pages costs one start-up, not 300). A page's
URL, which its relative links resolve against, is `--url` (one page only), else its line in
`--urls FILE`, else the `file://` URL of its path; in every case its `<base href>` applies
first, as in a browser. A page that cannot be read and a bad `--urls` line each give one line
on standard error naming the file; the other pages go on, and the exit code is 1 at the end.

The extraction modules (the HTML parser, the URL library) are imported inside the command, so
that `linkscope --help` and the other commands do not load them.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import click

from linkscope.cli.app import app, state
from linkscope.errors import LinkscopeError, SourceError, UsageError

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
STDIN = "-"


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class SavedPage:
    """A page to extract: the path as the user wrote it (or found under a directory)."""

    path: str

    @property
    def key(self) -> str:
        """What a --urls line names it by: its absolute path, or - for standard input."""
        return STDIN if self.path == STDIN else str(Path(self.path).resolve())

    def file_url(self) -> str:
        return "file:///dev/stdin" if self.path == STDIN else Path(self.path).resolve().as_uri()


def find_pages(paths: list[str], report: Any) -> list[SavedPage]:
    """The pages of the arguments: files as given, directories searched recursively for
    *.html, *.htm and their .gz; `report(error)` is told of a directory without any."""
    pages: list[SavedPage] = []
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            found = sorted(p for p in Path(path).rglob("*")
                           if p.name.lower().endswith(PAGE_SUFFIXES) and p.is_file())
            if not found:
                report(SourceError("no .html or .htm page (or .gz of one) under it", where=path))
            pages.extend(SavedPage(str(p)) for p in found)
        else:
            pages.append(SavedPage(path))
    return pages


def read_page(page: SavedPage) -> bytes:
    """The bytes of a page, un-gzipped when they are gzip (whatever the name says)."""
    if page.path == STDIN:
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(page.path).read_bytes()
        except OSError as problem:
            raise SourceError(problem.strerror or "cannot be read", where=page.path,
                              hint="give a readable HTML file, or - for standard input") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as problem:
            raise SourceError(f"bad gzip data ({problem})", where=page.path) from None
    return data


def read_urls(path: str, report: Any, is_web_url: Any) -> dict[str, str]:
    """--urls FILE: `path<TAB>url` lines (blank lines and # comments skipped) as {page key:
    url}; `report(error)` is told of each bad line, and of a file that cannot be read."""
    urls: dict[str, str] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as problem:
        message = getattr(problem, "strerror", None) or str(problem)
        report(SourceError(message, where=path, hint="give a file of PATH<TAB>URL lines"))
        return urls
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        page, tab, url = line.partition("\t")
        if not tab or not page.strip():
            report(SourceError("expected PATH<TAB>URL", where=f"{path}:{number}"))
        elif not is_web_url(url.strip()):
            report(SourceError(f"not an absolute http(s) URL: {url.strip()!r}",
                               where=f"{path}:{number}"))
        else:
            urls[SavedPage(page.strip()).key] = url.strip()
    return urls


def _row(page: SavedPage, link: Any) -> dict[str, Any]:
    return {
        "page": page.path, "source": link.source, "target": link.target, "anchor": link.anchor,
        "rel": sorted(link.rel), "follow": link.follow, "placement": link.placement.value,
        "kind": link.kind.value, "position": link.position, "context": link.context,
    }


EXTRACT_COLUMNS = (("position", "#", "number"), ("anchor", "Anchor and target", "anchor"),
                   ("type", "Type", "type"))


def _print_table(page: SavedPage, source: str, rows: list[dict[str, Any]]) -> None:
    """The page's links as the reports show backlinks: the anchor over its target (its host
    whole), and whether it is followed and where it sits."""
    from rich.console import Console

    from linkscope.cli.table import print_rows
    from linkscope.columns import Column

    shown = [{**row, "ugc": "ugc" in row["rel"], "sponsored": "sponsored" in row["rel"]}
             for row in rows]
    columns = [Column(key, label, kind) for key, label, kind in EXTRACT_COLUMNS]
    print_rows(f"{page.path} ({source})", columns, shown, f"{len(rows):,} links",
               Console())


@app.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--url", metavar="URL",
              help="The page's URL, to resolve its links (one page only).")
@click.option("--urls", metavar="FILE",
              help="A file of PATH<TAB>URL lines giving each page its URL; a page without one "
                   "resolves against its <base href> (its relative links, without one, have no "
                   "web address and are left out, counted).")
@click.option("--format", "output", type=click.Choice([f.value for f in OutputFormat]),
              default=OutputFormat.TABLE.value, show_default=True, metavar="FORMAT",
              help="Output format: table, json or jsonl.")
def extract(paths: tuple[str, ...], url: str | None, urls: str | None, output: str) -> None:
    """Print every link of saved pages: page, target, anchor, rel, follow, placement, kind.

    PATHs are HTML files (may be .gz), directories (searched for *.html, *.htm and their .gz),
    or - for standard input.

    \b
    Example:
      linkscope extract saved/ page.html.gz --urls urls.tsv --format jsonl
    """
    from linkscope.extract import ExtractLimits, extract_page  # here: they load the parser
    from linkscope.records import FetchedPage
    from linkscope.urls import normalize

    def is_web_url(text: str) -> bool:
        return normalize(text) is not None

    errors = 0

    def report(problem: LinkscopeError) -> None:
        nonlocal errors
        errors += 1
        print(f"linkscope: error: {problem.one_line()}", file=sys.stderr)

    if url is not None and urls is not None:
        raise UsageError("give --url or --urls, not both", where="--url")
    if url is not None and not is_web_url(url):
        raise UsageError(f"not an absolute http(s) URL: {url!r}", where="--url",
                         hint="e.g. --url https://example.com/page.html")
    pages = find_pages(list(paths), report)
    if url is not None and len(pages) > 1:
        raise UsageError(f"one URL for {len(pages)} pages", where="--url",
                         hint="give each page its URL with --urls FILE (PATH<TAB>URL lines)")
    page_urls = read_urls(urls, report, is_web_url) if urls is not None else {}
    limits = ExtractLimits.from_settings(state.settings)
    counters: Counter[str] = Counter()
    everything: list[dict[str, Any]] = []
    read = links = 0
    for page in pages:
        try:
            body = read_page(page)
        except LinkscopeError as problem:
            report(problem)
            continue
        source = url or page_urls.get(page.key) or page.file_url()
        result = extract_page(FetchedPage(source, 200, (("content-type", "text/html"),), body),
                              limits=limits)
        counters.update(result.skipped)
        read += 1
        rows = [_row(page, link) for link in result.links]
        links += len(rows)
        if output == OutputFormat.JSONL:
            sys.stdout.write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        elif output == OutputFormat.JSON:
            everything.extend(rows)
        else:
            _print_table(page, result.page.url, rows)
    if output == OutputFormat.JSON:
        sys.stdout.write(json.dumps(everything, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    counted = "".join(f" {key}={count}" for key, count in sorted(counters.items()))
    print(f"pages={read} links={links} errors={errors}{counted}", file=sys.stderr)
    relative = counters.get("extract/skipped/relative", 0)
    if relative and url is None:
        print(f"note: {relative:,} relative link(s) left out: a page read from a file has no "
              f"web address to resolve them against; give it with --url URL (one page) or "
              f"--urls FILE (PATH<TAB>URL lines)", file=sys.stderr)
    if errors:
        raise click.exceptions.Exit(1)
