"""Referring IPs: the addresses (or /24 subnets) that a target's links come from.

Many referring domains on one address or one /24 is the first thing to check of a link
network (domains hosted together often have one owner); the IP is the referring page's, as its
fetch recorded it (WARC-IP-Address), so links whose page has no recorded address are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from linkscope.queries.reports import RefipsQuery
from linkscope.reports.links import SCOPE_WORDS, base_where
from linkscope.reports.plan import page_of
from linkscope.reports.result import ReportResult, as_query, order_by
from linkscope.reports.target import known_target
from linkscope.store.catalog import IndexReader

# An IPv4 address's /24, written as a network; IPv6 addresses stand alone.
SUBNET_24 = ("CASE WHEN l.source_ip LIKE '%.%.%.%' "
             "THEN regexp_replace(l.source_ip, '\\.[0-9]+$', '') || '.0/24' "
             "ELSE l.source_ip END")


@dataclass
class RefIp:
    ip: str  # an address, or (grouped by subnet) a network such as 192.0.2.0/24
    subnet: str  # the address's /24 (itself, for a subnet row or an IPv6 address)
    ref_domains: int
    domains: list[str]  # the referring domains on it, the first ten by name
    links: int
    followed_links: int
    first_seen: datetime | None


def refips(reader: IndexReader, query: RefipsQuery | str, **changes: Any) -> ReportResult:
    """The referring IPs (or subnets) of a target, with their domains and links."""
    q = as_query(RefipsQuery, query, changes)
    parsed = known_target(reader, q.target, q.mode)
    where, params = base_where(reader, parsed, q.scope, q)
    key = "l.source_ip" if q.group == "ip" else SUBNET_24
    grouped = f"""
        SELECT {key} AS ip, any_value({SUBNET_24}) AS subnet,
               count(DISTINCT l.source_domain) AS ref_domains,
               list(DISTINCT l.source_domain ORDER BY l.source_domain)[1:10] AS domains,
               count(*) AS links, count(*) FILTER (WHERE l.follow) AS followed_links,
               min(l.first_seen) AS first_seen
        FROM links l WHERE {where} AND l.source_ip IS NOT NULL
        GROUP BY 1"""
    ordering = order_by(q.sort, q.order, "ref_domains")
    rows, total = page_of(reader, grouped, params, f"{ordering}, links DESC, ip", q.limit,
                          q.offset)
    items = [RefIp(r[0], r[1], r[2], [d for d in r[3] if d is not None], r[4], r[5], r[6])
             for r in rows]
    unit = "IP addresses" if q.group == "ip" else "/24 subnets (IPv6 addresses alone)"
    counting = (f"{unit} of the referring pages of {SCOPE_WORDS[q.scope]} from other domains "
                f"to {parsed.value} ({parsed.mode}), as their fetch recorded them; links from "
                f"pages without a recorded address are left out")
    return ReportResult("refips", parsed.value, parsed.mode, q.scope, items, total, q.limit,
                        q.offset, counting, {"group": q.group}, row_type=RefIp)
