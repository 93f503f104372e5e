"""One pass over a parsed page: the facts that extraction and placement need, as flat arrays.

`read_tree` visits every node once, top-down in document order (selectolax's lexbor traverse),
and records for each element its tag, its parent's index and its own region signal, and for
each text node its text and owning element. Elements get their index in document order, so the
descendants of element i are exactly the indices i+1 .. end[i] once `end` is computed; every later
step (link density, main content, placement) works on these arrays, never on the DOM again.

Links of every kind are collected on the way, with the attributes they need and no resolution:
resolution and the records are `page.py`'s business.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from linkscope.extract.regions import (
    COMMENT,
    CONTENT,
    ROLE_SIGNAL,
    TAG_SIGNAL,
    signal_of_words,
)

# elements whose text is not page text
SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "textarea", "select",
                       "option", "svg", "math", "head", "title", "iframe", "object"})
# elements whose class and id are worth reading for a region signal
CONTAINERS = frozenset({"div", "section", "ul", "ol", "dl", "table", "tbody", "tr", "td",
                        "span", "p", "li", "aside", "header", "footer", "nav", "article", "main",
                        "form", "figure", "center", "font", "menu", "details"})
_LINK_TAGS = frozenset({"a", "area", "link", "iframe", "form", "img", "base", "meta", "html"})


# A link as found in the tree, before resolution: (kind, element, href, rel, alt), where kind is
# "a", "area", "link", "iframe", "form" or "refresh", element is the index of its element, and alt
# is the alt text of the first image inside an <a> (None when it holds none, "" when the image
# has none; an <area>'s own alt).
RawLink = tuple[str, int, str, str | None, str | None]


@dataclass(slots=True)
class Tree:
    """The facts of one page's tree, as parallel arrays indexed by element.

    The C walk (fastwalk.py) also fills the fields after `lang`; the pure-Python path leaves
    them None, and placement and page compute them from the others.
    """

    tags: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    signals: list[int] = field(default_factory=list)  # own region signal (regions.py)
    texts: list[str] = field(default_factory=list)  # page text, in document order
    text_owner: list[int] = field(default_factory=list)  # element of each text piece
    text_link: list[int] = field(default_factory=list)  # enclosing <a> element, or -1
    links: list[RawLink] = field(default_factory=list)
    base_href: str | None = None
    robots: list[str] = field(default_factory=list)  # contents of meta robots/googlebot
    lang: str | None = None
    title: str | None = None  # text of the first <title>; None when there is none
    ends: list[int] | None = None  # subtree_ends(parents)
    # per element: text, link text and commas of its subtree, text of its own block
    # (what placement._block_stats computes)
    stats: tuple[list[int], list[int], list[int], list[int]] | None = None
    words: int | None = None  # number of words of the page text
    # <a>/<area> element -> (its first text piece, its number of pieces) (page._anchor_texts)
    spans: dict[int, tuple[int, int]] | None = None
    # what the limits cut (limits.py): "attributes", "depth", "elements", "time"
    truncated: frozenset[str] = frozenset()


def own_signal(tag: str, classes: str, ident: str, role: str) -> int:
    """The region signal of a container element from its tag, class, id and role ("" when
    absent)."""
    signal = TAG_SIGNAL.get(tag, 0)
    words = f"{classes} {ident}" if ident else classes
    if words:
        said = signal_of_words(words)
        # <main> and <article> are content whatever their class, unless it says comment
        if said and (signal != CONTENT or said == COMMENT):
            signal = said
    if role:
        signal = ROLE_SIGNAL.get(role.strip().lower(), signal)
    return signal


def meta_fact(name: str | None, http_equiv: str | None,
              content: str | None) -> tuple[str, str] | None:
    """What a <meta> says that extraction uses: ("robots", content) for meta robots or
    googlebot, ("refresh", url) for a refresh that names a URL, else None."""
    if (name or "").strip().lower() in ("robots", "googlebot"):
        return "robots", content or ""
    if (http_equiv or "").strip().lower() == "refresh":
        # "5; url=http://example.com/" (the url part is optional, quotes too)
        _, _, rest = (content or "").partition(";")
        rest = rest.strip()
        if rest[:3].lower() == "url":
            rest = rest[3:].lstrip(" \t\n=").strip().strip("'\"")
        if rest:
            return "refresh", rest
    return None


def read_tree(root: LexborNode, max_elements: int = 0, deadline: float = 0.0) -> Tree:
    """Walk the tree once and return its facts (the pure-Python path).

    As the C walk does, it stops at `max_elements` elements or past `deadline`
    (time.monotonic(), checked every 4096 nodes); 0 turns a limit off. Reasons in .truncated.
    (Depth needs no limit here: the walk costs the same at any depth; limits.py bounds it
    for the parser, whose cost grows with it.)
    """
    tree = Tree()
    truncated: set[str] = set()
    tags, parents, signals = tree.tags, tree.parents, tree.signals
    texts, text_owner, text_link = tree.texts, tree.text_owner, tree.text_link
    links = tree.links
    index_of: dict[int, int] = {}
    skip: list[bool] = []  # text of this element is not page text
    in_link: list[int] = []  # nearest enclosing <a>/<area> element index, or -1
    container_tags, tag_signal = CONTAINERS, TAG_SIGNAL
    for visited, node in enumerate(root.traverse(include_text=True), 1):
        if deadline and not visited & 4095 and time.monotonic() > deadline:
            truncated.add("time")
            break
        parent = node.parent
        pi = index_of.get(parent.mem_id, -1) if parent is not None else -1
        tag = node.tag
        if tag == "-text":
            if pi >= 0 and not skip[pi]:
                text = node.text_content
                if text and not text.isspace():
                    texts.append(text)
                    text_owner.append(pi)
                    text_link.append(in_link[pi])
            continue
        if tag is None or tag[0] in "-!_":
            continue
        if max_elements and len(tags) >= max_elements:
            truncated.add("elements")
            break
        i = len(tags)
        index_of[node.mem_id] = i
        tags.append(tag)
        parents.append(pi)
        skip.append(tag in SKIP_TEXT or (pi >= 0 and skip[pi]))
        link_here = in_link[pi] if pi >= 0 else -1
        signal = tag_signal.get(tag, 0)
        if tag in container_tags:
            attrs = node.attributes
            classes, ident, role = attrs.get("class"), attrs.get("id"), attrs.get("role")
            if classes or ident or role:
                signal = own_signal(tag, classes or "", ident or "", role or "")
            if tag == "form":
                action = attrs.get("action")
                if action is not None and action.strip():
                    links.append(("form", i, action, None, None))
        elif tag in _LINK_TAGS:
            attrs = node.attributes
            if tag == "a" or tag == "area":
                href = attrs.get("href")
                if href is not None:
                    alt = (attrs.get("alt") or "") if tag == "area" else None
                    links.append((tag, i, href, attrs.get("rel"), alt))
                    link_here = i
            elif tag == "img":
                if link_here >= 0:
                    kind, element, href, rel, alt = links[-1]
                    if element == link_here and alt is None:
                        links[-1] = (kind, element, href, rel, attrs.get("alt") or "")
            elif tag == "link":
                href = attrs.get("href")
                if href is not None:
                    links.append(("link", i, href, attrs.get("rel"), None))
            elif tag == "iframe":
                href = attrs.get("src")
                if href is not None and href.strip():
                    links.append((tag, i, href, None, None))
            elif tag == "base":
                if tree.base_href is None and attrs.get("href") is not None:
                    tree.base_href = attrs.get("href")
            elif tag == "meta":
                fact = meta_fact(attrs.get("name"), attrs.get("http-equiv"), attrs.get("content"))
                if fact is not None:
                    if fact[0] == "robots":
                        tree.robots.append(fact[1])
                    else:
                        links.append(("refresh", 0, fact[1], None, None))
            elif tag == "html":
                tree.lang = attrs.get("lang") or attrs.get("xml:lang")
        signals.append(signal)
        in_link.append(link_here)
    tree.truncated = frozenset(truncated)
    return tree


def subtree_ends(parents: list[int]) -> list[int]:
    """end[i]: the index of the last descendant of element i (i itself for a leaf)."""
    end = list(range(len(parents)))
    for i in range(len(parents) - 1, 0, -1):
        p = parents[i]
        if p >= 0 and end[i] > end[p]:
            end[p] = end[i]
    return end
