"""A Twisted name resolver for Scrapy that answers from an /etc/hosts-style file (no DNS), so
that Scrapy reaches the sample web as linkscope's `--hosts` does (benchmarks/crawl.py)."""

from __future__ import annotations

from typing import Any

from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer


@implementer(IResolverSimple)
class HostsFileResolver:
    def __init__(self, reactor: Any, mapping: dict[str, str]) -> None:
        self.reactor = reactor
        self.mapping = mapping

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> HostsFileResolver:
        mapping: dict[str, str] = {}
        with open(crawler.settings["HOSTS_FILE"], encoding="utf-8") as hosts:
            for line in hosts:
                fields = line.split("#", 1)[0].split()
                for name in fields[1:]:
                    mapping.setdefault(name.lower(), fields[0])
        return cls(reactor, mapping)

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:  # noqa: N802
        address = self.mapping.get(name.lower())
        if address is None:
            return defer.fail(DNSLookupError(f"{name} is not in the hosts file"))
        return defer.succeed(address)
