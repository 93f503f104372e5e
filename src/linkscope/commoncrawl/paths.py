"""Common Crawl's paths files: one file name a line (`warc.paths.gz`, `wat.paths.gz`), relative
to its data server (`https://data.commoncrawl.org/`) or to any mirror of it.

`--sample N` takes N files spread evenly over the list (the same N files on every run, from
every segment of the crawl), `--slice I/N` the I-th of N consecutive parts (1-based), so that N
machines, or N evenings, share a crawl without reading a file twice.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from linkscope.commoncrawl.plan import data_source
from linkscope.errors import SourceError, UsageError
from linkscope.warc.remote import RemoteStream
from linkscope.warc.sources import ARCHIVE_SUFFIXES, is_url

# what a paths file may list: archives ingest reads (WAT files are Common Crawl's .warc.wat.gz)
LISTED_SUFFIXES = (*ARCHIVE_SUFFIXES, ".warc.wat.gz")


def read_paths_file(where: str) -> list[str]:
    """The file names a paths file lists (local or http(s); gzip or plain), in order.

    A file that cannot be read, or lists nothing ingest can read (a `cc-index-table.paths.gz`
    lists Parquet files, a `wet.paths.gz` WET files), is a `SourceError` naming it."""
    try:
        if is_url(where):
            stream = RemoteStream(where)
            try:
                raw = b"".join(iter(lambda: stream.read(1 << 20), b""))
            finally:
                stream.close()
        else:
            raw = Path(where).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as problem:
        raise SourceError(f"cannot read paths file: {problem}", where=where) from None
    names = [line.strip() for line in io.StringIO(text) if line.strip()]
    listed = [name for name in names if name.endswith(LISTED_SUFFIXES)]
    if not listed:
        first = names[0] if names else "(empty)"
        raise SourceError(f"lists no WARC or WAT files (first line: {first[:80]})", where=where,
                          hint="pass warc.paths.gz or wat.paths.gz of a crawl")
    if len(listed) < len(names):
        other = next(n for n in names if n not in listed)
        raise SourceError(f"{len(names) - len(listed)} of its {len(names)} lines are not WARC "
                          f"or WAT file names (first: {other[:80]})", where=where)
    return listed


def parse_slice(text: str) -> tuple[int, int]:
    """`I/N` as (I, N), 1 <= I <= N; anything else is a UsageError naming `--slice`."""
    part, _, total = text.partition("/")
    if not (part.strip().isdigit() and total.strip().isdigit()):
        raise UsageError(f"expected I/N (the I-th of N parts, 1-based), got {text!r}",
                         where="--slice")
    index, count = int(part), int(total)
    if not 1 <= index <= count:
        raise UsageError(f"I must be between 1 and N, got {text!r}", where="--slice")
    return index, count


def choose(names: list[str], sample: int | None = None,
           part: tuple[int, int] | None = None) -> list[str]:
    """The names a `--slice` and then a `--sample` keep, in list order."""
    if part is not None:
        index, count = part
        names = names[len(names) * (index - 1) // count: len(names) * index // count]
    if sample is not None:
        if sample < 1:
            raise UsageError(f"expected a positive number of files, got {sample}",
                             where="--sample")
        if sample < len(names):
            names = [names[i * len(names) // sample] for i in range(sample)]
    return names


def sources_of(names: list[str], base: str) -> list[str]:
    """Each name under the base URL or local mirror."""
    return [data_source(base, name) for name in names]
