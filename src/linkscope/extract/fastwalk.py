"""Parse a page and read its tree: in C when the `_walk` extension can run, else in Python.

The C walk (`_walk.c`) calls lexbor directly: the lexbor that selectolax links into its own
extension module and exports. It returns the same `Tree` as the pure-Python `tree.read_tree`
(tested equal on every real page and on generated malformed HTML), plus the per-element text
statistics, subtree ends and word count that placement and page would otherwise compute.

It is used only when everything checks out: the extension was built, selectolax is the exact
version it was written against (`SELECTOLAX_VERSION`) and bundles the lexbor whose node layout
it reads (`LEXBOR_VERSION`), its module exports the lexbor functions needed, and they behave as
expected on a probe page. Otherwise `FAST` is False, `why_slow` says why, one WARNING says so
with the cost, and the pure-Python path runs: the same output, about 3x slower.

The environment variable LINKSCOPE_EXTRACT (the Settings knob `extract_path`) chooses once per
process, at import, since extraction also runs where no Settings object reaches (ingest
workers, Spark executors): `auto` (the C pass when it loads, else Python with the WARNING), `c`
(the C pass, or a UsageError saying why it cannot load) or `python`.

The vocabulary stays in Python: the C walk asks `tag_facts` what a tag name is, `tree.own_signal`
what a container's class, id and role say, and `tree.meta_fact` what a <meta> says.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import selectolax.lexbor
from selectolax.lexbor import LexborHTMLParser

from linkscope.errors import UsageError
from linkscope.extract.limits import DEFAULT_LIMITS, ExtractLimits, bound_markup
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
from linkscope.settings import knob_from_environment

__all__ = ["ADA_URL_VERSION", "FAST", "SELECTOLAX_VERSION", "is_utf8", "link_texts", "new_link",
           "parse_tree", "parse_tree_python", "resolve_plain", "why_slow"]

log = logging.getLogger(__name__)

SELECTOLAX_VERSION = "1.0.2"  # the version whose lexbor the C walk was written and tested against
LEXBOR_VERSION = (3, 1)  # the lexbor it bundles: the node layout _walk.c reads (major, minor)
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


def installed_versions() -> dict[str, str]:
    """The versions the C pass is gated on: selectolax, the lexbor it bundles, ada-url."""
    found = {"lexbor": "{}.{}".format(getattr(selectolax.lexbor, "LEXBOR_VERSION_MAJOR", "?"),
                                      getattr(selectolax.lexbor, "LEXBOR_VERSION_MINOR", "?"))}
    for name, module in (("selectolax", selectolax), ("ada-url", None)):
        found[name] = _distribution_version(name, module)
    return found


def _distribution_version(name: str, module: Any) -> str:
    """A distribution's version: the module's `__version__`, else the name of its dist-info
    folder beside the package, else importlib.metadata (which costs tens of milliseconds of
    imports, paid by every `linkscope extract` at start-up)."""
    own = getattr(module, "__version__", None)
    if isinstance(own, str):
        return own
    spec = importlib.util.find_spec(name.replace("-", "_"))
    if spec is not None and spec.origin is not None:
        folders = list(Path(spec.origin).parent.parent.glob(f"{name.replace('-', '_')}-*"
                                                              f".dist-info"))
        if len(folders) == 1:
            return folders[0].name.removesuffix(".dist-info").split("-", 1)[1]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed as a distribution"


def _bind(versions: Mapping[str, str]) -> str | None:
    """Bind the C walk to selectolax's lexbor; the reason when it cannot be used."""
    try:
        from linkscope.extract import _walk  # type: ignore[attr-defined]
    except ImportError as error:
        return f"the _walk extension is not built ({error})"
    if versions["selectolax"] != SELECTOLAX_VERSION:
        return f"selectolax is {versions['selectolax']}, the C walk wants {SELECTOLAX_VERSION}"
    wanted_lexbor = ".".join(map(str, LEXBOR_VERSION))
    if versions["lexbor"] != wanted_lexbor:
        return f"selectolax bundles lexbor {versions['lexbor']}, the C walk wants {wanted_lexbor}"
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
        if versions["ada-url"] == ADA_URL_VERSION:
            from ada_url import _ada_wrapper  # private: a renamed module only costs speed

            _walk.bind_ada(_ada_wrapper.__file__)
            resolve_plain = _walk.resolve_plain
    except (ImportError, OSError, AttributeError) as error:
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


_walk_page: Callable[..., dict[str, Any]] | None = None
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
PATHS = ("auto", "c", "python")


def load(path: str, versions: Mapping[str, str] | None = None) -> str | None:
    """Choose the extraction path (`auto`, `c` or `python`; see the module doc) and bind it;
    the reason the C pass is not used, or None when it is. Sets FAST and why_slow."""
    global FAST, why_slow, _walk_page, link_texts, resolve_plain, is_utf8, new_link
    if path not in PATHS:
        raise UsageError(f"unknown extraction path {path!r}", where="LINKSCOPE_EXTRACT",
                         hint="auto, c or python")
    _walk_page = link_texts = resolve_plain = is_utf8 = new_link = None
    why: str | None = "LINKSCOPE_EXTRACT=python"
    if path != "python":
        why = _bind(installed_versions() if versions is None else versions)
        if why is not None:
            _walk_page = link_texts = resolve_plain = is_utf8 = new_link = None
            FAST, why_slow = False, why
            if path == "c":
                raise UsageError(f"the C tree pass cannot load: {why}", where="LINKSCOPE_EXTRACT=c",
                                 hint="rebuild with `make .venv/.installed`, or set auto")
            log.warning("extraction runs its tree pass in pure Python, about 3x slower than "
                        "the C pass: %s", why)
    FAST, why_slow = why is None, why
    return why


FAST = False
why_slow: str | None = None
load(knob_from_environment("extract_path"))


# the bits of _walk's "truncated", as _prescan.h numbers them
_REASONS = ((1, "attributes"), (2, "depth"), (4, "elements"), (8, "time"))


def reasons_of(bits: int) -> frozenset[str]:
    """The names of the PRESCAN_* bits of the C pre-scan and walk."""
    return frozenset(name for bit, name in _REASONS if bits & bit)


def parse_tree_python(text: str, limits: ExtractLimits = DEFAULT_LIMITS,
                      deadline: float = 0.0) -> Tree:
    """Parse with selectolax and read the tree in Python, within the limits (limits.py)."""
    text, cut = bound_markup(text, limits)
    parsed = LexborHTMLParser(text)
    root = parsed.root
    tree = read_tree(root, limits.max_elements, deadline) if root is not None else Tree()
    tree.truncated |= cut
    title = parsed.css_first("title")
    tree.title = title.text() if title is not None else None
    return tree


def parse_tree(text: str | bytes, limits: ExtractLimits = DEFAULT_LIMITS,
               deadline: float = 0.0) -> Tree:
    """Parse a page and read its tree within the limits: the C walk when bound, else
    `parse_tree_python`. Bytes are taken as UTF-8 (the C walk parses them as they are).
    `deadline` is a time.monotonic() value (0: none)."""
    if _walk_page is None:
        return parse_tree_python(text.decode() if isinstance(text, bytes) else text, limits,
                                 deadline)
    facts = _walk_page(text, limits.max_attributes, limits.max_depth, limits.max_elements,
                       deadline)
    return Tree(
        facts["tags"], facts["parents"], facts["signals"], facts["texts"],
        facts["text_owner"], facts["text_link"], facts["links"], facts["base_href"],
        facts["robots"], facts["lang"], facts["title"], facts["ends"],
        (facts["total"], facts["linked"], facts["commas"], facts["block"]), facts["words"],
        facts["spans"], reasons_of(facts["truncated"]),
    )
