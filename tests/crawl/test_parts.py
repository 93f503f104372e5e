"""The crawler's parts on their own: address guard, hosts resolver, scope, robots rules,
politeness order, and recovery of a WARC file left open by a kill."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from linkscope.crawl.config import Scope, check_scope
from linkscope.crawl.fetch import FetchResult
from linkscope.crawl.frontier import Entry
from linkscope.crawl.politeness import Politeness
from linkscope.crawl.recovery import recover_file
from linkscope.crawl.robots import robots_url, rules_from
from linkscope.crawl.safety import AddressBlocked, GuardedResolver, HostsResolver, is_public
from linkscope.errors import UsageError
from linkscope.warc import iter_fetched_pages
from linkscope.warc.write import WarcWriter


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("127.0.0.1", False),
    ("127.1.2.3", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
    ("not an address", False),
])
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize(("address", "public"), [
    # NAT64 (64:ff9b::/96): the last 32 bits are the IPv4 address the gateway connects to
    ("64:ff9b::7f00:1", False), ("64:ff9b::a00:1", False), ("64:ff9b::a9fe:a9fe", False),
    ("64:ff9b::808:808", True),
    ("64:ff9b:1::a00:1", False),  # local-use NAT64 (RFC 8215): never public
    # 6to4 (2002::/16): bits 16-48
    ("2002:7f00:1::1", False), ("2002:c0a8:101::", False), ("2002:808:808::1", True),
    # Teredo (2001::/32): server in bits 32-64, client obfuscated in the last 32
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # client 127.0.0.1
    ("2001:0:7f00:1:8000:63bf:f7f7:f7f7", False),  # server 127.0.0.1
    # IPv4-mapped, IPv4-compatible (::/96, deprecated) and IPv4-translated (::ffff:0:0:0/96)
    ("::ffff:10.0.0.1", False), ("::ffff:8.8.8.8", True),
    ("::127.0.0.1", False), ("::10.0.0.1", False), ("::8.8.8.8", True),
    ("::ffff:0:7f00:1", False), ("::ffff:0:808:808", True),
    ("[64:ff9b::7f00:1]", False),  # as a URL writes it
])
def test_ipv4_inside_ipv6_is_judged_as_ipv4(address: str, public: bool) -> None:
    """ipaddress.is_global (Python 3.11) says True for NAT64, 6to4 and IPv4-compatible
    addresses whatever IPv4 address they carry: 64:ff9b::7f00:1 reaches 127.0.0.1."""
    assert is_public(address) is public


def test_a_seed_that_carries_a_private_ipv4_is_refused(tmp_path: Path) -> None:
    from linkscope.crawl.config import CrawlConfig
    from linkscope.crawl.jobs import check_seed_addresses
    from linkscope.errors import FetchError

    for seed in ("http://[64:ff9b::7f00:1]:8790/", "http://[2002:7f00:1::1]/",
                 "http://[::127.0.0.1]/"):
        with pytest.raises(FetchError, match="refused"):
            check_seed_addresses(CrawlConfig(seeds=(seed,)))


def test_a_name_with_any_private_address_is_refused() -> None:
    mapping = {"mixed.test": ["8.8.8.8", "10.0.0.1"], "public.test": ["8.8.4.4"]}
    guarded = GuardedResolver(HostsResolver(mapping))
    assert asyncio.run(guarded.resolve("public.test", 80))[0]["host"] == "8.8.4.4"
    with pytest.raises(AddressBlocked, match="10.0.0.1"):
        asyncio.run(guarded.resolve("mixed.test", 80))
    allowed = GuardedResolver(HostsResolver(mapping), allow_private=True)
    assert len(asyncio.run(allowed.resolve("mixed.test", 80))) == 2
    with pytest.raises(OSError, match="not in the hosts file"):
        asyncio.run(allowed.resolve("absent.test", 80))


def test_scopes() -> None:
    seeds = ("http://www.a.test/", "http://b.example:8080/x")
    site, domain, links = (Scope(s, seeds) for s in ("site", "domain", "links:1"))
    assert site.outside("www.a.test", 0) == 0 and site.outside("blog.a.test", 0) is None
    assert domain.outside("blog.a.test", 0) == 0 and domain.outside("c.test", 0) is None
    assert links.outside("c.test", 0) == 1 and links.outside("d.test", 1) is None
    assert links.outside("b.example", 1) == 0
    with pytest.raises(UsageError, match="--scope"):
        check_scope("links:")


def answer(status: int | None, body: bytes = b"", error: str | None = None) -> FetchResult:
    return FetchResult(url="http://a.test/robots.txt", time="2026-01-01T00:00:00Z",
                       status=status, body=body, error=error,
                       headers=[("Location", "/elsewhere")] if status == 301 else [])


def test_robots_rules() -> None:
    ua = "linkscope/0.1"
    text = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 90\n"
    rules = rules_from(answer(200, text), wait=600, now=0)
    assert rules is not None and not rules.allows("http://a.test/private/x", ua)
    assert rules.allows("http://a.test/public", ua) and rules.crawl_delay(ua, 30) == 30
    assert rules_from(answer(301), 600, 0) is None  # the caller follows it
    for status in (404, 403, 401):
        found = rules_from(answer(status), 600, 0)
        assert found is not None and found.allows("http://a.test/private/", ua)
        assert not found.closed(0)
    for status, error in ((500, None), (503, None), (429, None), (None, "timeout")):
        found = rules_from(answer(status, error=error), 600, 0)
        assert found is not None and found.closed(0) and not found.closed(601)
    found = rules_from(answer(None, error="dns"), 600, 0)
    assert found is not None and not found.closed(0)
    assert robots_url("http://a.test:81/x/y?z") == "http://a.test:81/robots.txt"


def test_one_request_at_a_time_per_host() -> None:
    async def scenario() -> list[str]:
        polite = Politeness(per_host=1)
        for url in ("http://a.test/1", "http://a.test/2", "http://b.test/1"):
            polite.push(Entry(url, url.split("/")[2]))
        first = await polite.get()
        second = await polite.get()
        assert first is not None and second is not None
        third = asyncio.create_task(polite.get())
        for _ in range(5):
            await asyncio.sleep(0)
        assert not third.done()  # a.test is busy, b.test is busy: nothing is ready
        polite.release(first.host, 0.0)
        entry = await third
        assert entry is not None
        polite.release(second.host, 0.0)
        polite.release(entry.host, 0.0)
        assert await polite.get() is None  # nothing queued, nothing in flight
        return [first.url, second.url, entry.url]

    assert asyncio.run(scenario()) == ["http://a.test/1", "http://b.test/1", "http://a.test/2"]


def test_recovery_keeps_the_finished_prefix(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, prefix="t")
    for n in range(3):
        url = f"http://a.test/{n}"
        request = writer.write_request(url, b"GET / HTTP/1.1\r\n\r\n")
        writer.write_response(url, "HTTP/1.1 200 OK", [("Content-Type", "text/html")],
                              b"<p>hi</p>", concurrent_to=request)
    writer.write_failure("http://a.test/3", "2026-01-01T00:00:00Z", "timeout")
    writer.flush()
    assert writer._handle is not None
    writer._handle.write(b"\x1f\x8b\x08\x00garbage cut short")  # a member cut by the kill
    writer._handle.flush()
    path = next(tmp_path.glob("*.open"))
    finished = {"http://a.test/0", "http://a.test/1"}
    kept = recover_file(path, finished.__contains__)
    assert kept is not None and not kept.name.endswith(".open")
    assert [p.url for p in iter_fetched_pages(str(kept))] == sorted(finished)
    other = tmp_path / "empty"
    with WarcWriter(other, prefix="e") as lone:
        lone.write_failure("http://a.test/9", "2026-01-01T00:00:00Z", "dns")
    opened = next(other.glob("*.warc.gz"))
    opened.rename(opened.with_name(opened.name + ".open"))
    assert recover_file(next(other.glob("*.open")), lambda url: False) is None
    assert not list(other.iterdir())
