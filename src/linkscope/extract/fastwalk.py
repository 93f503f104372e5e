"""Parse a page and read its tree: in C when the `_walk` extension can run, else in Python.

The C walk (`_walk.c`) calls lexbor directly: the lexbor that selectolax links into its own
extension module and exports. It returns the same `Tree` as the pure-Python `tree.read_tree`
(tested equal on every real page and on generated malformed HTML), plus the per-element text
statistics, subtree ends and word count that placement and page would otherwise compute.

It is used only when everything checks out: the extension was built, selectolax is the exact
version it was written against (`SELECTOLAX_VERSION`), its module exports the lexbor functions
needed, and they behave as expected on a probe page. Otherwise `FAST` is False, `why_slow` says
why, and the pure-Python path runs: slower, same output.

The vocabulary stays in Python: the C walk asks `tag_facts` what a tag name is, `tree.own_signal`
what a container's class, id and role say, and `tree.meta_fact` what a <meta> says.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import selectolax.lexbor
from selectolax.lexbor import LexborHTMLParser

from linkscope.extract.placement import INLINE
from linkscope.extract.regions import TAG_SIGNAL
from linkscope.extract.tree import (
    _LINK_TAGS,
    CONTAINERS,
    SKIP_TEXT,
    Tree,
    meta_fact,
    own_signal,
    read_tree,
)
from linkscope.records import Link, LinkKind, Placement

__all__ = ["ADA_URL_VERSION", "FAST", "SELECTOLAX_VERSION", "is_utf8", "link_texts", "new_link",
           "parse_tree", "parse_tree_python", "resolve_plain", "why_slow"]

log = logging.getLogger(__name__)

SELECTOLAX_VERSION = "1.0.2"  # the version whose lexbor the C walk was written and tested against
ADA_URL_VERSION = "4.0.0"  # the version whose C API resolve_plain calls

# Facts of a tag name, as _walk.c reads them (bit flags).
_SKIP_TEXT, _CONTAINER, _INLINE, _IGNORED = 1, 2, 4, 8
_LINK_FLAGS = {"a": 16, "area": 32, "img": 64, "link": 128, "iframe": 256, "base": 512,
               "meta": 1024, "html": 2048, "form": 4096}


def tag_facts(name: str) -> tuple[int, int]:
    """What the tree pass needs to know of a tag name: (flags, signal of the tag alone)."""
    if not name or name[0] in "-!_":
        return _IGNORED, 0
    flags = 0
    if name in SKIP_TEXT:
        flags |= _SKIP_TEXT
    if name in CONTAINERS:
        flags |= _CONTAINER
    if name in INLINE:
        flags |= _INLINE
    if name in _LINK_TAGS:
        flags |= _LINK_FLAGS[name]
    return flags, TAG_SIGNAL.get(name, 0)


def _bind() -> str | None:
    """Bind the C walk to selectolax's lexbor; the reason when it cannot be used."""
    try:
        from linkscope.extract import _walk  # type: ignore[attr-defined]
    except ImportError as error:
        return f"the _walk extension is not built ({error})"
    try:
        installed = version("selectolax")
    except PackageNotFoundError:
        installed = "not installed as a distribution"
    if installed != SELECTOLAX_VERSION:
        return f"selectolax is {installed}, the C walk wants {SELECTOLAX_VERSION}"
    try:
        _walk.bind(selectolax.lexbor.__file__, tag_facts, own_signal, meta_fact)
    except (ImportError, OSError) as error:
        return f"lexbor cannot be bound: {error}"
    global _walk_page, link_texts, resolve_plain, is_utf8, new_link
    _walk_page = _walk.walk
    # the tags of the vocabulary go into the C walk's cache of tag names first, so that a page
    # full of invented tags cannot leave the common ones out of it
    _walk_page("".join(f"<{name}></{name}>" for name in sorted(_VOCABULARY_TAGS)))
    link_texts = _walk.link_texts
    is_utf8 = _walk.is_utf8
    new_link = _bind_link_records(_walk)
    try:
        if version("ada-url") == ADA_URL_VERSION:
            from ada_url import _ada_wrapper  # private: a renamed module only costs speed

            _walk.bind_ada(_ada_wrapper.__file__)
            resolve_plain = _walk.resolve_plain
    except (ImportError, OSError, AttributeError, PackageNotFoundError) as error:
        log.debug("hrefs are resolved in Python: %s", error)
    return None


_VOCABULARY_TAGS = (SKIP_TEXT | CONTAINERS | INLINE | _LINK_TAGS
                    | {"html", "head", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                       "dt", "dd", "blockquote", "pre", "figcaption", "button", "input",
                       "label", "picture", "source", "video", "audio", "hr"})


LinkTexts = Callable[[list[str], int, int, int, int], tuple[str, str]]
def _bind_link_records(walk: Any) -> Callable[..., Link] | None:
    """_walk.new_record for Link, when it builds exactly what Link(...) builds."""
    names = tuple(f.name for f in dataclasses.fields(Link))
    if hasattr(Link, "__post_init__") or not all(f.init for f in dataclasses.fields(Link)):
        return None
    try:
        walk.bind_record(Link, names)
    except ImportError as error:
        log.debug("Link records are built by their constructor: %s", error)
        return None
    values = ("http://a.test/", "http://b.test/", "anchor", "context", frozenset({"ugc"}),
              False, Placement.SIDEBAR, LinkKind.IMAGE, 7)
    if len(names) != len(values):  # page.py passes exactly these nine fields
        return None
    try:
        made, real = walk.new_record(*values), Link(*values)
    except TypeError as error:
        log.debug("Link records are built by their constructor: %s", error)
        return None
    if made != real or repr(made) != repr(real) or hash(made) != hash(real):
        return None
    built: Callable[..., Link] = walk.new_record
    return built


_walk_page: Callable[[str | bytes], dict[str, Any]] | None = None
# new_link(*fields): a Link built without its dataclass __init__ (see _walk.c), or None
new_link: Callable[..., Link] | None = None
# The C version of page._anchor_and_context, or None (fastwalk cannot import page: page uses it).
link_texts: LinkTexts | None = None
# is_utf8(data): whether data.decode("utf-8") would succeed, without making the str; with it,
# a UTF-8 page goes to the parser as the bytes it came as (charset.utf8_body).
is_utf8: Callable[[bytes], bool] | None = None
# resolve_plain(hrefs, base): the target of each plain href (printable ASCII, http(s) or
# relative) as page._Resolver.target gives it, or None where that must decide; None when the
# extension or ada's C API cannot be used.
resolve_plain: Callable[[list[str], str], list[str | None]] | None = None
why_slow = _bind()
FAST = why_slow is None
if not FAST:
    log.debug("extraction runs its tree pass in Python: %s", why_slow)


def parse_tree_python(text: str) -> Tree:
    """Parse with selectolax and read the tree in Python."""
    parsed = LexborHTMLParser(text)
    tree = read_tree(parsed.root) if parsed.root is not None else Tree()
    title = parsed.css_first("title")
    tree.title = title.text() if title is not None else None
    return tree


def parse_tree(text: str | bytes) -> Tree:
    """Parse a page and read its tree: the C walk when bound, else `parse_tree_python`.
    Bytes are taken as UTF-8 (the C walk parses them as they are)."""
    if _walk_page is None:
        return parse_tree_python(text.decode() if isinstance(text, bytes) else text)
    facts = _walk_page(text)
    return Tree(
        facts["tags"], facts["parents"], facts["signals"], facts["texts"],
        facts["text_owner"], facts["text_link"], facts["links"], facts["base_href"],
        facts["robots"], facts["lang"], facts["title"], facts["ends"],
        (facts["total"], facts["linked"], facts["commas"], facts["block"]), facts["words"],
        facts["spans"],
    )
