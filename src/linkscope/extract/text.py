"""A page's text for the full-text index: its main text and what its markup says about it.

The main text is the text of the elements placement labels content (placement.py): the walk
already holds every text piece with its owning element, so collecting it is one pass over the
pieces and no second look at the tree. Pieces meet without a space when either belongs to an
inline element (`re<b>ad</b>` is one word), with one between blocks.

Description, authors and the published date are read from the markup's head (meta tags),
its JSON-LD blocks and, when the walk met a `<time>` element, the first `<time datetime>`, with
regular expressions tried only where a plain search found their start; `rel=author` links
come from the walk's links. That costs less than teaching the tree pass about them and keeps
the walk's hook narrow. No I/O, nothing raises:
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
HEAD_LIMIT = 256_000  # characters (or bytes) searched for meta tags when </head> is not found

_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font",
                     "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
                     "sup", "time", "u", "var", "label", "del", "ins", "strike", "tt", "big",
                     "nobr"})
# Each pattern is tried only where a plain search (str.find / bytes.find, much faster than a
# regular expression's scan) has found its start, on the page as str or as its UTF-8 bytes.
# meta tags that name a key we read (the literal "<" first keeps the scan fast)
_META = re.compile(r"<(?i:meta)\s[^>]*?(?i:descr|author|creator|date|publish)[^>]*>")
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_JSON_LD = re.compile(r"""<script[^>]*>(.*?)</script""", re.I | re.S)
_TIME = re.compile(r"""<time\s[^>]*datetime\s*=\s*["']?([^"'>\s]+)""", re.I)
_BYTES = {pattern: re.compile(pattern.pattern.encode(), pattern.flags & ~re.U)
          for pattern in (_META, _ATTR, _JSON_LD, _TIME)}
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


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _attrs(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value.strip("\"'"))
            for name, value in _ATTR.findall(tag)}


def _at(markup: str | bytes, needles: tuple[str, ...], back: str | None = None,
        limit: int = 50) -> Iterator[int]:
    """Where each needle occurs in the markup (at most `limit` times each), or, with
    `back`, where the last `back` before each occurrence starts."""
    for needle in needles:
        what: str | bytes = needle.encode() if isinstance(markup, bytes) else needle
        before: str | bytes | None = None
        if back is not None:
            before = back.encode() if isinstance(markup, bytes) else back
        position = markup.find(what)  # type: ignore[arg-type]
        found = 0
        while position >= 0 and found < limit:
            found += 1
            if before is None:
                yield position
            else:
                start = markup.rfind(before, max(0, position - 2000), position)  # type: ignore[arg-type]
                if start >= 0:
                    yield start
            position = markup.find(what, position + 1)  # type: ignore[arg-type]


def _head(markup: str | bytes) -> str | bytes:
    """The page up to the end of its <head> (where meta tags are), at most HEAD_LIMIT."""
    end = markup.find(b"</head" if isinstance(markup, bytes) else "</head", 0,  # type: ignore[arg-type]
                      HEAD_LIMIT)
    return markup[:end if end >= 0 else HEAD_LIMIT]


def _match(pattern: re.Pattern[str], markup: str | bytes, at: int) -> re.Match[Any] | None:
    if isinstance(markup, bytes):
        return _BYTES[pattern].match(markup, at)
    return pattern.match(markup, at)


def _findall(pattern: re.Pattern[str], text: str | bytes) -> list[Any]:
    if isinstance(text, bytes):
        return _BYTES[pattern].findall(text)
    return pattern.findall(text)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(value).split())[:_FIELD_LIMIT]
    return text or None


def _json_ld_items(markup: str | bytes) -> Iterator[dict[str, Any]]:
    for at in _at(markup, ("application/ld+json",), back="<script", limit=20):
        block = _match(_JSON_LD, markup, at)
        if block is None:
            continue
        try:
            data = json.loads(block.group(1))
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


def _rel_authors(tree: Tree) -> list[str]:
    """The text of the page's `<a rel=author>` links (the walk keeps each link's rel)."""
    elements = {element for kind, element, _href, rel, _alt in tree.links
                if kind == "a" and rel and "author" in rel.lower().split()}
    if not elements:
        return []
    pieces: dict[int, list[str]] = {}
    for text, link in zip(tree.texts, tree.text_link, strict=True):
        if link in elements:
            pieces.setdefault(link, []).append(text)
    names = (_clean("".join(parts)) for _, parts in sorted(pieces.items()))
    return [name for name in names if name][:10]


def compute_page_text(tree: Tree, labels: list[int], markup: str | bytes) -> PageText:
    """The main text of a placed tree, and the description, authors and published date that
    the page's markup (a str, or UTF-8 bytes) states: meta tags first, then JSON-LD, then
    `<time datetime>` and `rel=author` links."""
    text = main_text(tree, labels)
    description: str | None = None
    authors: list[str] = []
    published: str | None = None
    head = _head(markup)
    for tag in _findall(_META, head)[:200]:
        attrs = _attrs(_text(tag))
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
    # JSON-LD in the head; in the rest of the page only while something is missing
    rest = markup if description is None or not authors or published is None else head
    for item in _json_ld_items(rest):
        if "author" in item and not authors:
            authors = _person_names(item["author"])
        if published is None and _DATE.match(str(item.get("datePublished", ""))):
            published = _clean(item["datePublished"])
        if description is None and isinstance(item.get("description"), str):
            description = _clean(item["description"])
    if published is None and "time" in tree.tags:  # the walk saw a <time>: read its date
        for at in _at(markup, ("<time",), limit=5):
            found = _match(_TIME, markup, at)
            if found and _DATE.match(_text(found.group(1))):
                published = _text(found.group(1))[:_FIELD_LIMIT]
                break
    if not authors:
        authors = _rel_authors(tree)
    unique = tuple(dict.fromkeys(authors))[:20]
    return PageText(text, len(text.split()), description, unique, published)
