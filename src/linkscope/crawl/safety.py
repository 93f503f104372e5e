"""Name resolution for the crawler, and the guard against server-side request forgery.

A crawler fetches URLs that strangers wrote; without a guard, a link to `http://127.0.0.1:2375/`
or to a name that resolves to `10.0.0.1` would make it talk to the machine it runs on or its
network. So every address a name resolves to is checked before any connection is made, and a
name is refused when any one of them is not a public address (private, loopback, link-local,
shared, multicast, reserved or unspecified; an IPv6 address that carries an IPv4 address, by
NAT64, 6to4, Teredo, IPv4-mapped, -compatible or -translated form, is judged by it too).
Redirects are not followed by the HTTP client, so each hop is a new fetch that goes through the
same check. URLs whose host is an IP literal never reach a resolver; `check_literal` covers them.

`HostsResolver` answers from an /etc/hosts-style file and never asks DNS: a name missing from
the file fails as a DNS failure would.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver


class AddressBlocked(OSError):
    """A host resolves to an address the crawler may not contact."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to non-public address {address}")
        self.host = host
        self.address = address


class NotInHostsFile(OSError):
    def __init__(self, host: str) -> None:
        super().__init__(socket.EAI_NONAME, f"{host} is not in the hosts file")


# IPv6 prefixes whose last 32 bits are an IPv4 address that a packet ends up reaching: NAT64's
# well-known prefix (RFC 6052), IPv4-compatible (deprecated, RFC 4291) and IPv4-translated
# (SIIT, RFC 2765) addresses. `ipaddress` knows 6to4, Teredo and IPv4-mapped itself.
_LAST_32_BITS_IPV4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"),
                      ipaddress.IPv6Network("::ffff:0:0:0/96"))
# NAT64 for local use (RFC 8215): where it leads is the operator's business, never public
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries by a transition scheme (NAT64, 6to4, Teredo
    server and client, IPv4-compatible, IPv4-translated): the hosts it would really reach."""
    found: list[ipaddress.IPv4Address] = []
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in network for network in _LAST_32_BITS_IPV4):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public(address: str) -> bool:
    """Whether an IP address is a public (globally routable unicast) address.

    `is_global` alone is not enough: on Python 3.11 it calls NAT64 (64:ff9b::7f00:1), 6to4
    (2002:7f00:1::1) and IPv4-compatible (::127.0.0.1) addresses global whatever IPv4 address
    they carry. An IPv4-mapped address is the IPv4 address itself; any other address that
    carries IPv4 addresses must be global and so must every one of them.
    """
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _LOCAL_NAT64 or not all(map(_is_public_ip, embedded_ipv4(ip))):
            return False
    return _is_public_ip(ip)


def _is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_literal(host: str, allow_private: bool) -> None:
    """Raise AddressBlocked for an IP-literal host that is not public (unless allowed)."""
    if not allow_private and is_ip_literal(host) and not is_public(host):
        raise AddressBlocked(host, host.strip("[]"))


def read_hosts_file(path: str | Path) -> dict[str, list[str]]:
    """An /etc/hosts-style file as {name: [addresses]}, names lower-cased, in file order."""
    mapping: dict[str, list[str]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2:
            continue
        for name in fields[1:]:
            addresses = mapping.setdefault(name.lower().rstrip("."), [])
            if fields[0] not in addresses:
                addresses.append(fields[0])
    return mapping


class HostsResolver(AbstractResolver):
    """Resolves names from a hosts mapping only; no DNS is ever asked."""

    def __init__(self, mapping: dict[str, list[str]]) -> None:
        self.mapping = mapping

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        addresses = self.mapping.get(host.lower().rstrip("."))
        if not addresses:
            raise NotInHostsFile(host)
        results: list[ResolveResult] = []
        for address in addresses:
            ip = ipaddress.ip_address(address)
            kind = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            results.append({"hostname": host, "host": address, "port": port, "family": kind,
                            "proto": 0, "flags": socket.AI_NUMERICHOST})
        return results

    async def close(self) -> None:
        return None


class GuardedResolver(AbstractResolver):
    """Wraps a resolver: refuses names with any non-public address, remembers what it saw."""

    def __init__(self, inner: AbstractResolver | None = None, allow_private: bool = False) -> None:
        self.inner = inner if inner is not None else ThreadedResolver()
        self.allow_private = allow_private
        self.seen: dict[str, str] = {}  # host -> first address it resolved to

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        if results:
            self.seen[host.lower()] = results[0]["host"]
        if not self.allow_private:
            for result in results:
                if not is_public(result["host"]):
                    raise AddressBlocked(host, result["host"])
        return results

    async def close(self) -> None:
        await self.inner.close()


def make_resolver(hosts_file: str | None, allow_private: bool) -> GuardedResolver:
    inner = HostsResolver(read_hosts_file(hosts_file)) if hosts_file else None
    return GuardedResolver(inner, allow_private)
