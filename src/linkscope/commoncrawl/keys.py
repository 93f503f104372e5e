"""URL keys as Common Crawl's index writes them, and host names as its host graph does.

Common Crawl sorts its index by SURT ("Sort-friendly URI Reordering Transform") keys, made by
the `surt` package (the Internet Archive's canonicalization, which Common Crawl's indexer
uses): the host with its labels reversed and comma-separated, a leading `www` (or `www2`...)
label dropped, a port kept when it is not the scheme's default, then `)` and the path and
query lower-cased, a trailing slash dropped, the query's parameters sorted, the scheme and
fragment dropped: `https://www.Example.com/A/b/?z=1&a=2#top` -> `com,example)/a/b?a=2&z=1`.
Its host graph names a host by its labels reversed and dot-separated, `www.` dropped too:
`com.example`.

So `www.example.com` and `example.com` share one key range and one graph vertex, and a
look-up of either finds the captures of both.
"""

from __future__ import annotations

import surt


def drop_www(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def surt_key(url: str) -> str:
    """The SURT key of an absolute URL, or of a `host/path` without a scheme."""
    return str(surt.surt(url.strip()))


def host_part(host: str, port: int | None = None) -> str:
    """The host part of a SURT key: `com,example` (`com,example:8080` on another port)."""
    where = host if port is None else f"{host}:{port}"
    return surt_key(f"http://{where}/").split(")", 1)[0]


def graph_host(host: str) -> str:
    """A host as a Common Crawl host graph names its vertex: `www.a.example.com` ->
    `com.example.a`."""
    return ".".join(reversed(drop_www(host).split(".")))


def host_of_vertex(name: str) -> str:
    """The host a vertex name stands for (without the `www.` the graph dropped)."""
    return ".".join(reversed(name.strip().split(".")))
