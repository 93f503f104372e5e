"""Read Common Crawl's WAT files: one `WatPage` per HTTP response they describe.

A WAT file is a WARC file of `metadata` records, each holding the JSON metadata the WAT
generator extracted from one record of a WARC file (its layout: `wat_write`). For a response,
that is the WARC headers, the HTTP status and headers and, for an HTML payload, the page's
title, metas, <link>s and the URLs of its links and embeds (`HTML-Metadata`), but not the page
itself. `iter_wat_pages` yields those responses as `WatPage`s, a `FetchedPage` without a body
that carries the HTML-Metadata object; `extract.wat` turns one into a page and its links.

Reading goes through `iter_records`, so WAT files are read as WARC files are: local or http(s),
gzip or LZ4, in byte ranges, with damage reported and skipped. What is not a response is
counted as `wat/skipped/<WARC-Type>` (request, warcinfo, metadata, ...); a record whose JSON
does not parse, as `wat/skipped/bad-json`.

A revisit record's WAT entry has no links of its own (the revisit holds no payload): it
takes those of the response it repeats, found by WARC-Payload-Digest, else by
WARC-Refers-To-Target-URI, else by its own URL, among the responses read earlier in the same
task (as `warc.revisit` does for WARC files); an original not seen leaves it counted as
`wat/skipped/revisit-unresolved`.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from linkscope.records import Fetch, FetchedPage
from linkscope.warc.pages import iso_utc
from linkscope.warc.read import ErrorHandler, iter_records, report_error
from linkscope.warc.sources import WAT_SUFFIXES, is_url

log = logging.getLogger(__name__)

REVISIT_CACHE_BYTES = 64 << 20  # JSON of the originals kept for revisits, least recent out
# (kept as the record's bytes and parsed again when a revisit needs them: parsed, a WAT's
# JSON takes several times its size in memory)
_JSON_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class WatPage(FetchedPage):
    """An HTTP response as a WAT record describes it: head and HTML metadata, no body."""

    content_type: str | None = None  # media type of the HTTP Content-Type, lower case
    metadata: dict[str, Any] | None = None  # HTML-Metadata; None for a payload not HTML
    entity_length: int = 0  # bytes of the payload in the WARC file
    revisit: bool = False  # whether the links came from an earlier record

    def to_fetch(self) -> Fetch:
        """The fetches-table row for this page."""
        return Fetch(
            url=self.url, fetch_time=self.fetch_time or "", status=self.status, ip=self.ip,
            content_type=self.content_type, redirect_to=self.header("Location"),
            size=self.entity_length, crawl_id=self.crawl_id, warc_file=self.warc_file,
            warc_offset=self.warc_offset,
        )


def is_wat(source: str) -> bool:
    """Whether `source` is a WAT file: by its name (`*.wat`, `*.wat.gz`, `*.wat.lz4`), else,
    for a local file, by its first records (JSON metadata records and no response)."""
    name = source.split("?", 1)[0].lower()
    if name.endswith(WAT_SUFFIXES):
        return True
    if is_url(source):
        return False
    kinds: list[tuple[str, str]] = []
    try:
        for record in iter_records(source, Counter(), on_error=lambda _: None,
                                   bodies=frozenset()):
            if record.type != "warcinfo":
                kinds.append((record.type, record.warc.get("Content-Type", "").lower()))
            if len(kinds) == 2:
                break
    except Exception:  # noqa: BLE001 (the ingest reads it again and reports what is wrong)
        return False
    return bool(kinds) and all(kind == "metadata" and _JSON_TYPE in content_type
                               for kind, content_type in kinds)


class _Originals:
    """The responses read so far, for the revisits that repeat them: the JSON of each one
    with HTML metadata (b"" for one without), within a budget of bytes."""

    def __init__(self, budget: int = REVISIT_CACHE_BYTES) -> None:
        self.budget = budget
        self.used = 0
        self.found: OrderedDict[str, bytes] = OrderedDict()

    def keep(self, keys: list[str], block: bytes) -> None:
        for key in keys:
            if key in self.found:
                self.used -= len(self.found.pop(key))
            self.found[key] = block
            self.used += len(block)
        while self.used > self.budget and self.found:
            self.used -= len(self.found.popitem(last=False)[1])

    def find(self, keys: list[str]) -> tuple[bool, dict[str, Any] | None]:
        """(whether an original was seen, its HTML metadata)."""
        for key in keys:
            if key in self.found:
                self.found.move_to_end(key)
                block = self.found[key]
                if not block:
                    return True, None
                found = json.loads(block)["Envelope"]["Payload-Metadata"]
                return True, found["HTTP-Response-Metadata"]["HTML-Metadata"]
        return False, None


def iter_wat_pages(source: str, stats: Counter[str] | None = None,
                   on_error: ErrorHandler = report_error, crawl_id: str | None = None,
                   start: int = 0, stop: int | None = None) -> Iterator[WatPage]:
    """Yield a WatPage for each HTTP response (and resolved revisit) a WAT file describes.

    As `iter_records`: a source that cannot be opened raises `SourceError`, damage goes to
    `on_error` and reading goes on; `start`/`stop` read one byte range.
    """
    stats = Counter() if stats is None else stats
    originals = _Originals()
    for record in iter_records(source, stats, on_error, bodies=frozenset({"metadata"}),
                               start=start, stop=stop):
        stats["wat/records"] += 1
        if record.type != "metadata":
            stats[f"wat/skipped/{record.type}"] += 1
            continue
        try:
            document = json.loads(record.body)
            envelope = document["Envelope"]
            header = envelope["WARC-Header-Metadata"]
            payload = envelope.get("Payload-Metadata") or {}
        except (ValueError, KeyError, TypeError):
            stats["wat/skipped/bad-json"] += 1
            log.debug("%s@%s: not WAT JSON", source, record.offset)
            continue
        page = _page(header, payload, stats, originals, record.body)
        if page is None:
            continue
        yield WatPage(page[0], page[1], page[2], b"",
                      ip=_text(header.get("WARC-IP-Address")) or None,
                      fetch_time=_fetch_time(_text(header.get("WARC-Date")), page[2], stats),
                      crawl_id=crawl_id, warc_file=source, warc_offset=record.offset,
                      content_type=page[3], metadata=page[4], entity_length=page[5],
                      revisit=page[6])
    if start == 0 and stats["warc/files"]:
        stats["wat/files"] += 1


_Page = tuple[str, int, tuple[tuple[str, str], ...], str | None, dict[str, Any] | None, int, bool]


def _page(header: Any, payload: Any, stats: Counter[str], originals: _Originals,
          block: bytes) -> _Page | None:
    """(url, status, headers, content type, HTML-Metadata, entity length, revisit) of one
    record's metadata, or None (counted) when it is not an HTTP response."""
    if not isinstance(header, dict) or not isinstance(payload, dict):
        stats["wat/skipped/bad-json"] += 1
        return None
    warc_type = _text(header.get("WARC-Type")) or "unknown"
    response = payload.get("HTTP-Response-Metadata")
    if warc_type not in ("response", "revisit") or not isinstance(response, dict):
        stats[f"wat/skipped/{warc_type}"] += 1
        return None
    url = _text(header.get("WARC-Target-URI"))
    if not url:
        stats["wat/skipped/no-url"] += 1
        return None
    message = response.get("Response-Message")
    try:
        status = int(str(message.get("Status")).strip())  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        stats["wat/skipped/no-status"] += 1
        return None
    headers = _headers(response.get("Headers"))
    content = next((v for k, v in headers if k.lower() == "content-type"), None)
    content_type = content.split(";")[0].strip().lower() or None if content else None
    metadata = response.get("HTML-Metadata")
    metadata = metadata if isinstance(metadata, dict) else None
    try:
        length = int(str(response.get("Entity-Length", 0)))
    except ValueError:
        length = 0
    digest = _text(header.get("WARC-Payload-Digest"))
    revisit = warc_type == "revisit"
    if revisit:
        keys = [f"digest {digest}" if digest else "",
                f"url {_text(header.get('WARC-Refers-To-Target-URI'))}", f"url {url}"]
        seen, original = originals.find([k for k in keys if k and k != "url "])
        if not seen:
            stats["wat/skipped/revisit-unresolved"] += 1
            return None
        metadata = original
        stats["wat/revisits-resolved"] += 1
    else:
        originals.keep([k for k in (f"digest {digest}" if digest else "", f"url {url}") if k],
                       block if metadata is not None else b"")
        stats["wat/responses"] += 1
    stats["wat/html" if metadata is not None else "wat/not-html"] += 1
    return url, status, headers, content_type, metadata, length, revisit


def _fetch_time(warc_date: str, headers: tuple[tuple[str, str], ...],
                stats: Counter[str]) -> str | None:
    """The WARC-Date of the record described, else (malformed) the HTTP Date, as WARC ingest
    dates a page."""
    found = iso_utc(warc_date, stats)
    if found is None:
        date = next((v for k, v in headers if k.lower() == "date"), None)
        try:
            found = iso_utc(parsedate_to_datetime(date).isoformat()) if date else None
        except (TypeError, ValueError):
            found = None
    return found


def _headers(found: Any) -> tuple[tuple[str, str], ...]:
    """The Headers object as (name, value) pairs: a list value is a repeated header."""
    if not isinstance(found, dict):
        return ()
    pairs: list[tuple[str, str]] = []
    for name, value in found.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((str(name), _text(one)))
    return tuple(pairs)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
