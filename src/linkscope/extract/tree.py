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


@dataclass(slots=True)
class RawLink:
    """A link as found in the tree, before resolution."""

    kind: str  # "a", "area", "link", "iframe", "form", "refresh"
    element: int  # index of its element
    href: str
    rel: str | None = None
    alt: str | None = None  # first image alt inside an <a>


@dataclass(slots=True)
class Tree:
    """The facts of one page's tree, as parallel arrays indexed by element."""

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


def _meta(tree: Tree, attrs: dict[str, str | None]) -> None:
    name = (attrs.get("name") or "").strip().lower()
    if name in ("robots", "googlebot"):
        tree.robots.append(attrs.get("content") or "")
        return
    if (attrs.get("http-equiv") or "").strip().lower() == "refresh":
        content = attrs.get("content") or ""
        # "5; url=http://example.com/" (the url part is optional, quotes too)
        _, _, rest = content.partition(";")
        rest = rest.strip()
        if rest[:3].lower() == "url":
            rest = rest[3:].lstrip(" \t\n=").strip().strip("'\"")
        if rest:
            tree.links.append(RawLink("refresh", 0, rest))


def read_tree(root: LexborNode) -> Tree:
    """Walk the tree once and return its facts."""
    tree = Tree()
    tags, parents, signals = tree.tags, tree.parents, tree.signals
    texts, text_owner, text_link = tree.texts, tree.text_owner, tree.text_link
    links = tree.links
    index_of: dict[int, int] = {}
    skip: list[bool] = []  # text of this element is not page text
    in_link: list[int] = []  # nearest enclosing <a>/<area> element index, or -1
    container_tags, tag_signal = CONTAINERS, TAG_SIGNAL
    for node in root.traverse(include_text=True):
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
        i = len(tags)
        index_of[node.mem_id] = i
        tags.append(tag)
        parents.append(pi)
        skip.append(tag in SKIP_TEXT or (pi >= 0 and skip[pi]))
        link_here = in_link[pi] if pi >= 0 else -1
        signal = tag_signal.get(tag, 0)
        if tag in container_tags:
            attrs = node.attributes
            words = attrs.get("class") or ""
            ident = attrs.get("id")
            if ident:
                words = f"{words} {ident}"
            if words:
                said = signal_of_words(words)
                # <main> and <article> are content whatever their class, unless it says comment
                if said and (signal != CONTENT or said == COMMENT):
                    signal = said
            role = attrs.get("role")
            if role:
                signal = ROLE_SIGNAL.get(role.strip().lower(), signal)
            if tag == "form":
                action = attrs.get("action")
                if action is not None and action.strip():
                    links.append(RawLink("form", i, action))
        elif tag in _LINK_TAGS:
            attrs = node.attributes
            if tag == "a" or tag == "area":
                href = attrs.get("href")
                if href is not None:
                    alt = attrs.get("alt") or "" if tag == "area" else None
                    links.append(RawLink(tag, i, href, attrs.get("rel"), alt))
                    link_here = i
            elif tag == "img":
                if link_here >= 0:
                    last = links[-1]
                    if last.element == link_here and last.alt is None:
                        last.alt = attrs.get("alt") or ""
            elif tag == "link":
                href = attrs.get("href")
                if href is not None:
                    links.append(RawLink("link", i, href, attrs.get("rel")))
            elif tag == "iframe":
                href = attrs.get("src")
                if href is not None and href.strip():
                    links.append(RawLink(tag, i, href))
            elif tag == "base":
                if tree.base_href is None and attrs.get("href") is not None:
                    tree.base_href = attrs.get("href")
            elif tag == "meta":
                _meta(tree, attrs)
            elif tag == "html":
                tree.lang = attrs.get("lang") or attrs.get("xml:lang")
        signals.append(signal)
        in_link.append(link_here)
    return tree


def subtree_ends(parents: list[int]) -> list[int]:
    """end[i]: the index of the last descendant of element i (i itself for a leaf)."""
    end = list(range(len(parents)))
    for i in range(len(parents) - 1, 0, -1):
        p = parents[i]
        if p >= 0 and end[i] > end[p]:
            end[p] = end[i]
    return end
