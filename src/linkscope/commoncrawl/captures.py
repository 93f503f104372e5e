"""Captures as Common Crawl's index lists them, and which of them an ingest fetches.

A CDXJ line is `<SURT key> <14-digit timestamp> <JSON object>`; the index server's
`output=json` answers one JSON object a line with the key and timestamp inside it (`urlkey`,
`timestamp`). Every value is a string, numbers too (`"status": "200"`, `"offset": "1234"`),
and a capture may lack fields (`status`, `mime` and `digest` on a revisit, for instance). A line
that does not parse, or lacks the fields needed to fetch its record (`filename`, `offset`,
`length` as digit strings), is skipped and counted (`cc/skipped/<reason>`), never fatal.

Which captures are fetched: HTML pages that answered 200 (`text/html` or
`application/xhtml+xml`, by `mime`, else `mime-detected`), and redirects (3xx): a redirect's
record is a few hundred bytes and is a link of kind `redirect` (docs/metrics.md: it passes
its page's whole vote). Errors (4xx, 5xx), non-HTML answers (PDF, images, feeds) and
revisits without a status are counted and left alone: they hold no links worth a request.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkscope.errors import SourceError

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Capture:
    """One index entry: where the record of one fetch of `url` lies."""

    url: str
    filename: str  # relative to the data base: crawl-data/CC-MAIN-.../warc/....warc.gz
    offset: int
    length: int
    status: int | None
    mime: str
    timestamp: str = ""
    urlkey: str = ""
    redirect: str = ""

    @property
    def end(self) -> int:
        return self.offset + self.length


def capture_from_fields(fields: dict[str, Any], stats: Counter[str],
                        key: str = "", timestamp: str = "") -> Capture | None:
    """A Capture from one index object's fields, or None (counted) when it cannot be fetched."""
    try:
        filename = str(fields["filename"])
        offset = int(str(fields["offset"]))
        length = int(str(fields["length"]))
    except (KeyError, ValueError, TypeError):
        stats["cc/skipped/no-location"] += 1
        return None
    if offset < 0 or length <= 0 or not filename:
        stats["cc/skipped/no-location"] += 1
        return None
    status_text = str(fields.get("status", ""))
    status = int(status_text) if status_text.isdigit() else None
    mime = str(fields.get("mime") or fields.get("mime-detected") or "")
    return Capture(url=str(fields.get("url", "")), filename=filename, offset=offset,
                   length=length, status=status, mime=mime.lower(),
                   timestamp=str(fields.get("timestamp", timestamp)),
                   urlkey=str(fields.get("urlkey", key)),
                   redirect=str(fields.get("redirect", "")))


def parse_cdxj_line(line: str, stats: Counter[str]) -> Capture | None:
    """One CDXJ line (`key timestamp {json}`) or one JSON line of the server's output."""
    text = line.strip()
    if not text:
        return None
    key = timestamp = ""
    if not text.startswith("{"):
        head, _, rest = text.partition(" {")
        key, _, timestamp = head.partition(" ")
        text = "{" + rest
    try:
        fields = json.loads(text)
    except ValueError:
        stats["cc/skipped/bad-line"] += 1
        log.debug("not a CDXJ line: %.200r", line)
        return None
    if not isinstance(fields, dict):
        stats["cc/skipped/bad-line"] += 1
        return None
    return capture_from_fields(fields, stats, key, timestamp)


def iter_cdxj_file(path: Path, stats: Counter[str]) -> Iterator[Capture]:
    """The captures of a local CDXJ file, plain or gzip (a member per block, as Common Crawl's
    cdx-NNNNN.gz files are, or one member); bad lines are skipped and counted."""
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        with (gzip.open(path, "rt", encoding="utf-8", errors="replace") if gzipped
              else path.open(encoding="utf-8", errors="replace")) as lines:
            for line in lines:
                capture = parse_cdxj_line(line, stats)
                if capture is not None:
                    stats["cc/captures"] += 1
                    yield capture
    except (OSError, EOFError, gzip.BadGzipFile) as problem:
        raise SourceError(f"cannot read CDXJ: {problem}", where=str(path)) from None


def wanted(capture: Capture, stats: Counter[str]) -> bool:
    """Whether to fetch the capture's record (see the module doc); counts the others."""
    status = capture.status
    if status is None:
        stats["cc/skipped/no-status"] += 1
        return False
    if 300 <= status < 400:
        stats["cc/fetch/redirects"] += 1
        return True
    if status != 200:
        stats["cc/skipped/error-status"] += 1
        return False
    if not capture.mime.startswith(HTML_TYPES):
        stats["cc/skipped/not-html"] += 1
        return False
    stats["cc/fetch/pages"] += 1
    return True


def select(captures: Iterable[Capture], stats: Counter[str]) -> list[Capture]:
    """The captures worth fetching, each record once (an index may list one twice)."""
    seen: set[tuple[str, int]] = set()
    out: list[Capture] = []
    for capture in captures:
        where = (capture.filename, capture.offset)
        if where in seen:
            stats["cc/skipped/duplicate"] += 1
            continue
        if wanted(capture, stats):
            seen.add(where)
            out.append(capture)
    return out
