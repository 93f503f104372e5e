"""Read the records of one WARC or ARC file, surviving damage: `iter_records`.

WARC files (plain, gzip, LZ4) are parsed by FastWARC, ARC files (plain, gzip) by warcio,
which FastWARC cannot read; docs/warc.md gives the measured reasons. Both run over a
`ReplayReader`, so local files and streamed URLs behave the same.

When the parser fails, the failure is reported once as an `ArchiveError` whose `where` is
`<file>@<offset>`: the offset of the record that could not be read, or the first byte after
the last good record. Reading then restarts at the next place a record can start (see
`framing`), so every good record before and after the damage is kept.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fastwarc.warc import ArchiveIterator as FastIterator
from fastwarc.warc import WarcRecord
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.recordloader import ArcWarcRecord

from linkscope.errors import ArchiveError
from linkscope.warc.bounds import Overrun, find_overrun
from linkscope.warc.framing import (
    Compression,
    Format,
    find_next_start,
    one_record_per_member,
    only_padding_from,
    record_end,
    sniff,
)
from linkscope.warc.sources import OffsetReader, ReplayReader, open_raw

log = logging.getLogger(__name__)

ErrorHandler = Callable[[ArchiveError], None]
# record types whose block is read into memory; the others are skipped over unread
BODY_TYPES = frozenset({"response", "revisit", "resource", "metadata"})
_HEADERS = (
    "WARC-Target-URI", "WARC-Date", "WARC-IP-Address", "Content-Type", "WARC-Payload-Digest",
    "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date", "WARC-Profile", "WARC-Truncated",
    "Content-Length",
)
_WANTED = {name.lower(): name for name in _HEADERS}  # header names are case-insensitive
# a record declaring a longer block has its bounds checked before the block is read
CHECK_BEFORE_READING = 8 << 20


@dataclass(slots=True)
class ArchiveRecord:
    """One record of a WARC or ARC file, as linkscope needs it, whichever library read it."""

    file: str
    offset: int | None  # byte offset of the record (of its gzip member or LZ4 frame) in the file;
    # None when the file is compressed as a whole, where no offset leads to one record
    type: str  # warcinfo, response, resource, request, metadata, revisit, conversion, ...
    warc: dict[str, str]  # the WARC headers linkscope reads (see _HEADERS); absent ones missing
    status: int | None = None  # HTTP status when the block is an HTTP response
    http_headers: tuple[tuple[str, str], ...] | None = None
    body: bytes = b""  # HTTP payload as recorded (still encoded), or the whole non-HTTP block


def report_error(error: ArchiveError) -> None:
    """The default error handler: one WARNING line naming file and offset."""
    log.warning("%s", error.one_line())


def iter_records(
    source: str,
    stats: Counter[str] | None = None,
    on_error: ErrorHandler = report_error,
    bodies: frozenset[str] = BODY_TYPES,
    start: int = 0,
    stop: int | None = None,
    end: int | None = None,
) -> Iterator[ArchiveRecord]:
    """Yield every readable record of one WARC/ARC file or URL, in file order.

    A source that cannot be opened raises `SourceError`; damage inside it is passed to
    `on_error` as an `ArchiveError` and counted as `warc/errors`, and reading goes on.
    `start` and `stop` read a byte range of a local file (see `ranges`): `start` must be a
    record start, and the records yielded are those that start before `stop`. `end`, for a
    URL whose range [start, end) holds whole records (a Common Crawl capture), asks the server
    for those bytes only.
    """
    stats = Counter() if stats is None else stats
    if stop is not None and start >= stop:
        return
    reader = ReplayReader(open_raw(source, end=end), source, start)
    try:
        compression, fmt = sniff(reader, start)
        if fmt is Format.UNKNOWN:
            stats["warc/errors"] += 1
            on_error(ArchiveError("not a WARC or ARC file", where=f"{source}@0",
                                  hint="expected a WARC/ or ARC header, plain, gzip or lz4"))
            return
        if start == 0:
            stats["warc/files"] += 1
        seekable = fmt is Format.ARC or one_record_per_member(reader, compression, start)
        if not seekable:
            log.warning("%s: compressed as a whole, not record by record: records have no offset",
                        source)
        bounded = seekable and fmt is Format.WARC  # record bounds that find_overrun can check
        position: int | None = start
        while position is not None:
            state = _Segment(position, stop, bounded)
            # the last record parsed is held back until what follows it (the next header, or
            # the end) shows that its Content-Length kept it inside its bounds
            held: ArchiveRecord | None = None
            bad: int | None = None  # the offset of a record that overran its bounds
            overrun: Overrun | None = None
            try:
                for record in _parse(reader, source, position, fmt, compression, bodies, state):
                    if held is not None:
                        yield _emit(held, seekable, stats)
                    held = record
                    if state.last is not None:
                        reader.mark(state.last)
            except _TooLong as found:  # seen from its length, before its block was read
                overrun, bad = found.overrun, state.current
            except _PARSE_ERRORS as exc:
                # the record in hand failed (then the held one ended where a header parsed),
                # or the parse failed between records (then the held one's length is suspect)
                suspect = state.current if state.current is not None else (
                    state.last if held is not None else None)
                if bounded and suspect is not None:
                    overrun, bad = find_overrun(reader, suspect, compression), suspect
                if overrun is None:
                    if held is not None:
                        yield _emit(held, seekable, stats)
                    position = _recover(reader, source, compression, fmt, state, exc, stats,
                                        on_error)
                    continue
            else:
                if bounded and held is not None and not state.stopped:
                    bad = state.last
                    overrun = find_overrun(reader, state.last or 0, compression)
                if overrun is None:
                    if held is not None:
                        yield _emit(held, seekable, stats)
                    position = None
                    continue
            assert bad is not None
            if held is not None and bad != state.last:
                yield _emit(held, seekable, stats)  # the record in hand overran, not this one
            position = _report_overrun(reader, source, compression, fmt, bad, state.stop,
                                       overrun, stats, on_error)
    finally:
        reader.close()


class _TooLong(Exception):
    """A record whose declared length runs past its bounds, seen before reading its block."""

    def __init__(self, overrun: Overrun) -> None:
        super().__init__(overrun.message)
        self.overrun = overrun


def _emit(record: ArchiveRecord, seekable: bool, stats: Counter[str]) -> ArchiveRecord:
    stats["warc/records"] += 1
    if not seekable and record.offset:
        record.offset = None
        stats["warc/no-offset"] += 1
    return record


class _Segment:
    """Progress through one run of the parser: the last record done, the one in hand."""

    __slots__ = ("start", "stop", "bounded", "last", "current", "stopped")

    def __init__(self, start: int, stop: int | None, bounded: bool) -> None:
        self.start = start
        self.bounded = bounded  # whether record bounds can be checked (bounds.find_overrun)
        self.stop = stop  # records starting here or later belong to the next range
        self.last: int | None = None
        self.current: int | None = None
        self.stopped = False  # whether the parse ended at `stop` (a header parsed there)


def _parse(
    reader: ReplayReader, source: str, base: int, fmt: Format, compression: Compression,
    bodies: frozenset[str], state: _Segment,
) -> Iterator[ArchiveRecord]:
    view = OffsetReader(reader, base)
    if fmt is Format.WARC:
        for fast in FastIterator(view, parse_http=False):
            state.current = base + fast.stream_pos
            if state.stop is not None and state.current >= state.stop:
                state.current = None
                state.stopped = True
                return
            if state.bounded and fast.content_length > CHECK_BEFORE_READING:
                # a wrong length would read the rest of the file into memory first
                overrun = find_overrun(reader, state.current, compression)
                if overrun is not None:
                    raise _TooLong(overrun)
            record = _from_fastwarc(fast, source, state.current, bodies)
            if record.status is None and record.http_headers is not None:
                _reparse_lenient(reader, record, compression)
            state.last, state.current = state.current, None
            yield record
    else:
        iterator = WarcioIterator(view, arc2warc=True)
        for old in iterator:
            state.current = base + iterator.get_record_offset()
            if state.stop is not None and state.current >= state.stop:
                state.current = None
                return
            record = _from_warcio(old, source, state.current, bodies)
            state.last, state.current = state.current, None
            yield record


def _from_fastwarc(
    fast: WarcRecord, source: str, offset: int, bodies: frozenset[str]
) -> ArchiveRecord:
    kind = str(fast.record_type)
    # one call into FastWARC is much cheaper than a get() per header
    warc = {}
    for name, value in fast.headers.to_tuples():
        canonical = _WANTED.get(name.lower())
        if canonical is not None and canonical not in warc:
            warc[canonical] = value
    if "Content-Length" not in warc:
        raise EOFError("record header cut short (no Content-Length)")
    record = ArchiveRecord(source, offset, kind, warc)
    if kind not in bodies:
        fast.consume()
        return record
    http = None
    if fast.is_http:
        # strict WARC framing (so damage is seen and reported), lenient HTTP headers (bare LF
        # line ends as in ClueWeb09, status lines without a reason phrase)
        fast.parse_http(quirks_mode=True)
        http = fast.http_headers
    if http is not None:
        record.status = http.status_code
        record.http_headers = http.to_tuples()
    expected = fast.content_length  # of the payload, once the HTTP head is parsed
    record.body = fast.reader.read()
    # a head without a status is parsed again leniently (below), from the record's bytes
    if len(record.body) < expected and (http is None or http.status_code is not None):
        raise EOFError(f"record truncated: {len(record.body)} of {expected} bytes")
    return record


def _reparse_lenient(reader: ReplayReader, record: ArchiveRecord, compression: Compression) -> None:
    """Parse a record again in FastWARC's quirks mode, from the replay buffer.

    Strict parsing frames records reliably (so that damage is seen), but rejects HTTP heads
    that real crawlers write: a status line without a reason phrase, or bare LF line ends.
    This runs only for such records.
    """
    assert record.offset is not None
    end = record_end(reader, record.offset, compression)
    if end is None:
        return
    raw = reader.peek_from(record.offset, end - record.offset)
    for fast in FastIterator(io.BytesIO(raw), parse_http=True, quirks_mode=True):
        http = fast.http_headers if fast.is_http else None
        if http is not None and http.status_code is not None:
            record.status = http.status_code
            record.http_headers = http.to_tuples()
            record.body = fast.reader.read()
        return


def _from_warcio(
    old: ArcWarcRecord, source: str, offset: int, bodies: frozenset[str]
) -> ArchiveRecord:
    kind = old.rec_type
    warc = {name: value for name in _HEADERS
            if (value := old.rec_headers.get_header(name)) is not None}
    record = ArchiveRecord(source, offset, kind, warc)
    if kind in bodies:
        if old.http_headers is not None:
            status = old.http_headers.get_statuscode()
            record.status = int(status) if status and status.isdigit() else None
            record.http_headers = tuple(old.http_headers.headers)
        record.body = old.raw_stream.read()
    return record


def _panic_type() -> type[BaseException]:
    """pyo3's PanicException (a BaseException) that FastWARC raises on some broken input."""
    try:
        from pyo3_runtime import PanicException
    except ImportError:
        return OSError
    return PanicException  # type: ignore[no-any-return]


_PARSE_ERRORS: tuple[type[BaseException], ...] = (
    OSError, ValueError, EOFError, zlib.error, _panic_type(),
)


def _recover(
    reader: ReplayReader, source: str, compression: Compression, fmt: Format,
    state: _Segment, exc: BaseException, stats: Counter[str], on_error: ErrorHandler,
) -> int | None:
    """Report the damage once and return where to restart, or None if nothing follows."""
    if state.current is not None:  # the record in hand is the bad one
        bad = state.current
    elif state.last is not None:  # the damage follows the last good record
        bad = record_end(reader, state.last, compression) or state.last + 1
    else:
        bad = state.start
    if state.stop is not None and bad >= state.stop:
        return None  # the next range's damage: that range reports it
    if only_padding_from(reader, bad):
        return None  # trailing NULs or blank lines: a clean end, as many crawlers leave
    restart = find_next_start(reader, bad + 1, compression, fmt)
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    then = f"resumed at offset {restart}" if restart is not None else "nothing readable after it"
    stats["warc/errors"] += 1
    on_error(ArchiveError(f"unreadable record ({detail}); {then}", where=f"{source}@{bad}"))
    if restart is not None and state.stop is not None and restart >= state.stop:
        return None
    return restart


def _report_overrun(
    reader: ReplayReader, source: str, compression: Compression, fmt: Format, offset: int,
    stop: int | None, overrun: Overrun, stats: Counter[str], on_error: ErrorHandler,
) -> int | None:
    """Report the record at `offset` that ran past its bounds (it is dropped) and return
    where to read on: the record after it, which its Content-Length had swallowed."""
    resume = overrun.resume
    if resume is None:
        resume = find_next_start(reader, offset + 1, compression, fmt)
    if resume is not None and only_padding_from(reader, resume):
        resume = None
    then = f"resumed at offset {resume}" if resume is not None else "nothing readable after it"
    stats["warc/errors"] += 1
    stats["warc/overruns"] += 1
    on_error(ArchiveError(f"record overruns its bounds ({overrun.message}); dropped, {then}",
                          where=f"{source}@{offset}"))
    if resume is not None and stop is not None and resume >= stop:
        return None
    return resume
