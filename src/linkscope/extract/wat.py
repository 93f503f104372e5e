"""extract_wat: a page record and its links from the WAT metadata of one response. No I/O.

What a WAT entry holds (warc.wat_write draws its layout) is turned into linkscope's records
by the rules of `extract_page`, so that a WAT and the WARC it was made from give the same
links:

- `A@/href` and `AREA@/href` are links of kind text; an <a> with no text right after
  `IMG@/src` entries (the WAT lists an <a> at its end tag, after what it holds) is an image
  link whose anchor is the first such image's alt text, as an <a> around an <img> is.
- `LINK@/href` (Head.Link) takes its kind from its rel as extraction gives it: canonical,
  alternate, else no link. A `<meta http-equiv=refresh>` (Head.Metas) is a redirect, and so
  is an HTTP 3xx Location header.
- `IFRAME@/src` is a frame link and `FORM@/action` a form link, as extraction gives them.
- Embeds (`IMG@/src`, `SCRIPT@/src`, `LINK@/href` of a stylesheet, `EMBED@/src`, ...) are
  not links.

Hrefs resolve against the page or the WAT's `<base href>` with the same resolver and the
same normalization as `extract_page`, and are skipped and counted as it counts them. The
placement of a link in the body is `unknown` (a WAT does not say where on the page a link
sits); head links and redirects keep `header`, as extraction gives them. What a WAT does not
hold is left empty: the context of a link, the word count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from linkscope.extract import fastwalk
from linkscope.extract.page import (
    ANCHOR_LIMIT,
    Extraction,
    _collapse,
    _kind,
    _Resolver,
    content_language,
)
from linkscope.extract.tree import meta_fact
from linkscope.records import FetchedPage, Link, LinkKind, Page, Placement, is_followed
from linkscope.urls import (
    clean_href,
    href_scheme,
    normalize,
    registrable_domain,
    resolve,
    split_host,
)

__all__ = ["extract_wat"]

# the WAT path of each element whose URL extraction takes for a link, and the raw kind
# extraction's tree pass gives that element
_BODY_LINKS = {"A@/href": "a", "AREA@/href": "area", "IFRAME@/src": "iframe",
               "FORM@/action": "form"}
_UNPLACED = frozenset(_BODY_LINKS.values())  # where a WAT does not say where they sit
_IMAGE = "IMG@/src"
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def _entries(value: Any) -> list[Mapping[str, Any]]:
    return [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def extract_wat(fetched: FetchedPage, metadata: Mapping[str, Any] | None) -> Extraction:
    """The page record and link records of one response from its WAT `HTML-Metadata`
    (`metadata`; None for a payload that is not HTML)."""
    skipped: Counter[str] = Counter()
    url = normalize(fetched.url) or fetched.url
    host = split_host(url) or ""
    content_type = fetched.header("content-type")
    links: list[Link] = []
    redirect_to: str | None = None
    location = fetched.header("location")
    if 300 <= fetched.status < 400 and location:
        redirect_to = _Resolver(url, skipped).target(location)
        if redirect_to:
            links.append(Link(url, redirect_to, kind=LinkKind.REDIRECT,
                              placement=Placement.HEADER))
    if metadata is None:
        page = Page(url=url, host=host, domain=registrable_domain(host), status=fetched.status,
                    ip=fetched.ip, redirect_to=redirect_to, content_type=content_type,
                    fetch_time=fetched.fetch_time, crawl_id=fetched.crawl_id,
                    warc_file=fetched.warc_file, warc_offset=fetched.warc_offset)
        return Extraction(page, links, skipped)
    head = metadata.get("Head")
    head = head if isinstance(head, Mapping) else {}
    # (raw kind as extraction's tree pass names it, href, rel, anchor, alt)
    raw: list[tuple[str, str, str | None, str, str | None]] = []
    robots: list[str] = []
    language: str | None = None
    for meta in _entries(head.get("Metas")):
        name = _text(meta.get("name"))
        if name in ("HTML@/lang", "HTML@/xml:lang"):
            language = language or _text(meta.get("content"))
            continue
        fact = meta_fact(name, _text(meta.get("http-equiv")), _text(meta.get("content")))
        if fact is not None and fact[0] == "robots":
            robots.append(fact[1])
        elif fact is not None:
            raw.append(("refresh", fact[1], None, "", None))
    for entry in _entries(head.get("Link")):
        href = _text(entry.get("url"))
        if href is not None:
            raw.append(("link", href, _text(entry.get("rel")), "", None))
    body = _entries(metadata.get("Links"))
    for index, entry in enumerate(body):
        kind_of = _BODY_LINKS.get(_text(entry.get("path")) or "")
        href = _text(entry.get("url"))
        if kind_of is None or href is None:
            continue
        if kind_of in ("iframe", "form") and not href.strip():
            continue  # extraction takes no blank src or action either
        text = _collapse(_text(entry.get("text")) or "", ANCHOR_LIMIT)
        alt = _image_alt(body, index) if kind_of == "a" and not text else None
        raw.append((kind_of, href, _text(entry.get("rel")), text, alt))
    noindex, page_nofollow = _robots(robots, fetched.header("x-robots-tag"))
    base = url
    declared = _text(head.get("Base"))
    if declared is not None:
        resolved_base = resolve(clean_href(declared), url)
        if resolved_base and href_scheme(resolved_base) in ("http", "https"):
            base = resolved_base
    resolver = _Resolver(base, skipped)
    canonical: str | None = None
    outlinks = 0
    # as extract_page: plain hrefs resolved in one call to the C pass where it loads, the
    # rest by the resolver (which counts what it skips); kind and rel decided once per pair
    plain = fastwalk.resolve_plain
    hrefs = [entry[1] for entry in raw]
    known = plain(hrefs, base) if plain is not None else [None] * len(hrefs)
    make_link = fastwalk.new_link or Link
    kinds: dict[tuple[str, str | None], tuple[LinkKind | None, frozenset[str], bool]] = {}
    for (raw_kind, href, raw_rel, anchor, alt), target in zip(raw, known, strict=True):
        facts = kinds.get((raw_kind, raw_rel))
        if facts is None:
            kind_, rel_ = _kind(raw_kind, raw_rel)
            facts = kinds[raw_kind, raw_rel] = (kind_, rel_, is_followed(rel_, page_nofollow))
        kind, rel, followed = facts
        if kind is None:
            continue
        if target is None:
            target = resolver.target(href)
            if target is None:
                continue
        placement = Placement.HEADER
        if raw_kind in _UNPLACED:
            placement = Placement.UNKNOWN
            if raw_kind == "a" and not anchor and alt is not None:
                kind, anchor = LinkKind.IMAGE, _collapse(alt, ANCHOR_LIMIT)
        elif kind is LinkKind.CANONICAL and canonical is None:
            canonical = target
        elif kind is LinkKind.REDIRECT and redirect_to is None:
            redirect_to = target
        if kind is LinkKind.TEXT or kind is LinkKind.IMAGE:
            outlinks += 1
        links.append(make_link(url, target, anchor, "", rel, followed, placement, kind,
                               len(links)))
    title = _collapse(_text(head.get("Title")) or "", ANCHOR_LIMIT)
    language = (language or content_language(fetched) or "").strip() or None
    charset = _CHARSET.search(content_type or "")
    page = Page(
        url=url, host=host, domain=registrable_domain(host), status=fetched.status,
        ip=fetched.ip, redirect_to=redirect_to, canonical=canonical, noindex=noindex,
        nofollow=page_nofollow, language=language, title=title or None, word_count=0,
        outlinks=outlinks, content_type=content_type,
        charset=charset.group(1).lower() if charset else None, fetch_time=fetched.fetch_time,
        crawl_id=fetched.crawl_id, warc_file=fetched.warc_file, warc_offset=fetched.warc_offset,
    )
    return Extraction(page, links, skipped)


def _image_alt(body: list[Mapping[str, Any]], index: int) -> str | None:
    """The alt text of the image an <a> without text holds, or None when it holds none: the
    first of the `IMG@/src` entries listed right before it ("" when that image has no alt)."""
    first = index
    while first > 0 and body[first - 1].get("path") == _IMAGE:
        first -= 1
    if first == index:
        return None
    return _text(body[first].get("alt")) or ""


def _robots(contents: list[str], header: str | None) -> tuple[bool, bool]:
    """(noindex, nofollow) from the meta robots contents and X-Robots-Tag, as extraction."""
    tokens: set[str] = set()
    for content in [*contents, header or ""]:
        for token in re.split(r"[\s,]+", content.lower()):
            tokens.add(token.rpartition(":")[2])  # "googlebot: noindex"
    return ("noindex" in tokens or "none" in tokens,
            "nofollow" in tokens or "none" in tokens)
