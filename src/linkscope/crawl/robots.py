"""robots.txt rules per host, parsed with Protego, and what to do when robots.txt fails.

How a robots.txt answer is read (the usual conventions, as Google documents them):

| answer | rule |
|---|---|
| 2xx | the file's rules, for the crawler's user agent; Crawl-delay honoured up to a cap |
| 3xx | followed, up to 5 hops (each hop is a fetch, recorded); past that: allow all |
| 4xx except 429 | no rules: allow all |
| 429, 5xx, timeout, dropped connection, TLS failure, too large | the host is **closed** |
| DNS failure, connection refused, blocked address | no server to protect: allow all |

A closed host gets no request for `robots_error_wait` seconds (default 600): its URLs wait in
the frontier (the crawl does not wait for them), and robots.txt is asked again after the wait.
When robots.txt cannot be reached at all (DNS, refused), each page is tried, and its failure
recorded, on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from protego import Protego

from linkscope.crawl.fetch import FetchResult

MAX_REDIRECTS = 5
MAX_ROBOTS_BYTES = 500 << 10  # RFC 9309 2.5: parse at least 500 KiB; the rest is not read
_OPEN_ERRORS = frozenset({"dns", "refused", "blocked", "bad-url"})


def robots_url(url: str) -> str:
    """The robots.txt URL of the origin (scheme, host and port) of an absolute URL."""
    scheme, _, rest = url.partition("://")
    authority = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{authority}/robots.txt"


def origin_of(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"


@dataclass
class HostRules:
    """What robots.txt says for one origin: a parser (None: allow all), or closed until."""

    parser: Protego | None = None
    closed_until: float = 0.0  # wall-clock time; while in the future, fetch nothing
    status: int | None = None
    error: str | None = None

    def closed(self, now: float | None = None) -> bool:
        return self.closed_until > (time.time() if now is None else now)

    def allows(self, url: str, user_agent: str) -> bool:
        return self.parser is None or bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str, cap: float) -> float:
        if self.parser is None:
            return 0.0
        delay: float | None = self.parser.crawl_delay(user_agent)
        return min(float(delay), cap) if delay else 0.0


def robots_text(result: FetchResult) -> str:
    """A robots.txt body as text: decoded, and cut at MAX_ROBOTS_BYTES whatever it inflates to."""
    return result.decoded(MAX_ROBOTS_BYTES).decode("utf-8", "replace")


def parse_rules(text: str) -> Protego:
    return Protego.parse(text)


def rules_from(result: FetchResult, wait: float, now: float | None = None) -> HostRules | None:
    """The rules a robots.txt answer gives; None for a redirect (the caller follows it)."""
    now = time.time() if now is None else now
    status = result.status
    if result.error is not None:
        if result.error in _OPEN_ERRORS:
            return HostRules(error=result.error)
        return HostRules(closed_until=now + wait, error=result.error)
    assert status is not None
    if 200 <= status < 300:
        return HostRules(parser=parse_rules(robots_text(result)), status=status)
    if 300 <= status < 400 and result.header("location"):
        return None
    if status == 429 or status >= 500:
        return HostRules(closed_until=now + wait, status=status)
    return HostRules(status=status)
