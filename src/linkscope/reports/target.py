"""What a report is about: a target in one of four modes, a history scope, and the index's
reference date.

Modes (as Ahrefs names them): `exact` (one URL), `prefix` (URLs starting with it), `domain`
(the registrable domain and all its hosts), `subdomains` (a host and the hosts under it).
Scopes: `live` (links not lost), `recent` (live, plus lost in the 90 days before the reference
date), `all`. The reference date is the latest date the index has seen (the last fetch of any
page), not the clock, so that a report on an index gives the same answer whenever it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from linkscope.errors import UsageError
from linkscope.queries.model import MODES, SCOPES
from linkscope.store.catalog import IndexReader
from linkscope.store.summaries import has_summary
from linkscope.urls import normalize, registrable_domain, split_host

Mode = Literal["exact", "prefix", "domain", "subdomains"]
Scope = Literal["live", "recent", "all"]
RECENT_DAYS = 90


@dataclass(frozen=True)
class Target:
    """A parsed target: `value` normalized for its mode, `domain` for pruning by sort order."""

    raw: str
    mode: str
    value: str
    domain: str | None

    def predicate(self, prefix: str = "target", columns: tuple[str, str, str] | None = None
                  ) -> tuple[str, list[Any]]:
        """SQL over the URL, host and domain columns (`{prefix}`, `{prefix}_host`,
        `{prefix}_domain`, or `columns`), and its parameters."""
        col, host, dom = columns or (prefix, f"{prefix}_host", f"{prefix}_domain")
        # `=` on the domain lets DuckDB skip row groups by their min/max (links are sorted by
        # target domain); hosts without a registrable domain (IP addresses) use IS NULL.
        on_domain = f"{dom} = ?" if self.domain is not None else f"{dom} IS NULL"
        first: list[Any] = [self.domain] if self.domain is not None else []
        if self.mode == "exact":
            return f"{on_domain} AND {col} = ?", first + [self.value]
        if self.mode == "prefix":
            return f"{on_domain} AND starts_with({col}, ?)", first + [self.value]
        if self.mode == "domain":
            return f"{dom} = ?", [self.value]
        return (f"{on_domain} AND ({host} = ? OR ends_with({host}, ?))",
                first + [self.value, "." + self.value])


def parse_target(raw: str, mode: str | None = None, where: str = "target") -> Target:
    """Parse a target; without a mode, a URL means `exact` and a bare name means `domain`.
    Its errors name `where`, the parameter the target came in (target, competitors, not)."""
    text = (raw or "").strip()
    if not text:
        raise UsageError("empty target", where=where)
    looks_like_url = "://" in text
    if mode is None:
        mode = "exact" if looks_like_url else "domain"
    if mode not in MODES:
        raise UsageError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}", where="mode")
    if mode in ("exact", "prefix"):
        url = normalize(text if looks_like_url else f"http://{text}")
        if url is None:
            raise UsageError(f"not an http(s) URL: {raw!r}", where=where)
        return Target(raw, mode, url, registrable_domain(split_host(url)))
    host = split_host(text if looks_like_url else f"http://{text}")
    if not host:
        raise UsageError(f"not a domain or host: {raw!r}", where=where)
    if mode == "domain":
        domain = registrable_domain(host)
        if domain is None:
            raise UsageError(f"{host} is a public suffix, not a domain", where=where)
        return Target(raw, mode, domain, domain)
    return Target(raw, mode, host, registrable_domain(host))


def check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}",
                         where="scope")
    return scope


def known_target(reader: IndexReader, raw: str, mode: str | None = None,
                 where: str = "target") -> Target:
    """Parse a target and check that the index knows its domain (as a page or a link target);
    errors name `where`."""
    target = parse_target(raw, mode, where)
    # The small tables first: pages, then the targets of external links that `linkscope rank`
    # summarized, and only then the links (whose footer lists two hundred row groups at 20M).
    checks = ["SELECT EXISTS (SELECT 1 FROM pages WHERE domain = ?)",
              "SELECT EXISTS (SELECT 1 FROM links WHERE target_domain = ?)"]
    if has_summary(reader.manifest, "target_summary"):
        checks.insert(1, "SELECT EXISTS (SELECT 1 FROM target_summary WHERE target_domain = ?)")
    seen = target.domain is None or any(
        reader.con.execute(check, [target.domain]).fetchall()[0][0] for check in checks)
    if not seen:
        raise UsageError(f"{target.domain or target.value} is not in the index", where=where,
                         hint="check the spelling, or crawl or ingest it first")
    return target


def reference_date(reader: IndexReader) -> datetime:
    """The latest date the index has seen, read once per opened generation (`reader.memo`)."""
    found: datetime | None = reader.memo.get("reference_date")
    if found is None:
        value = reader.con.execute("SELECT max(fetch_time) FROM fetches").fetchall()[0][0]
        found = reader.memo["reference_date"] = (value if value is not None
                                                 else datetime(1970, 1, 1))
    return found


def scope_predicate(reader: IndexReader, scope: str, alias: str = "") -> tuple[str, list[object]]:
    """SQL that keeps the links of a history scope."""
    check_scope(scope)
    p = f"{alias}." if alias else ""
    if scope == "live":
        return f"{p}lost_date IS NULL", []
    if scope == "recent":
        since = reference_date(reader) - timedelta(days=RECENT_DAYS)
        return f"({p}lost_date IS NULL OR {p}lost_date >= ?)", [since]
    return "TRUE", []
