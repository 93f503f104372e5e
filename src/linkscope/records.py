"""The shared records of linkscope: one vocabulary for code, tables, JSON and the UI.

A stage takes records and yields records (see docs/architecture.md):

    FetchedPage  what acquisition (the crawler or a WARC file) hands to extraction
    Page         what extraction makes of one fetched page
    Link         one link of a page, with what makes it valuable
    Fetch        one attempt to fetch a URL, successful or not

Records are frozen and slotted: cheap to create by the million, safe to share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Placement(StrEnum):
    """Where on its page a link sits; the reasonable-surfer weight of UR rests on it."""

    CONTENT = "content"
    HEADER = "header"
    NAV = "nav"
    SIDEBAR = "sidebar"
    FOOTER = "footer"
    COMMENT = "comment"
    UNKNOWN = "unknown"  # read from a source that does not say where (a WAT file)


class LinkKind(StrEnum):
    """What kind of element a link comes from."""

    TEXT = "text"  # <a href> or <area href> with text
    IMAGE = "image"  # <a href> around an <img>; the anchor is the image's alt text
    REDIRECT = "redirect"  # HTTP 3xx Location or <meta http-equiv=refresh>
    CANONICAL = "canonical"  # <link rel=canonical>
    ALTERNATE = "alternate"  # <link rel=alternate>
    FRAME = "frame"  # <iframe src>
    FORM = "form"  # <form action>


class LostReason(StrEnum):
    """Why a link seen in an earlier snapshot is absent from a later one."""

    REMOVED = "removed"  # the page was fetched again and the link is gone from it
    PAGE_GONE = "page_gone"  # the page now answers 4xx, 5xx or fails (DNS, refused, timeout)
    PAGE_REDIRECTED = "page_redirected"  # the page now redirects elsewhere
    NOFOLLOW = "nofollow"  # the link is still there but no longer followed
    NOINDEX = "noindex"  # the page is now noindex, or no longer its own canonical


# rel tokens that make a link pass no authority
UNFOLLOWED_REL = frozenset({"nofollow", "ugc", "sponsored"})


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One fetched resource as acquisition hands it over: the input of extraction."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    ip: str | None = None
    fetch_time: str | None = None  # ISO 8601, UTC
    crawl_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None

    def header(self, name: str) -> str | None:
        """The first value of a header, matched case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Page:
    """What extraction makes of one fetched page."""

    url: str  # normalized
    host: str
    domain: str | None  # registrable domain (Public Suffix List, private suffixes included)
    status: int
    ip: str | None = None
    redirect_to: str | None = None
    canonical: str | None = None
    noindex: bool = False
    nofollow: bool = False
    language: str | None = None
    title: str | None = None
    word_count: int = 0
    outlinks: int = 0  # number of outgoing links of kind text or image
    content_type: str | None = None
    charset: str | None = None
    fetch_time: str | None = None
    crawl_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    # why extraction stopped short on this page ("attributes", "depth", "elements", "time":
    # docs/extraction.md, "Limits"); empty for a page read whole. Not a column of the index.
    truncated: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """One link of a page, with what makes it valuable."""

    source: str  # normalized URL of the page the link is on
    target: str  # normalized, resolved as a browser resolves it
    anchor: str = ""  # whitespace-collapsed text, or the image's alt text
    context: str = ""  # text around the link
    rel: frozenset[str] = field(default_factory=frozenset)  # lower-case tokens
    follow: bool = True
    placement: Placement = Placement.CONTENT
    kind: LinkKind = LinkKind.TEXT
    position: int = 0  # order of the link on its page, from 0

    @property
    def nofollow(self) -> bool:
        return "nofollow" in self.rel

    @property
    def ugc(self) -> bool:
        return "ugc" in self.rel

    @property
    def sponsored(self) -> bool:
        return "sponsored" in self.rel


@dataclass(frozen=True, slots=True)
class Fetch:
    """One attempt to fetch a URL, successful or not: broken and lost links are read from these."""

    url: str
    fetch_time: str
    status: int | None = None  # None when no HTTP answer came (DNS, refused, timeout)
    ip: str | None = None
    error: str | None = None  # e.g. "timeout", "dns", "refused"
    content_type: str | None = None
    redirect_to: str | None = None
    size: int = 0
    crawl_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None


def is_followed(rel: frozenset[str], page_nofollow: bool = False) -> bool:
    """A link is followed when neither it nor its page says nofollow, ugc or sponsored."""
    return not page_nofollow and not (rel & UNFOLLOWED_REL)
