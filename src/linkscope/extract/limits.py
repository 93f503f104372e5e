"""Bounds on the work one page may cost, and the pre-scan that keeps lexbor's parse within them.

lexbor, like any HTML parser that follows the standard, has inputs whose cost grows with the
square of their size: each new attribute of an element is compared with every one it already
has (100,000 attributes on one tag: 34 s), and each new block element or unmatched end tag
looks down the whole stack of open elements (100,000 nested `<div>`: 10 s). Nothing can stop
lexbor once a parse call has started, so `bound_markup` reads the markup first, in one linear
pass that follows the tokenizer's states (tags, attributes and their quoting, comments, raw
text), and cuts what lies beyond the limits before the parser sees it:

- attributes of a start tag past `max_attributes` (for `<html>` and `<body>`, whose repeated
  tags add to one element, counted over all of them);
- depth past `max_depth`, by an estimate of the stack of open elements that counts the
  elements whose end tag is required: a start tag that would open an element deeper is made a
  sibling of the deepest open element instead of its child (an end tag for that element is put
  before it), as Blink caps the depth of its tree (at 512), so its text and links are kept;
- everything from the start tag past `max_elements` on.

A page within the limits is passed on as it is, the same object: ordinary pages are parsed
exactly as before. The tree pass then applies the same element and depth limits to the tree
lexbor built (which can be larger than the markup says), and a deadline, `time_budget` seconds
after extraction started, checked between chunks of the parse (C path) and during the walk.
What was cut is reported by reason (`attributes`, `depth`, `elements`, `time`): the Page
record's `truncated` and the counter `extract/truncated/<reason>`.

`_walk.c` holds the same pre-scan in C (`prescan`), tested equal to this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linkscope.settings import Settings

__all__ = ["ExtractLimits", "bound_markup", "DEFAULT_LIMITS"]


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    """How much one page may cost; 0 turns a limit off. Built from Settings (the knobs
    `extract_max_*` and `extract_time_budget`, documented there with their defaults)."""

    max_attributes: int
    max_depth: int
    max_elements: int
    time_budget: float  # seconds from the start of extract_page

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractLimits:
        return cls(settings.extract_max_attributes, settings.extract_max_depth,
                   settings.extract_max_elements, settings.extract_time_budget)


DEFAULT_LIMITS = ExtractLimits.from_settings(Settings())

_WS = "\t\n\f\r "
# One attribute as the tokenizer reads it: separators (whitespace, or a "/" not followed by
# ">"), a name (its first character may be "="), then optionally "=" and a value, double- or
# single-quoted (an unclosed quote runs to the end: the tag is then lost at the end of file,
# as in the tokenizer) or unquoted.
_ATTR = (r"[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r />=]*"
         r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"?|'[^']*'?|[^\t\n\f\r >]*))?""")
_ONE_ATTR = re.compile(_ATTR)
_ATTRS = re.compile(f"(?:{_ATTR})*")
_TRAILER = re.compile(r"[\t\n\f\r /]*")
_NAME_REST = re.compile(r"[^\t\n\f\r />]*")
_MARKUP = re.compile(r"<[!?/A-Za-z]")
_COMMENT_END = re.compile(r"--!?>")
_RAW_END: dict[str, re.Pattern[str]] = {}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(name: str) -> str:
    """ASCII letters lower-cased, as the tokenizer does (and as the C pre-scan can)."""
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)

# elements whose content is text, not markup (scripting is off: <noscript> is markup)
RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea",
                      "title", "plaintext"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
                  "meta", "param", "source", "track", "wbr", "basefont", "bgsound", "frame",
                  "image"})
# not counted in the depth: end tag optional (the parser closes them itself) or one per page
UNCOUNTED = frozenset({"html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr",
                       "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt",
                       "rp", "rtc"})
FOREIGN = frozenset({"svg", "math"})
MERGED = frozenset({"html", "body"})  # a repeated start tag adds its attributes to the first


def bound_markup(text: str, limits: ExtractLimits) -> tuple[str, frozenset[str]]:
    """`text` with what lies beyond the limits cut out, and the reasons; `text` itself (the
    same object) when nothing is."""
    max_attrs, max_depth, max_elements = (limits.max_attributes, limits.max_depth,
                                          limits.max_elements)
    if not (max_attrs or max_depth or max_elements):
        return text, frozenset()
    cuts: list[tuple[int, int, str]] = []  # (start, stop, insert): text[start:stop] -> insert
    reasons: set[str] = set()
    stack: list[str] = []  # counted open elements, by name
    open_count: dict[str, int] = {}
    merged_attrs = {"html": 0, "body": 0}
    foreign = elements = 0
    size = len(text)
    pos = 0
    while True:
        found = _MARKUP.search(text, pos)
        if found is None:
            break
        lt = found.start()
        second = text[lt + 1]
        if second == "!":
            if text.startswith("<!--", lt):
                if text.startswith(">", lt + 4):
                    pos = lt + 5
                elif text.startswith("->", lt + 4):
                    pos = lt + 6
                else:
                    end = _COMMENT_END.search(text, lt + 4)
                    pos = end.end() if end else size
            elif foreign and text.startswith("<![CDATA[", lt):
                end_at = text.find("]]>", lt + 9)
                pos = end_at + 3 if end_at >= 0 else size
            else:
                end_at = text.find(">", lt + 2)
                pos = end_at + 1 if end_at >= 0 else size
            continue
        if second == "?":
            end_at = text.find(">", lt + 2)
            pos = end_at + 1 if end_at >= 0 else size
            continue
        if second == "/":
            if lt + 2 >= size:
                break
            third = text[lt + 2]
            if third == ">":
                pos = lt + 3
                continue
            if not ("a" <= third.lower() <= "z" and third.isascii()):
                end_at = text.find(">", lt + 2)
                pos = end_at + 1 if end_at >= 0 else size
                continue
            name_end = _NAME_REST.match(text, lt + 3).end()  # type: ignore[union-attr]
            name = _lower(text[lt + 2:name_end])
            tail = _TRAILER.match(text, _ATTRS.match(text, name_end).end()).end()  # type: ignore[union-attr]
            pos = tail + 1 if tail < size else size
            if open_count.get(name, 0) > 0:
                while True:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top in FOREIGN:
                        foreign -= 1
                    if top == name:
                        break
            continue
        # a start tag
        name_end = _NAME_REST.match(text, lt + 2).end()  # type: ignore[union-attr]
        name = _lower(text[lt + 1:name_end])
        attrs_end = _ATTRS.match(text, name_end).end()  # type: ignore[union-attr]
        tail = _TRAILER.match(text, attrs_end).end()  # type: ignore[union-attr]
        if tail >= size:  # end of file inside the tag: the tokenizer drops it
            break
        tag_end = tail + 1
        self_closing = tail > attrs_end and text[tail - 1] == "/"
        if max_elements and elements >= max_elements:
            cuts.append((lt, size, ""))
            reasons.add("elements")
            break
        counted = name not in VOID and name not in UNCOUNTED and not (self_closing and foreign)
        if counted and max_depth and len(stack) >= max_depth:
            top = stack.pop()  # closed before this tag opens: depth stays at max_depth
            open_count[top] -= 1
            if top in FOREIGN:
                foreign -= 1
            cuts.append((lt, lt, f"</{top}>"))
            reasons.add("depth")
        elements += 1
        allowed = max_attrs - merged_attrs[name] if name in MERGED else max_attrs
        if max_attrs and (name in MERGED or attrs_end - name_end > 2 * allowed):
            kept = 0
            cut_from = name_end
            for attr in _ONE_ATTR.finditer(text, name_end, attrs_end):
                if kept == allowed:
                    cuts.append((cut_from, attrs_end, ""))
                    reasons.add("attributes")
                    break
                kept += 1
                cut_from = attr.end()
            if name in MERGED:
                merged_attrs[name] += kept
        if counted:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if name in FOREIGN:
                foreign += 1
        pos = tag_end
        if name in RAW_TEXT and not foreign:
            if name == "plaintext":
                break
            pattern = _RAW_END.get(name)
            if pattern is None:
                pattern = _RAW_END[name] = re.compile(f"</{name}[\t\n\f\r />]",
                                                      re.IGNORECASE | re.ASCII)
            end = pattern.search(text, pos)
            pos = end.start() if end else size
    if not cuts:
        return text, frozenset()
    pieces: list[str] = []
    kept_from = 0
    for start, stop, insert in cuts:
        pieces.append(text[kept_from:start])
        pieces.append(insert)
        kept_from = stop
    pieces.append(text[kept_from:])
    return "".join(pieces), frozenset(reasons)
