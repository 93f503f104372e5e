"""URLs as a browser sees them: resolution, normalization, registrable domain, reversed host.

Resolution follows the WHATWG URL standard through ada-url, the parser that browsers' rules are
tested against; `urllib.parse.urljoin` gets about half of the standard's test cases wrong.
Normalization is a small, documented set of rules on top of the standard's serialization (see
docs/urls.md). The registrable domain comes from the Public Suffix List snapshot that the
`publicsuffixlist` package ships, private suffixes included, so nothing is downloaded at run time.

Every function here is pure and returns None rather than raising on input it cannot use: a bad
href is a bad record, to be skipped and counted by the caller.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import Any

from ada_url import URL, join_url

try:  # ada's C API, through the binding's private module: faster, and optional
    from ada_url._ada_wrapper import ffi as _ada_ffi
    from ada_url._ada_wrapper import lib as _ada
except ImportError:  # a release that moved it: the public join_url gives the same answers
    _ada = None

__all__ = [
    "WEB_SCHEMES",
    "clean_href",
    "href_scheme",
    "normalize",
    "registrable_domain",
    "resolve",
    "resolve_web",
    "reversed_host",
    "split_host",
]

WEB_SCHEMES = frozenset({"http", "https"})

# What the URL parser strips before it starts (leading and trailing C0 controls and space) and
# what it removes anywhere (ASCII tab and newline). Done here too, so that the scheme test of
# `href_scheme` sees what the parser will see.
_STRIP = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")



@lru_cache(maxsize=1)
def _suffix_list() -> Any:
    """The Public Suffix List that publicsuffixlist ships, read on first use, since a command
    that never asks for a registrable domain should not pay for it at start-up.

    The package's own reader runs every one of its 10,000 rules through Python's IDNA codec
    to add their punycode spellings, which is most of its cost; only the 459 rules that are
    not ASCII have a different spelling, so this adds those before handing the rules over
    (the rule set is the same, tested).
    """
    from publicsuffixlist import PSLFILE, PublicSuffixList

    with open(PSLFILE, "rb") as source:
        lines = source.read().decode("utf-8").splitlines()
    spelled = []
    for line in lines:
        rule = line.lower().split(" ", 1)[0].rstrip()
        if rule and not rule.isascii() and not rule.startswith("//"):
            bang = "!" if rule.startswith("!") else ""
            spelled.append(bang + rule.lstrip("!").encode("idna").decode("ascii"))
    return PublicSuffixList(lines + spelled, accept_encoded_idn=False)


def clean_href(href: str) -> str:
    """Strip an href as a browser does: outer whitespace and C0 controls, inner tab and newline."""
    href = href.strip(_STRIP)
    if "\t" in href or "\n" in href or "\r" in href:
        href = _TAB_NEWLINE.sub("", href)
    return href


def href_scheme(href: str) -> str | None:
    """The lower-case scheme a cleaned href names, or None when it is relative."""
    match = _SCHEME.match(href)
    return match.group(1).lower() if match else None


def resolve(href: str, base: str | None = None) -> str | None:
    """Resolve `href` against `base` as a browser does; None when no URL results.

    The result is the WHATWG serialization (fragment kept); any scheme is accepted, so callers
    that want web links check the scheme themselves (see `href_scheme`).
    """
    href = href.strip(_STRIP)  # as the parser does first: before a NUL is rewritten below
    if "\x00" in href:
        # ada's Python binding cannot take NUL. The standard rejects it in a host (special or
        # opaque) and percent-encodes it everywhere else, exactly as it treats a space, except
        # that it writes %00: so a space stands in for it to decide whether the URL is valid,
        # and %00 (which only a special host decodes, and rejects) gives the serialization.
        if _parse(href.replace("\x00", " "), base) is None:
            return None
        href = href.replace("\x00", "%00")
    return _parse(href, base)


def _parse(href: str, base: str | None) -> str | None:
    try:
        return URL(href, base).href if base else URL(href).href
    except (ValueError, TypeError):
        return None


def normalize(url: str) -> str | None:
    """Normalize an absolute http(s) URL by the rules of docs/urls.md; None when not one.

    The WHATWG serialization already lowercases scheme and host, drops the default port,
    percent-encodes what must be encoded and turns an empty path into "/". On top of it the
    fragment and any user name and password are dropped; path and query are kept as they are.
    """
    try:
        parsed = URL(url.strip(_STRIP).replace("\x00", "%00"))
    except (ValueError, TypeError):
        return None
    if parsed.protocol not in ("http:", "https:") or not parsed.hostname:
        return None
    if parsed.username or parsed.password:
        parsed.username = ""
        parsed.password = ""
    href: str = parsed.href
    cut = href.find("#")
    return href if cut < 0 else href[:cut]


def resolve_web(href: str, base: str) -> str | None:
    """Resolve a cleaned href against an http(s) base and normalize it in one parse: the hot
    path of extraction. Same result as normalize(resolve(href, base))."""
    if "\x00" in href:
        href = href.replace("\x00", "%00")
    url = _join(base, href)
    if url is None:
        return None
    if url.startswith("http://"):
        start = 7
    elif url.startswith("https://"):
        start = 8
    else:
        return None
    cut = url.find("#")
    if cut >= 0:
        url = url[:cut]
    slash = url.find("/", start)
    if "@" in url[start:slash if slash >= 0 else len(url)]:
        return normalize(url)  # credentials to drop: rare, take the slow road
    if slash == start:  # no host
        return None
    return url


def _join(base: str, href: str) -> str | None:
    """ada's join_url, called through its C API directly (the same calls without the Python
    wrapper's per-call objects): the WHATWG serialization of href against base, or None."""
    if _ada is None:
        try:
            joined: str = join_url(base, href)
        except (ValueError, TypeError):
            return None
        return joined
    try:
        base_bytes = base.encode()
        href_bytes = href.encode()
    except UnicodeError:  # lone surrogates
        return None
    parsed = _ada.ada_parse_with_base(href_bytes, len(href_bytes), base_bytes, len(base_bytes))
    try:
        if not _ada.ada_is_valid(parsed):
            return None
        href_str = _ada.ada_get_href(parsed)
        url: str = _ada_ffi.buffer(href_str.data, href_str.length)[:].decode()
        return url
    finally:
        _ada.ada_free(parsed)


def split_host(url: str) -> str | None:
    """The host (no port) of an absolute URL, or None."""
    try:
        host: str = URL(url).hostname
    except (ValueError, TypeError):
        return None
    return host or None


def _is_ip(host: str) -> bool:
    if host.startswith("["):
        return True
    if not host[-1:].isdigit():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def registrable_domain(host: str | None) -> str | None:
    """The registrable domain of a host (PSL with private suffixes), or None when it has none.

    "www.example.co.uk" -> "example.co.uk"; "name.blogspot.com" -> itself; a TLD alone, a public
    suffix alone or a host with a leading dot -> None. Unknown TLDs follow the PSL default rule
    "*", so "www.alpha.test" -> "alpha.test". An IP address is its own site and is returned as is.
    """
    if not host:
        return None
    host = host.lower()
    if _is_ip(host):
        return host
    if host.startswith(".") or ".." in host:
        return None
    domain: str | None = _suffix_list().privatesuffix(host)
    return domain


def reversed_host(host: str) -> str:
    """The host with its labels reversed, as web graphs sort it: "www.a.com" -> "com.a.www"."""
    return ".".join(reversed(host.split(".")))
