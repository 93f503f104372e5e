"""Write WARC 1.1 files as the crawler needs them: one gzip member per record, rotated by size.

    with WarcWriter(directory, prefix="crawl") as writer:
        request_id = writer.write_request(url, request_bytes, time=..., ip=...)
        writer.write_response(url, status_line, headers, body, time=..., ip=...,
                              concurrent_to=request_id)
        writer.write_failure(url, time, "dns", message="Name or service not known")

Each record is its own gzip member, so a record's offset is a seek point; a new file starts
when the current one has reached `max_bytes` (a record never spans two files). Files are
named `<prefix>-<UTC timestamp>-<serial>.warc.gz`, each opening with a warcinfo record,
and written under a `.open` suffix that is removed when the file is closed, so a reader
never takes a half-written file for a finished one.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from linkscope import __version__
from linkscope.warc.failures import FAILURE_CONTENT_TYPE, encode_failure


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _gzip_member(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


class WarcWriter:
    """Append WARC records to rotating `.warc.gz` files in one directory."""

    def __init__(self, directory: str | Path, prefix: str = "linkscope",
                 max_bytes: int = 1 << 30, operator: str | None = None) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.operator = operator
        self.files: list[Path] = []  # finished files, in order
        self._handle: BinaryIO | None = None
        self._path: Path | None = None
        self._size = 0
        self._serial = 0

    # --- the records
    def write_request(self, url: str, http_request: bytes, *, time: str | None = None,
                      ip: str | None = None, concurrent_to: str | None = None) -> str:
        """Write the HTTP request as sent (request line, headers, body); return its record id."""
        return self._write("request", http_request, url=url, time=time, ip=ip,
                           content_type="application/http; msgtype=request",
                           concurrent_to=concurrent_to)

    def write_response(self, url: str, status_line: str, headers: list[tuple[str, str]],
                       body: bytes, *, time: str | None = None, ip: str | None = None,
                       concurrent_to: str | None = None) -> str:
        """Write an HTTP response (body as received on the wire); return its record id."""
        head = status_line.rstrip("\r\n") + "\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
        return self._write("response", head.encode("latin-1") + body, url=url, time=time, ip=ip,
                           content_type="application/http; msgtype=response",
                           concurrent_to=concurrent_to, payload_digest=_sha1(body))

    def write_metadata(self, url: str, block: bytes, content_type: str, *,
                       time: str | None = None, concurrent_to: str | None = None) -> str:
        return self._write("metadata", block, url=url, time=time, content_type=content_type,
                           concurrent_to=concurrent_to)

    def write_failure(self, url: str, time: str, error: str, *, message: str | None = None,
                      ip: str | None = None, status: int | None = None) -> str:
        """Record a fetch that got no usable response (see failures.py for the convention)."""
        block = encode_failure(url, time, error, message=message, ip=ip, status=status)
        return self.write_metadata(url, block, FAILURE_CONTENT_TYPE, time=time)

    # --- files
    def flush(self) -> None:
        """Hand what was written to the operating system (a killed process then loses nothing)."""
        if self._handle is not None:
            self._handle.flush()

    def close(self) -> None:
        if self._handle is None or self._path is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        final = self._path.with_name(self._path.name.removesuffix(".open"))
        os.replace(self._path, final)
        self.files.append(final)
        self._handle = self._path = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def _write(self, kind: str, block: bytes, *, url: str | None = None, time: str | None = None,
               ip: str | None = None, content_type: str | None = None,
               concurrent_to: str | None = None, payload_digest: str | None = None) -> str:
        if self._handle is not None and self._size >= self.max_bytes:
            self.close()
        if self._handle is None:
            self._open()
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        fields = [("WARC-Type", kind), ("WARC-Record-ID", record_id),
                  ("WARC-Date", time or _now())]
        if url is not None:
            fields.append(("WARC-Target-URI", url))
        if ip:
            fields.append(("WARC-IP-Address", ip))
        if concurrent_to:
            fields.append(("WARC-Concurrent-To", concurrent_to))
        fields.append(("WARC-Block-Digest", _sha1(block)))
        if payload_digest:
            fields.append(("WARC-Payload-Digest", payload_digest))
        if content_type:
            fields.append(("Content-Type", content_type))
        fields.append(("Content-Length", str(len(block))))
        self._append(fields, block)
        return record_id

    def _append(self, fields: list[tuple[str, str]], block: bytes) -> None:
        head = "WARC/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in fields) + "\r\n"
        member = _gzip_member(head.encode("utf-8") + block + b"\r\n\r\n")
        assert self._handle is not None
        self._handle.write(member)
        self._size += len(member)

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
        self._path = self.directory / (name + ".open")
        self._handle = open(self._path, "wb")  # noqa: SIM115 (closed in close())
        self._size = 0
        info = f"software: linkscope/{__version__}\r\nformat: WARC File Format 1.1\r\n"
        if self.operator:
            info += f"operator: {self.operator}\r\n"
        block = info.encode("utf-8")
        fields = [("WARC-Type", "warcinfo"), ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
                  ("WARC-Date", _now()), ("WARC-Filename", name),
                  ("Content-Type", "application/warc-fields"),
                  ("Content-Length", str(len(block)))]
        self._append(fields, block)
