"""The sample web as a model: sites, pages and the links on them, before any HTML exists.

The generator builds this model, the epoch mutations change it, and the renderer turns it into
HTML while writing the ground truth from the very same objects, so that truth and HTML agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Roles a site plays in the link structures the quality features must find later.
ROLES = ("blog", "authority", "directory", "pbn", "money", "spammer", "seller", "shop")

# Page templates: how regions are marked up. "semantic" uses <header>/<nav>/<main>/<aside>/
# <footer>; "named" uses <div> with telling class names; "opaque" uses <div> with class names
# that say nothing (the hard case for placement); "portal" lays the page out in tables as sites
# of about 2005-2012 did (portal.py).
TEMPLATES = ("semantic", "named", "opaque", "portal")


@dataclass
class Site:
    index: int
    domain: str  # registrable domain, e.g. crumbkettle.test
    primary: str  # host of the home page: the domain or www.<domain>
    hosts: list[str]  # every host of the site, primary first
    ip: str
    topic: str
    role: str
    template: str
    brand: str
    keywords: tuple[str, ...]
    robots: str = "allow"  # allow | disallow-private | missing | error
    crawl_delay: float | None = None
    base_href: bool = False  # pages carry <base href> and write relative hrefs against it
    uses_comments: bool = True
    comment_rel: str = "nofollow ugc"  # rel on commenters' links; "" on old, unmoderated blogs
    nav: list[LinkSpec] = field(default_factory=list)
    sidebar: list[Widget] = field(default_factory=list)
    footer: list[LinkSpec] = field(default_factory=list)
    home: str = ""


@dataclass
class LinkSpec:
    """One link as the HTML writes it and as the ground truth states it."""

    target: str | None  # normalized absolute URL, None when the href is skipped
    anchor: str = ""
    rel: str = ""  # as written in HTML (case and spacing are part of the test)
    kind: str = "text"  # text | image | canonical | alternate | frame | form | redirect
    href: str | None = None  # as written; None: the renderer writes a form of `target`
    skip_reason: str | None = None  # javascript | mailto | tel | data
    note: str = ""  # which structure or behaviour the link belongs to (for tests and docs)

    def rel_tokens(self) -> list[str]:
        return sorted({token.lower() for token in self.rel.split()})


@dataclass
class Widget:
    title: str
    links: list[LinkSpec]


@dataclass
class Comment:
    author: str
    author_link: LinkSpec | None
    text: list[str | LinkSpec]


@dataclass
class PageSpec:
    url: str  # normalized absolute URL
    site: int
    kind: str  # home | article | category | about | contact | partners | directory | ...
    status: int = 200
    title: str = ""
    language: str = "en"
    redirect_to: str | None = None  # Location of a 3xx
    delay: float = 0.0  # seconds the server waits before answering (slow pages)
    content_type: str = "text/html; charset=utf-8"
    noindex: bool = False
    nofollow: bool = False  # meta robots nofollow: no link of the page is followed
    canonical: str | None = None
    robots_disallowed: bool = False
    paragraphs: list[list[str | LinkSpec]] = field(default_factory=list)
    extra_widgets: list[Widget] = field(default_factory=list)  # page-specific sidebar widgets
    comments: list[Comment] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # sites named in the text without a link
    body: bytes | None = None  # for non-HTML resources (robots.txt, files)

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html") and self.status == 200


def port_free(url: str) -> str:
    """A URL without its port: the random draws key on it, so the port never changes the web."""
    scheme, _, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    return f"{scheme}://{netloc.split(':')[0]}{slash}{path}"


@dataclass
class SampleWeb:
    seed: int
    epoch: int
    port: int
    sites: list[Site]
    pages: dict[str, PageSpec]  # by URL, in generation order
    structures: dict[str, object] = field(default_factory=dict)

    def site_of(self, page: PageSpec) -> Site:
        return self.sites[page.site]
