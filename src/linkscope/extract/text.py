"""A page's text for the full-text index: its main text and what its markup says about it.

The main text is the text of the elements placement labels content (placement.py): the walk
already holds every text piece with its owning element, so collecting it is one pass over the
pieces and no second look at the tree. Pieces meet without a space when either belongs to an
inline element (`re<b>ad</b>` is one word), with one between blocks.

Description, authors and the published date are read from the markup with a few regular
expressions (meta tags, JSON-LD, `<time datetime>`, `rel=author`), which costs less than
teaching the tree pass about them and keeps the walk's hook narrow. No I/O, nothing raises:
a JSON-LD block that does not parse is ignored.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from linkscope.extract.regions import CONTENT
from linkscope.extract.tree import Tree

__all__ = ["PageText", "TEXT_LIMIT", "compute_page_text", "main_text"]

TEXT_LIMIT = 100_000  # characters of main text kept a page
_FIELD_LIMIT = 500  # characters kept of a description, an author or a date

_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font",
                     "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
                     "sup", "time", "u", "var", "label", "del", "ins", "strike", "tt", "big",
                     "nobr"})
_META = re.compile(r"<meta\s[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_JSON_LD = re.compile(
    r"""<script[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script""",
    re.I | re.S)
_TIME = re.compile(r"""<time\s[^>]*datetime\s*=\s*["']?([^"'>\s]+)""", re.I)
_REL_AUTHOR = re.compile(r"""<a\s[^>]*rel\s*=\s*["']?author\b[^>]*>([^<]{1,200})<""", re.I)
_DESCRIPTION = ("description", "og:description", "twitter:description", "dc.description")
_AUTHOR = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_PUBLISHED = ("article:published_time", "datepublished", "og:published_time", "pubdate",
              "publish-date", "dc.date", "dc.date.issued", "date", "sailthru.date",
              "parsely-pub-date")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class PageText:
    """What the full-text index keeps of a page beside its page record."""

    main_text: str
    word_count: int  # words of the main text
    description: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 date or date-time, as the page gave it


def main_text(tree: Tree, labels: list[int], limit: int = TEXT_LIMIT) -> str:
    """The text of the elements labelled content, whitespace collapsed. Pieces of one block
    (`re<b>ad</b>`) join as they stand; pieces of two blocks are parted by a space."""
    tags, parents = tree.tags, tree.parents
    block_of: dict[int, int] = {}
    parts: list[str] = []
    size = 0
    previous = -1
    for text, owner in zip(tree.texts, tree.text_owner, strict=True):
        if labels[owner] != CONTENT:
            continue
        block = block_of.get(owner)
        if block is None:
            block = owner
            while tags[block] in _INLINE and parents[block] >= 0:
                block = parents[block]
            block_of[owner] = block
        if block != previous:
            parts.append(" ")
        parts.append(text)
        previous = block
        size += len(text)
        if size > limit * 2:  # enough, even if half of it is whitespace
            break
    return " ".join("".join(parts).split())[:limit]


def _attrs(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value.strip("\"'"))
            for name, value in _ATTR.findall(tag)}


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(value).split())[:_FIELD_LIMIT]
    return text or None


def _json_ld_items(markup: str) -> Iterator[dict[str, Any]]:
    for block in _JSON_LD.findall(markup):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = [data]
        seen = 0
        while stack and seen < 200:
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _person_names(value: Any) -> list[str]:
    found = []
    for one in value if isinstance(value, list) else [value]:
        name = one.get("name") if isinstance(one, dict) else one
        text = _clean(name)
        if text and not text.startswith(("http://", "https://")):
            found.append(text)
    return found


def compute_page_text(tree: Tree, labels: list[int], markup: str) -> PageText:
    """The main text of a placed tree, and the description, authors and published date that
    the page's markup states (meta tags first, then JSON-LD, then `<time>` and `rel=author`)."""
    text = main_text(tree, labels)
    description: str | None = None
    authors: list[str] = []
    published: str | None = None
    for tag in _META.findall(markup):
        attrs = _attrs(tag)
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
        content = _clean(attrs.get("content"))
        if not key or content is None:
            continue
        if key in _DESCRIPTION and description is None:
            description = content
        elif key in _AUTHOR and not content.startswith(("http://", "https://")):
            authors.append(content)
        elif key in _PUBLISHED and published is None and _DATE.match(content):
            published = content
    if "ld+json" in markup:
        for item in _json_ld_items(markup):
            if "author" in item and not authors:
                authors = _person_names(item["author"])
            if published is None and _DATE.match(str(item.get("datePublished", ""))):
                published = _clean(item["datePublished"])
            if description is None and isinstance(item.get("description"), str):
                description = _clean(item["description"])
    if published is None:
        match = _TIME.search(markup)
        if match and _DATE.match(match.group(1)):
            published = match.group(1)[:_FIELD_LIMIT]
    if not authors:
        authors = [name for name in (_clean(m) for m in _REL_AUTHOR.findall(markup)) if name]
    unique = tuple(dict.fromkeys(authors))[:20]
    return PageText(text, len(text.split()), description, unique, published)
