"""Regions outside the main content that name themselves nowhere: told apart by their structure.

Pages built of anonymous `<div>`s say nothing of their header, menus, sidebars or comments but
their structure. Once the main content is known, the blocks around it (the siblings of the
content and of its ancestors) that no tag, role or class has labelled are judged as wholes:

- after the content, a block of list items that are mostly prose (each with some text that is
  not a link) holds **comments** (one such item is enough when the block is not the last);
- a link-dense block with headings over its lists is a set of **widgets** (a sidebar), unless it
  is the last block of the page with links, which is the footer (a "fat footer" has headed link
  lists too);
- a link-dense list without headings is a **menu** before the content, and a footer after it;
  a list here is a list element, or links one a line (`<br>`) or one a table row, as table
  layouts wrote their menu cells;
- anything else is **header** before the content and **footer** after it.

Inside a block judged a header, a list of links (the site's menu inside its masthead) is nav.
"""

from __future__ import annotations

from linkscope.extract.regions import COMMENT, FOOTER, HEADER, NAV, NONE, SIDEBAR
from linkscope.extract.tree import Tree

# a table's header cell over links titles a widget as a heading does
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "th"})
_LISTS = frozenset({"ul", "ol", "dl", "menu"})
PROSE_ITEM = 40  # characters of text outside links that make a list item prose
LINK_DENSE = 0.5  # share of a block's text in links above which it is a link block


def label_surroundings(tree: Tree, label: list[int], first: int, last: int, end: list[int],
                       total: list[int], linked: list[int]) -> None:
    """Give every unlabelled element outside the main content [first, last] its region."""
    parents, tags = tree.parents, tree.tags
    n = len(tags)
    roots: list[int] = []
    i = 0
    while i < n:
        if i == first:  # nothing inside the content qualifies
            i = last + 1
            continue
        if i < first and end[i] >= last:  # an ancestor of the content: its children may qualify
            i += 1
            continue
        # any other element lies wholly before or after the content, and so does its subtree,
        # where no element's parent is an ancestor of the content: it is the only candidate
        p = parents[i]
        if label[i] == NONE and (p < 0 or (p <= first and end[p] >= last)):
            roots.append(i)
        i = end[i] + 1
    final = -1  # the last block after the content that holds a link
    for r in reversed(roots):
        if r <= last:
            break
        if linked[r] or "a" in tags[r:end[r] + 1]:
            final = r
            break
    for r in roots:
        region = _judge(tree, r, end[r], r > last, r == final, total, linked)
        label[r:end[r] + 1] = [code or region for code in label[r:end[r] + 1]]  # NONE is 0
        if region == HEADER:
            _menus_in(tree, r, end[r], end, label, total, linked)


def _judge(tree: Tree, start: int, stop: int, after: bool, final: bool, total: list[int],
           linked: list[int]) -> int:
    """The region of one unlabelled block start..stop; each count is taken, over the block's
    tags with list methods, only when a rule needs it."""
    tags, parents = tree.tags, tree.parents
    sub = tags[start:stop + 1]
    if after:
        items = sub.count("li")
        prose = 0
        k = -1
        for _ in range(items):
            k = sub.index("li", k + 1)
            if parents[start + k] >= 0 and total[start + k] - linked[start + k] >= PROSE_ITEM:
                prose += 1
        if prose * 2 >= items and (prose >= 2 or (prose == 1 and not final)):
            return COMMENT
    dense = total[start] > 0 and linked[start] / total[start] > LINK_DENSE
    if dense and sub.count("a") >= 3 and (any(tag in sub for tag in _LISTS)
                                          or sub.count("br") >= 2 or sub.count("tr") >= 3):
        headings = any(tag in sub for tag in _HEADINGS)
        if headings and not final:
            return SIDEBAR
        if not headings:
            return FOOTER if after else NAV
    return FOOTER if after else HEADER


def _menus_in(tree: Tree, start: int, stop: int, end: list[int], label: list[int],
              total: list[int], linked: list[int]) -> None:
    """Inside a header block, a list of three or more links is the site's menu."""
    tags = tree.tags
    k = start
    while k <= stop:
        if (tags[k] in _LISTS and total[k] and linked[k] / total[k] > 0.7
                and sum(1 for j in range(k, end[k] + 1) if tags[j] == "a") >= 3):
            for j in range(k, end[k] + 1):
                if label[j] == HEADER:
                    label[j] = NAV
            k = end[k] + 1
            continue
        k += 1
