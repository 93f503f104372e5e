"""Render the sample web's pages as HTML, and the ground truth of their links with them.

The renderer writes each link element and records its truth in the same step, so the HTML
and the truth cannot disagree. Three templates mark regions up differently (see model.TEMPLATES);
hrefs are written in the many forms real pages use (relative, root-relative, protocol-relative,
upper-case, padded with whitespace, with fragments, against a <base href>).
"""

from __future__ import annotations

import html
import posixpath
import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from linkscope.records import is_followed
from linkscope.samples.bylines import byline_head
from linkscope.samples.model import LinkSpec, PageSpec, SampleWeb, Site, port_free
from linkscope.samples.portal import render_portal

# Class names per template and region; a site picks one of each by its index.
CLASS_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "semantic": {"header": ("site-header",), "nav": ("main-nav", "primary-menu"),
                 "content": ("entry", "post"), "sidebar": ("sidebar", "widgets"),
                 "footer": ("site-footer",), "comment": ("comments",)},
    "named": {"header": ("header", "masthead", "top-bar"),
              "nav": ("menu", "navbar", "main-navigation"),
              "content": ("content", "entry-content", "post-body"),
              "sidebar": ("sidebar", "widget-area", "secondary"),
              "footer": ("footer", "colophon", "site-info"),
              "comment": ("comments", "comment-list", "discussion")},
    "opaque": {"header": ("r1", "blk-a"), "nav": ("r2", "blk-b"), "content": ("r3", "blk-c"),
               "sidebar": ("r4", "blk-d"), "footer": ("r5", "blk-e"),
               "comment": ("r6", "blk-f")},
}

CHARSETS = {"de": "iso-8859-1", "fr": "utf-8", "en": "utf-8"}
LOCAL_WORDS = {"de": " Viele Grüße aus der Küche.", "fr": " Un café à l'été.", "en": ""}


@dataclass
class Rendered:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    links: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


class _Writer:
    def __init__(self, web: SampleWeb, page: PageSpec, site: Site) -> None:
        self.web, self.page, self.site = web, page, site
        self.rng = random.Random(f"{web.seed}:{web.epoch}:render:{port_free(page.url)}")
        self.parts: list[str] = []
        self.links: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.host = urlsplit(page.url).netloc
        self.path = urlsplit(page.url).path

    def cls(self, region: str) -> str:
        names = CLASS_NAMES[self.site.template][region]
        return names[self.site.index % len(names)]

    def emit(self, spec: LinkSpec, placement: str) -> None:
        if spec.target is None:
            self.skipped.append({"source": self.page.url, "href": spec.href,
                                 "reason": spec.skip_reason})
            return
        self.links.append({
            "source": self.page.url, "target": spec.target, "anchor": spec.anchor,
            "rel": spec.rel_tokens(), "follow": is_followed(frozenset(spec.rel_tokens()),
                                                           self.page.nofollow),
            "placement": placement, "kind": spec.kind, "position": len(self.links),
            "note": spec.note,
        })

    def href(self, spec: LinkSpec) -> str:
        if spec.href is not None:
            return spec.href
        target = spec.target
        assert target is not None
        parts = urlsplit(target)
        roll = self.rng.random()
        if parts.netloc == self.host:
            if self.site.base_href:
                return parts.path[1:] or "./"
            if roll < 0.35:
                written = parts.path
            elif roll < 0.6:
                rel = posixpath.relpath(parts.path, self.path if self.path.endswith("/")
                                        else posixpath.dirname(self.path))
                written = rel + ("/" if parts.path.endswith("/") and rel != "." else "")
                written = "./" if written == "." else written
            else:
                written = target
        elif roll < 0.15:
            written = "//" + parts.netloc + parts.path
        elif roll < 0.25:
            written = "HTTP://" + parts.netloc.upper() + parts.path
        else:
            written = target
        extra = self.rng.random()
        if extra < 0.05:
            written += "#section-2"
        elif extra < 0.09:
            written = "\n  " + written + " \t"
        elif extra < 0.11 and len(written) > 12:
            written = written[:10] + "\t" + written[10:]
        return written

    def a(self, spec: LinkSpec, placement: str) -> str:
        href = html.escape(self.href(spec), quote=True)
        rel = f' rel="{html.escape(spec.rel)}"' if spec.rel else ""
        if spec.kind == "form":
            self.emit(spec, placement)
            return (f'<form action="{href}" method="get"><label>Search '
                    f'<input name="q"></label><button>Go</button></form>')
        if spec.kind == "frame":
            self.emit(spec, placement)
            return f'<iframe src="{href}" title="Embedded video" width="560" height="315"></iframe>'
        self.emit(spec, placement)
        if spec.kind == "image":
            return (f'<a href="{href}"{rel}><img src="/img/{len(self.links)}.png" '
                    f'alt="{html.escape(spec.anchor)}"></a>')
        return f'<a href="{href}"{rel}>{html.escape(spec.anchor)}</a>'

    def inline(self, segments: list[str | LinkSpec], placement: str) -> str:
        return "".join(html.escape(s) if isinstance(s, str) else self.a(s, placement)
                       for s in segments)


def render_page(web: SampleWeb, page: PageSpec) -> Rendered:
    """The response the server gives for `page`, and the truth of the links on it."""
    site = web.sites[page.site]
    if page.redirect_to and page.status in (301, 302, 303, 307, 308):
        rendered = Rendered(page.status, [("Location", page.redirect_to),
                                          ("Content-Type", "text/html; charset=utf-8")],
                            b"<!doctype html><title>Moved</title><p>Moved.</p>")
        rendered.links.append({"source": page.url, "target": page.redirect_to, "anchor": "",
                               "rel": [], "follow": True, "placement": "content",
                               "kind": "redirect", "position": 0, "note": "http-redirect"})
        return rendered
    if page.body is not None or page.status != 200:
        body = page.body if page.body is not None and page.status == 200 else (
            f"<!doctype html><title>{page.status}</title><p>Error {page.status}.</p>".encode())
        ctype = page.content_type if page.status == 200 else "text/html; charset=utf-8"
        return Rendered(page.status, [("Content-Type", ctype)], body)
    writer = _Writer(web, page, site)
    text = _html(writer)
    charset = CHARSETS[page.language]
    ctype = "text/html" if page.language == "fr" else f"text/html; charset={charset}"
    return Rendered(200, [("Content-Type", ctype)], text.encode(charset), writer.links,
                    writer.skipped)


def _html(w: _Writer) -> str:
    page, site = w.page, w.site
    out: list[str] = []
    head = [f'<meta charset="{CHARSETS[page.language]}">',
            f"<title>{html.escape(page.title)}</title>",
            '<meta name="viewport" content="width=device-width, initial-scale=1">']
    if site.base_href:
        head.append('<base href="/">')
    canonical = page.canonical or page.url
    head.append(f'<link rel="canonical" href="{canonical}">')
    w.emit(LinkSpec(canonical, kind="canonical"), "header")
    robots = [x for x, on in (("noindex", page.noindex), ("nofollow", page.nofollow)) if on]
    if robots:
        head.append(f'<meta name="robots" content="{",".join(robots)}">')
    head += byline_head(page, site.template)
    if page.redirect_to:
        head.append(f'<meta http-equiv="refresh" content="0; url={page.redirect_to}">')
        w.emit(LinkSpec(page.redirect_to, kind="redirect"), "content")
    out.append(f'<!doctype html>\n<html lang="{page.language}">\n<head>\n'
               + "\n".join(head) + "\n</head>\n<body>\n")
    if site.template == "portal":  # table layout of its own (portal.py)
        out.append(render_portal(w))
    else:
        order = (["header", "nav", "sidebar", "content", "footer"] if site.template == "opaque"
                 else ["header", "nav", "content", "sidebar", "footer"])
        for region in order:
            out.append(REGIONS[region](w))
    out.append("</body>\n</html>\n")
    return "".join(out)


def _header(w: _Writer) -> str:
    tag = "header" if w.site.template == "semantic" else "div"
    logo = LinkSpec(w.site.home, w.site.brand, kind="image")
    return (f'<{tag} class="{w.cls("header")}">{w.a(logo, "header")}'
            f'<p class="tagline">Notes on {w.site.topic}</p></{tag}>\n')


def _nav(w: _Writer) -> str:
    tag = "nav" if w.site.template == "semantic" else "div"
    items = "".join(f"<li>{w.a(spec, 'nav')}</li>" for spec in w.site.nav)
    return f'<{tag} class="{w.cls("nav")}"><ul>{items}</ul></{tag}>\n'


def _content(w: _Writer) -> str:
    page, semantic = w.page, w.site.template == "semantic"
    parts = [f"<h1>{html.escape(page.title)}</h1>"]
    for k, para in enumerate(page.paragraphs):
        local = LOCAL_WORDS[page.language] if k == 0 else ""
        parts.append(f"<p>{w.inline(para, 'content')}{html.escape(local)}</p>")
    body = "\n".join(parts)
    if semantic:
        body = f'<main><article class="{w.cls("content")}">{body}</article>'
    else:
        body = f'<div class="{w.cls("content")}">{body}</div>'
    body += _comments(w)
    return body + ("</main>\n" if semantic else "\n")


def _comments(w: _Writer) -> str:
    if not w.page.comments:
        return ""
    items = []
    for c in w.page.comments:
        who = w.a(c.author_link, "comment") if c.author_link else html.escape(c.author)
        items.append(f'<li class="c-item"><p class="who">{who} wrote:</p>'
                     f"<p>{w.inline(c.text, 'comment')}</p></li>")
    tag = "section" if w.site.template == "semantic" else "div"
    title = "<h2>Comments</h2>" if w.site.template != "opaque" else "<b>Replies</b>"
    return f'<{tag} class="{w.cls("comment")}">{title}<ol>{"".join(items)}</ol></{tag}>'


def _sidebar(w: _Writer) -> str:
    tag = "aside" if w.site.template == "semantic" else "div"
    widgets = []
    for widget in w.site.sidebar + w.page.extra_widgets:
        items = "".join(f"<li>{w.a(spec, 'sidebar')}</li>" for spec in widget.links)
        widgets.append(f'<div class="box"><h3>{html.escape(widget.title)}</h3><ul>{items}</ul>'
                       "</div>")
    return f'<{tag} class="{w.cls("sidebar")}">{"".join(widgets)}</{tag}>\n'


def _footer(w: _Writer) -> str:
    tag = "footer" if w.site.template == "semantic" else "div"
    links = " | ".join(w.a(spec, "footer") for spec in w.site.footer)
    return (f'<{tag} class="{w.cls("footer")}"><p>&copy; 2026 {html.escape(w.site.brand)}. '
            f"{links}</p></{tag}>\n")


REGIONS = {"header": _header, "nav": _nav, "content": _content, "sidebar": _sidebar,
           "footer": _footer}
