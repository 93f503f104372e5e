"""What a crawl is asked to do: seeds, scope, limits, politeness, safety. Checked once, up front.

A `CrawlConfig` is plain data: it is stored as JSON in the crawl's state database, so that
`--resume` goes on with exactly the settings the crawl started with.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from linkscope.errors import UsageError
from linkscope.records import LinkKind
from linkscope.settings import MAX_DECODED_BODY
from linkscope.urls import normalize, registrable_domain, split_host

# Link kinds the crawler follows; forms are submitted, not followed, and alternates are
# usually feeds or other languages of the same page.
FOLLOWED_KINDS = frozenset({LinkKind.TEXT, LinkKind.IMAGE, LinkKind.REDIRECT,
                            LinkKind.CANONICAL, LinkKind.FRAME})
DEFAULT_USER_AGENT = "linkscope/0.1 (+https://linkscope.test/bot)"


@dataclass(frozen=True)
class CrawlConfig:
    """Every knob of one crawl; the defaults are those of `linkscope crawl` (docs/crawl.md)."""

    seeds: tuple[str, ...]
    scope: str = "site"  # site | domain | links:N
    max_pages: int | None = None
    max_depth: int | None = None
    per_host_delay: float = 1.0  # seconds between two requests to one host
    per_host_concurrency: int = 1
    concurrency: int = 16  # requests in flight over all hosts
    hosts_file: str | None = None
    allow_private: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 30.0  # seconds for one request, connection to last body byte
    connect_timeout: float = 10.0
    retries: int = 2  # extra attempts after a timeout, a dropped connection, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_body: int = 10 << 20  # bytes on the wire; a larger body is recorded as `too-large`
    max_decoded_body: int = MAX_DECODED_BODY  # bytes a body decodes to; the rest is cut
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is honoured up to this
    robots_error_wait: float = 600.0  # seconds a host stays closed after robots.txt fails
    warc_max_bytes: int = 1 << 30
    kind: str = "crawl"  # crawl | recrawl
    follow: frozenset[str] = field(default=FOLLOWED_KINDS)

    def __post_init__(self) -> None:
        check_scope(self.scope)
        for name in ("max_pages", "max_depth"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise UsageError(f"must be 0 or more, got {value}", where="--" + _dash(name))
        if self.concurrency < 1 or self.per_host_concurrency < 1:
            raise UsageError("must be at least 1", where="--concurrency")
        if self.per_host_delay < 0:
            raise UsageError("must be 0 or more", where="--per-host-delay")
        if self.timeout <= 0:
            raise UsageError("must be more than 0", where="--timeout")

    def to_json(self) -> str:
        data = asdict(self)
        data["seeds"] = list(self.seeds)
        data["follow"] = sorted(self.follow)
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CrawlConfig:
        data: dict[str, Any] = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["seeds"] = tuple(data["seeds"])
        data["follow"] = frozenset(data.get("follow", FOLLOWED_KINDS))
        return cls(**data)


def _dash(name: str) -> str:
    return name.replace("_", "-")


def check_scope(scope: str) -> tuple[str, int]:
    """('site', 0), ('domain', 0) or ('links', N) for a --scope value; UsageError otherwise."""
    if scope in ("site", "domain"):
        return scope, 0
    mode, _, hops = scope.partition(":")
    if mode == "links" and hops.isdigit():
        return "links", int(hops)
    raise UsageError(f"expected site, domain or links:N, got {scope!r}", where="--scope")


def check_seeds(seeds: list[str]) -> tuple[str, ...]:
    """The seeds normalized, each once, in order; a seed that is no http(s) URL is an error."""
    out: dict[str, None] = {}
    for seed in seeds:
        url = normalize(seed.strip()) if "://" in seed else None
        if url is None:
            raise UsageError(f"not an http(s) URL: {seed!r}", where="SEED",
                             hint="give absolute URLs such as https://example.com/")
        out[url] = None
    return tuple(out)


def check_hosts_file(path: str | Path | None) -> str | None:
    if path is None:
        return None
    if not Path(path).is_file():
        raise UsageError(f"no such file: {path}", where="--hosts",
                         hint="an /etc/hosts-style file: address, then host names")
    return str(Path(path).resolve())


class Scope:
    """Which URLs a crawl may fetch, and how far outside its seeds' sites a URL is.

    site: the seeds' hosts; domain: their registrable domains (every host under them);
    links:N: the seeds' domains, plus pages up to N links away from a page on them.
    """

    def __init__(self, scope: str, seeds: tuple[str, ...]) -> None:
        self.mode, self.hops = check_scope(scope)
        self.hosts = frozenset(h for h in (split_host(s) for s in seeds) if h)
        self.domains = frozenset(registrable_domain(h) or h for h in self.hosts)

    def outside(self, host: str, parent_outside: int) -> int | None:
        """Hops outside the seeds' sites for a URL on `host` linked from a page that was
        `parent_outside` hops out; None when the URL is out of scope."""
        if self.mode == "site":
            return 0 if host in self.hosts else None
        inside = (registrable_domain(host) or host) in self.domains
        if inside:
            return 0
        if self.mode == "links" and parent_outside + 1 <= self.hops:
            return parent_outside + 1
        return None
