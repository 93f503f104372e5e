"""Serving an index in the foreground with uvicorn, and the rule on API keys.

Bound to a loopback address (127.0.0.0/8, ::1, localhost) the server answers anyone on the
machine; bound to any other address it refuses to start without an API key
(`LINKSCOPE_API_KEY`), and then refuses requests that do not carry it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

from linkscope.errors import UsageError
from linkscope.store.generations import IndexDir


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, api_key: str | None) -> None:
    """Refuse a non-loopback address without an API key."""
    if not is_loopback(host) and not api_key:
        raise UsageError(f"{host} is not a loopback address, and no API key is set",
                         where="--host", hint="set LINKSCOPE_API_KEY, or bind 127.0.0.1")


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(index: Path | str, host: str = "127.0.0.1", port: int = 8000, *,
          api_key: str | None = None, query_timeout: float | None = None,
          workers: int | None = None, announce: Callable[[str], None] | None = print) -> None:
    """Serve `index` (API and UI) until interrupted; print the URL first."""
    import uvicorn

    from linkscope.api.app import create_app
    from linkscope.settings import QUERY_TIMEOUT, QUERY_WORKERS

    check_binding(host, api_key)
    if not IndexDir(index).exists():
        raise UsageError(f"no index at {index}", where="--index",
                         hint="run `linkscope demo`, or ingest WARC files first")
    app = create_app(index, api_key=api_key,
                     query_timeout=QUERY_TIMEOUT if query_timeout is None else query_timeout,
                     workers=QUERY_WORKERS if workers is None else workers)
    if announce is not None:
        announce(f"linkscope: serving {index} at {url_of(host, port)} (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
