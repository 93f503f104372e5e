"""Referring IPs and /24 subnets, checked against a grouping of the links done in Python."""

from __future__ import annotations

from collections import defaultdict

import pytest

from linkscope.errors import UsageError
from linkscope.reports import refdomains, refips
from linkscope.store import IndexReader
from tests.reports.test_links import ALL, busiest


def subnet(ip: str) -> str:
    parts = ip.split(".")
    return ".".join(parts[:3]) + ".0/24" if len(parts) == 4 else ip


@pytest.mark.parametrize("group", ["ip", "subnet"])
def test_refips_group_the_live_external_links(reader: IndexReader, live_truth: list,
                                              group: str) -> None:
    domain = busiest(live_truth)
    links = reader.con.execute(
        "SELECT source_domain, source_ip, follow FROM links WHERE target_domain = ? AND "
        "source_domain IS DISTINCT FROM target_domain AND lost_date IS NULL AND "
        "source_ip IS NOT NULL", [domain]).fetchall()
    assert links, "the sample web records every page's IP"
    expected: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for source_domain, ip, follow in links:
        expected[ip if group == "ip" else subnet(ip)].append((source_domain, follow))
    result = refips(reader, domain, group=group, limit=ALL)
    assert result.total == len(expected)
    for row in result.rows:
        domains = {d for d, _ in expected[row.ip]}
        assert row.ref_domains == len(domains)
        assert row.links == len(expected[row.ip])
        assert row.followed_links == sum(1 for _, f in expected[row.ip] if f)
        assert row.domains == sorted(domains)[:10]
        assert row.subnet == subnet(row.ip.removesuffix(".0/24") + ".1"
                                    if row.ip.endswith("/24") else row.ip)
    counts = [r.ref_domains for r in result.rows]
    assert counts == sorted(counts, reverse=True)
    # every referring domain (with a known IP) shows up among the addresses
    named = {d for r in refips(reader, domain, group=group, limit=ALL).rows for d in r.domains}
    if all(len(r.domains) < 10 for r in result.rows):
        assert named == {r.domain for r in refdomains(reader, domain, limit=ALL).rows}


def test_refips_bad_input(reader: IndexReader, live_truth: list) -> None:
    with pytest.raises(UsageError) as problem:
        refips(reader, busiest(live_truth), group="country")
    assert problem.value.where == "group"
