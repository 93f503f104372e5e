"""From archive records to what extraction and the fetches table take: `iter_fetched_pages`.

Every HTTP response record becomes a `WarcPage` (a `FetchedPage` with the content type and
an `html` flag: extraction skips pages whose flag is False, the fetches table keeps them
all). Revisits become the page they repeat, with the revisit's own URL, time and headers.
A failed-fetch record (see `failures`) becomes a `records.Fetch` with its error.
Every other record is counted under `warc/skipped/<reason>`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from linkscope.records import Fetch, FetchedPage
from linkscope.settings import MAX_DECODED_BODY
from linkscope.warc.decode import decode_payload
from linkscope.warc.failures import decode_failure, is_failure
from linkscope.warc.read import ArchiveRecord, ErrorHandler, iter_records, report_error
from linkscope.warc.revisit import IDENTICAL_PAYLOAD, Original, RevisitResolver

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class WarcPage(FetchedPage):
    """A fetched page read from an archive, flagged for extraction."""

    content_type: str | None = None  # media type of the HTTP Content-Type, lower case
    html: bool = False  # whether extraction should parse it
    revisit: bool = False  # whether the body came from an earlier record (a resolved revisit)

    def to_fetch(self) -> Fetch:
        """The fetches-table row for this page."""
        return Fetch(
            url=self.url, fetch_time=self.fetch_time or "", status=self.status, ip=self.ip,
            content_type=self.content_type, redirect_to=self.header("Location"),
            size=len(self.body), crawl_id=self.crawl_id, warc_file=self.warc_file,
            warc_offset=self.warc_offset,
        )


def iter_fetched_pages(
    sources: str | Iterable[str],
    stats: Counter[str] | None = None,
    on_error: ErrorHandler = report_error,
    resolver: RevisitResolver | None = None,
    crawl_id: str | None = None,
    start: int = 0,
    stop: int | None = None,
    max_body: int = MAX_DECODED_BODY,
    end: int | None = None,
) -> Iterator[WarcPage | Fetch]:
    """Yield a WarcPage per HTTP response or resolved revisit, a Fetch per failed fetch.

    Sources are read in order; revisits are resolved against responses seen earlier in
    any of them (pass one `resolver` to several calls to share it). A source that cannot be
    opened is reported through `on_error` and the next one is read. `start` and `stop` read
    one byte range of each source (see `iter_records` and `ranges`). A body that decodes
    past `max_body` bytes is cut there (`warc/truncated/body`). `end`: see `iter_records`.
    """
    stats = Counter() if stats is None else stats
    resolver = RevisitResolver() if resolver is None else resolver
    for source in [sources] if isinstance(sources, str) else sources:
        for record in iter_records(source, stats, on_error, start=start, stop=stop, end=end):
            item = _convert(record, stats, resolver, crawl_id, max_body)
            if item is not None:
                yield item


def _convert(
    record: ArchiveRecord, stats: Counter[str], resolver: RevisitResolver, crawl_id: str | None,
    max_body: int,
) -> WarcPage | Fetch | None:
    kind = record.type
    if kind == "response":
        return _response(record, stats, resolver, crawl_id, max_body)
    if kind == "revisit":
        return _revisit(record, stats, resolver, crawl_id, max_body)
    if is_failure(kind, record.warc.get("Content-Type")):
        return _failure(record, stats, crawl_id)
    stats[f"warc/skipped/{kind}"] += 1
    return None


def _response(
    record: ArchiveRecord, stats: Counter[str], resolver: RevisitResolver, crawl_id: str | None,
    max_body: int,
) -> WarcPage | None:
    url = record.warc.get("WARC-Target-URI")
    if record.http_headers is None or record.status is None:
        stats["warc/skipped/not-http"] += 1
        return None
    if not url:
        stats["warc/skipped/no-url"] += 1
        return None
    original = Original(url, record.status, record.http_headers, record.file, record.offset)
    resolver.remember(original, record.warc.get("WARC-Payload-Digest"), record.body)
    stats["warc/responses"] += 1
    return _page(record, url, record.status, record.http_headers, record.body, stats, crawl_id,
                 max_body)


def _revisit(
    record: ArchiveRecord, stats: Counter[str], resolver: RevisitResolver, crawl_id: str | None,
    max_body: int,
) -> WarcPage | None:
    url = record.warc.get("WARC-Target-URI")
    if not url:
        stats["warc/skipped/no-url"] += 1
        return None
    if not record.warc.get("WARC-Profile", IDENTICAL_PAYLOAD).endswith(IDENTICAL_PAYLOAD):
        stats["warc/skipped/revisit-not-identical"] += 1
        return None
    found = resolver.resolve(
        record.warc.get("WARC-Payload-Digest"), record.warc.get("WARC-Refers-To-Target-URI"), url
    )
    if found is None:
        stats["warc/skipped/revisit-unresolved"] += 1
        return None
    original, body = found
    status = record.status if record.status is not None else original.status
    headers = record.http_headers or original.headers
    if status is None:
        stats["warc/skipped/not-http"] += 1
        return None
    stats["warc/revisits-resolved"] += 1
    return _page(record, url, status, headers, body, stats, crawl_id, max_body, revisit=True)


def _page(
    record: ArchiveRecord, url: str, status: int, headers: tuple[tuple[str, str], ...],
    raw_body: bytes, stats: Counter[str], crawl_id: str | None, max_body: int,
    revisit: bool = False,
) -> WarcPage:
    body = decode_payload(raw_body, headers, stats, limit=max_body)
    content_type = _media_type(headers)
    html = content_type in HTML_TYPES if content_type else _looks_like_html(body)
    stats["warc/html" if html else "warc/not-html"] += 1
    if record.warc.get("WARC-Truncated"):
        stats["warc/truncated"] += 1
    return WarcPage(
        url=url, status=status, headers=headers, body=body, ip=record.warc.get("WARC-IP-Address"),
        fetch_time=_fetch_time(record, headers, stats), crawl_id=crawl_id,
        warc_file=record.file, warc_offset=record.offset, content_type=content_type,
        html=html, revisit=revisit,
    )


def _failure(record: ArchiveRecord, stats: Counter[str], crawl_id: str | None) -> Fetch | None:
    payload = decode_failure(record.body)
    if payload is None:
        stats["warc/skipped/bad-failure-record"] += 1
        return None
    stats["warc/failures"] += 1
    return Fetch(
        url=payload["url"], fetch_time=iso_utc(payload["time"], stats) or payload["time"],
        status=payload.get("status"), ip=payload.get("ip"), error=payload["error"],
        crawl_id=crawl_id, warc_file=record.file, warc_offset=record.offset,
    )


def iso_utc(value: str | None, stats: Counter[str] | None = None) -> str | None:
    """A WARC-Date as ISO 8601 UTC (`2020-08-08T17:27:41Z`), or None when unparsable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        if stats is not None:
            stats["warc/bad-date"] += 1
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fetch_time(
    record: ArchiveRecord, headers: tuple[tuple[str, str], ...], stats: Counter[str]
) -> str | None:
    """The WARC-Date, else (malformed, as in ClueWeb09) the HTTP Date header."""
    found = iso_utc(record.warc.get("WARC-Date"), stats)
    if found is not None:
        return found
    for name, value in headers:
        if name.lower() == "date":
            try:
                return iso_utc(parsedate_to_datetime(value).isoformat())
            except (TypeError, ValueError):
                return None
    return None


def _media_type(headers: tuple[tuple[str, str], ...]) -> str | None:
    for name, value in headers:
        if name.lower() == "content-type":
            media = value.split(";", 1)[0].strip().lower()
            return media or None
    return None


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
