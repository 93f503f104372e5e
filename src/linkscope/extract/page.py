"""extract_page: one fetched page in, its page record and link records out. No I/O.

The steps: decode the body (charset.py), parse it with selectolax's lexbor, walk the tree once
(tree.py), place every element (placement.py), then resolve each href against the page's base
and turn it into a Link. Hrefs that give no web URL are skipped and counted under
`extract/skipped/<reason>`; nothing a page contains makes this raise.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from linkscope.extract import fastwalk
from linkscope.extract.charset import decode_body, utf8_body
from linkscope.extract.fastwalk import parse_tree
from linkscope.extract.limits import DEFAULT_LIMITS, ExtractLimits
from linkscope.extract.placement import compute_placement
from linkscope.extract.regions import CONTENT, FOOTER, HEADER, PLACEMENT_OF
from linkscope.extract.text import PageText, compute_page_text
from linkscope.extract.tree import Tree
from linkscope.records import FetchedPage, Link, LinkKind, Page, Placement, is_followed
from linkscope.urls import (
    clean_href,
    href_scheme,
    normalize,
    registrable_domain,
    resolve,
    resolve_web,
    split_host,
)

__all__ = ["Extraction", "extract_page", "ANCHOR_LIMIT", "CONTEXT_LIMIT"]

log = logging.getLogger(__name__)

ANCHOR_LIMIT = 300  # characters of anchor text kept
CONTEXT_LIMIT = 120  # characters of text kept on each side of the anchor in the context
_NAMED_SKIPS = frozenset({"javascript", "mailto", "tel", "data", "ftp", "file", "about"})
_HTML_TYPES = ("text/html", "application/xhtml")
_REPLACEMENT = "\ufffd".encode()  # what a NUL in the page text becomes


@dataclass(slots=True)
class Extraction:
    """What extraction makes of one fetched page."""

    page: Page
    links: list[Link] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    text: PageText | None = None  # main text and metadata; None when the page is not HTML


def _collapse(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def _robots(tree: Tree, header: str | None) -> tuple[bool, bool]:
    tokens: set[str] = set()
    for content in [*tree.robots, header or ""]:
        for token in re.split(r"[\s,]+", content.lower()):
            # X-Robots-Tag may name a user agent first ("googlebot: noindex")
            tokens.add(token.rpartition(":")[2])
    noindex = "noindex" in tokens or "none" in tokens
    nofollow = "nofollow" in tokens or "none" in tokens
    return noindex, nofollow


class _Resolver:
    """Resolves hrefs against one base and counts what it has to skip."""

    def __init__(self, base: str, skipped: Counter[str]) -> None:
        self.base = base
        self.skipped = skipped
        # a page known only by its file:// path: its relative hrefs name no web URL
        self.web_base = base.startswith(("http://", "https://"))
        self.cache: dict[str, str | None] = {}

    def target(self, href: str) -> str | None:
        href = clean_href(href)
        if not href:
            self.skipped["extract/skipped/empty"] += 1
            return None
        if href[0] == "#":
            self.skipped["extract/skipped/fragment"] += 1
            return None
        scheme = href_scheme(href)
        if scheme is not None and scheme not in ("http", "https"):
            reason = scheme if scheme in _NAMED_SKIPS else "scheme"
            self.skipped[f"extract/skipped/{reason}"] += 1
            return None
        target = self.cache.get(href, "")
        if target == "":
            target = self.cache[href] = resolve_web(href, self.base)
        if target is None:
            relative = scheme is None and not self.web_base
            self.skipped[f"extract/skipped/{'relative' if relative else 'unparsable'}"] += 1
        return target


def _context(texts: list[str], piece: int, count: int, anchor: str, limit: int) -> str:
    """The text around a link: up to `limit` characters each side of its anchor."""
    left = " ".join(" ".join(texts[max(0, piece - 4):piece]).split())[-limit:]
    right = " ".join(" ".join(texts[piece + count:piece + count + 4]).split())[:limit]
    return " ".join(part for part in (left, anchor, right) if part)


def _anchor_and_context(texts: list[str], first: int, count: int, anchor_limit: int,
                        context_limit: int) -> tuple[str, str]:
    """The anchor text of a link whose text is texts[first:first + count], and its context.
    (fastwalk.link_texts does the same in C.)"""
    anchor = _collapse("".join(texts[first:first + count]), anchor_limit)
    return anchor, _context(texts, first, count, anchor, context_limit)


def _anchor_texts(tree: Tree) -> dict[int, tuple[int, int]]:
    """For each <a>/<area> element with text: (first text piece, number of pieces)."""
    spans: dict[int, tuple[int, int]] = {}
    for k, link in enumerate(tree.text_link):
        if link >= 0:
            first, count = spans.get(link, (k, 0))
            spans[link] = (first, count + 1)
    return spans


def extract_page(
    fetched: FetchedPage, site_repeats: Collection[tuple[str, str]] | None = None,
    limits: ExtractLimits = DEFAULT_LIMITS,
) -> Extraction:
    """Extract the page record and link records of one fetched page.

    `site_repeats`, when given, holds (target, anchor) pairs seen on many pages of the page's
    site: such links are boilerplate (navigation, footer) wherever they sit. `limits` bound the
    work (limits.py): a page past them is kept with the links found, its Page's `truncated`
    naming why, each reason counted under `extract/truncated/<reason>`.
    """
    deadline = time.monotonic() + limits.time_budget if limits.time_budget > 0 else 0.0
    skipped: Counter[str] = Counter()
    url = normalize(fetched.url) or fetched.url
    host = split_host(url) or ""
    content_type = fetched.header("content-type")
    location = fetched.header("location")
    links: list[Link] = []
    redirect_to: str | None = None
    if 300 <= fetched.status < 400 and location:
        redirect_to = _Resolver(url, skipped).target(location)
        if redirect_to:
            links.append(Link(url, redirect_to, kind=LinkKind.REDIRECT, placement=Placement.HEADER))
    is_html = content_type is None or content_type.lower().startswith(_HTML_TYPES)
    if not fetched.body or not is_html:
        page = Page(url=url, host=host, domain=registrable_domain(host), status=fetched.status,
                    ip=fetched.ip, redirect_to=redirect_to, content_type=content_type,
                    fetch_time=fetched.fetch_time, crawl_id=fetched.crawl_id,
                    warc_file=fetched.warc_file, warc_offset=fetched.warc_offset)
        return Extraction(page, links, skipped)
    raw = utf8_body(fetched.body, content_type, fastwalk.is_utf8) if fastwalk.is_utf8 else None
    if raw is not None:  # UTF-8 as it came: the C walk parses the bytes without a str between
        charset = "utf-8"
        tree = parse_tree(raw.replace(b"\x00", _REPLACEMENT) if b"\x00" in raw else raw,
                          limits, deadline)
        markup: str | bytes = raw
    else:
        text, charset = decode_body(fetched.body, content_type)
        tree = parse_tree(text.replace("\x00", "\ufffd") if "\x00" in text else text,
                          limits, deadline)
        markup = text
    for reason in tree.truncated:
        skipped[f"extract/truncated/{reason}"] += 1
    noindex, page_nofollow = _robots(tree, fetched.header("x-robots-tag"))
    base = url
    if tree.base_href is not None:
        resolved_base = resolve(clean_href(tree.base_href), url)
        if resolved_base and href_scheme(resolved_base) in ("http", "https"):
            base = resolved_base
    resolver = _Resolver(base, skipped)
    labels, first, _last = compute_placement(tree)
    spans = tree.spans if tree.spans is not None else _anchor_texts(tree)
    link_texts = fastwalk.link_texts or _anchor_and_context
    canonical: str | None = None
    position = len(links)
    repeats = site_repeats or ()
    plain = fastwalk.resolve_plain
    hrefs = [raw[2] for raw in tree.links]
    known = plain(hrefs, base) if plain is not None else [None] * len(hrefs)
    kinds: dict[tuple[str, str | None], tuple[LinkKind | None, frozenset[str], bool]] = {}
    make_link = fastwalk.new_link or Link
    outlinks = 0
    for (raw_kind, element, href, raw_rel, alt), target in zip(tree.links, known, strict=True):
        facts = kinds.get((raw_kind, raw_rel))
        if facts is None:  # links repeat their kind and rel: decided once per page
            kind, rel = _kind(raw_kind, raw_rel)
            facts = kinds[raw_kind, raw_rel] = (kind, rel, is_followed(rel, page_nofollow))
        kind, rel, followed = facts
        if kind is None:
            continue
        if target is None:
            target = resolver.target(href)
            if target is None:
                continue
        anchor = context = ""
        placement = Placement.HEADER
        if raw_kind == "a" or raw_kind == "area":
            first_piece, count = spans.get(element, (0, 0))
            if count:
                anchor, context = link_texts(tree.texts, first_piece, count, ANCHOR_LIMIT,
                                             CONTEXT_LIMIT)
            if raw_kind == "area":
                anchor = _collapse(alt or "", ANCHOR_LIMIT)
            elif not anchor and alt:
                anchor = _collapse(alt, ANCHOR_LIMIT)
                kind = LinkKind.IMAGE
            elif not anchor and alt is not None:
                kind = LinkKind.IMAGE
            code = labels[element]
            if code == CONTENT and (target, anchor) in repeats:
                code = HEADER if element < first else FOOTER
            placement = PLACEMENT_OF[code]
        elif raw_kind == "iframe" or raw_kind == "form":
            placement = PLACEMENT_OF[labels[element]]
        elif kind == LinkKind.CANONICAL and canonical is None:
            canonical = target
        elif kind == LinkKind.REDIRECT and redirect_to is None:
            redirect_to = target
        if kind is LinkKind.TEXT or kind is LinkKind.IMAGE:
            outlinks += 1
        links.append(make_link(url, target, anchor, context, rel, followed, placement, kind,
                               position))
        position += 1
    title = _collapse(tree.title, ANCHOR_LIMIT) if tree.title is not None else ""
    language = (tree.lang or content_language(fetched) or "").strip() or None
    words = tree.words if tree.words is not None else len(" ".join(tree.texts).split())
    page = Page(
        url=url, host=host, domain=registrable_domain(host), status=fetched.status,
        ip=fetched.ip, redirect_to=redirect_to, canonical=canonical, noindex=noindex,
        nofollow=page_nofollow, language=language, title=title or None,
        word_count=words, outlinks=outlinks,
        content_type=content_type, charset=charset, fetch_time=fetched.fetch_time,
        crawl_id=fetched.crawl_id, warc_file=fetched.warc_file, warc_offset=fetched.warc_offset,
        truncated=tuple(sorted(tree.truncated)),
    )
    return Extraction(page, links, skipped, compute_page_text(tree, labels, markup))


def content_language(fetched: FetchedPage) -> str | None:
    """The first language of the Content-Language header."""
    value = fetched.header("content-language")
    return value.split(",")[0].strip() if value else None


def _kind(raw_kind: str, raw_rel: str | None) -> tuple[LinkKind | None, frozenset[str]]:
    rel = frozenset(raw_rel.lower().split()) if raw_rel else frozenset()
    if raw_kind == "a" or raw_kind == "area":
        return LinkKind.TEXT, rel
    if raw_kind == "link":
        if "canonical" in rel:
            return LinkKind.CANONICAL, rel
        if "alternate" in rel:
            return LinkKind.ALTERNATE, rel
        return None, rel
    if raw_kind == "iframe":
        return LinkKind.FRAME, rel
    if raw_kind == "form":
        return LinkKind.FORM, rel
    return LinkKind.REDIRECT, rel
