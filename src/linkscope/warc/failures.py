"""The failed-fetch convention: how a WARC file records a fetch that got no HTTP response.

A WARC response record needs a response. linkscope's crawler records a fetch that failed
(DNS, refused, timeout, TLS, too large, robots) as a `metadata` record (a `resource` record
is read too) whose Content-Type is FAILURE_CONTENT_TYPE and whose block is one JSON object:

    {"url": "http://gone.example/", "time": "2026-11-24T10:00:00Z", "error": "dns",
     "message": "Name or service not known", "ip": null, "status": null}

`url`, `time` (ISO 8601, UTC) and `error` (a short token) are required; `message`, `ip` and
`status` are optional. WARC-Target-URI and WARC-Date repeat the url and time. docs/warc.md
holds the same description.
"""

from __future__ import annotations

import json
from typing import Any

FAILURE_CONTENT_TYPE = "application/vnd.linkscope.fetch-failure+json"
FAILURE_TYPES = frozenset({"metadata", "resource"})


def encode_failure(
    url: str, time: str, error: str, *, message: str | None = None, ip: str | None = None,
    status: int | None = None,
) -> bytes:
    """The JSON block of a failed-fetch record."""
    payload: dict[str, Any] = {"url": url, "time": time, "error": error}
    if message is not None:
        payload["message"] = message
    if ip is not None:
        payload["ip"] = ip
    if status is not None:
        payload["status"] = status
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")


def is_failure(record_type: str, content_type: str | None) -> bool:
    if record_type not in FAILURE_TYPES or not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == FAILURE_CONTENT_TYPE


def decode_failure(block: bytes) -> dict[str, Any] | None:
    """The payload of a failed-fetch block, or None when it does not follow the convention."""
    try:
        payload = json.loads(block)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    required = ("url", "time", "error")
    if not all(isinstance(payload.get(key), str) and payload[key] for key in required):
        return None
    status = payload.get("status")
    if status is not None and not isinstance(status, int):
        return None
    return payload
