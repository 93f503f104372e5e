"""Placement: which region of its page each element (and so each link) sits in.

Works on the flat arrays of `tree.Tree`, in passes over them and no DOM access:

1. bottom-up: text length, link-text length and commas per element; text is credited to the
   nearest block element (inline tags such as <a>, <em>, <span> pass it up);
2. own signals, less the boilerplate names of layout wrappers that hold most of the page;
3. main content: every block with enough text scores like a paragraph (more for length and
   commas) and passes its score to its parent, grandparent and great-grandparent, scaled down;
   an element's final score is that sum, times one minus its link density, plus or minus a
   bonus for what its tag, role, class and id say. The best element climbs to the ancestor
   that gathers an article split over many blocks; it and those of its siblings that score
   close to it are the main content;
4. top-down: each element inherits its parent's region; the main content opens CONTENT; an
   element's own signal (a footer, a nav, a "related" or "comments" block) overrides; inside
   the content a link list (most of its text in links, to three or more hrefs) becomes
   boilerplate, and so does a share button anywhere. Elements that end up in no region are
   judged by their structure (layout.py), else HEADER before the main content and FOOTER
   after it.

See docs/extraction.md for the method and the figures.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from linkscope.extract.furniture import (
    LIST_TARGETS,
    Anchors,
    PageText,
    comment_controls,
    comment_runs,
    page_numbers,
    rel_region,
    related_lists,
)
from linkscope.extract.layout import label_surroundings
from linkscope.extract.regions import (
    COMMENT,
    CONTENT,
    FOOTER,
    HEADER,
    NAV,
    NONE,
    SHARE_TARGET,
    SIDEBAR,
    TAG_SIGNAL,
    TOOL_TARGET,
)
from linkscope.extract.tree import Tree, subtree_ends

INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font",
                    "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
                    "sup", "time", "u", "var", "label", "img", "br", "wbr", "del", "ins",
                    "strike", "tt", "big", "nobr"})
_TAG_BONUS = {"div": 5.0, "article": 10.0, "main": 10.0, "section": 3.0, "pre": 3.0, "td": 3.0,
              "blockquote": 3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "li": -3.0, "form": -3.0,
              "h1": -5.0, "h2": -5.0, "h3": -5.0, "h4": -5.0, "h5": -5.0, "h6": -5.0,
              "th": -5.0, "body": -10.0, "html": -20.0}
# blocks that can be a link list inside the content (a span of links is not: a citation)
_LIST_TAGS = frozenset({"ul", "ol", "dl", "div", "section", "table", "tbody", "nav", "aside",
                        "p", "footer", "header", "menu", "figure", "details", "center"})
_BOILER = frozenset({HEADER, NAV, SIDEBAR, FOOTER, COMMENT})
# compute_placement relies on the codes' order: NONE is 0, boilerplate is what lies above CONTENT
assert NONE == 0 and frozenset(range(CONTENT + 1, COMMENT + 1)) == _BOILER
_LAYOUT_PRONE = frozenset({HEADER, NAV, SIDEBAR, FOOTER})  # comments can outweigh an article
WRAPPER_LINKS = 0.4  # share of its text in links under which a big named block is a wrapper
MIN_UNIT = 25  # characters of text a block needs to score as a paragraph
MIN_CELL = 150  # a table cell scores only when it holds prose, not a datum or a label
_CELLS = frozenset({"td", "th"})


def _block_stats(tree: Tree) -> tuple[list[int], list[int], list[int], list[int]]:
    """Per element: total text, link text and commas (whole subtree), own block text."""
    n = len(tree.tags)
    tags, parents = tree.tags, tree.parents
    total = [0] * n
    linked = [0] * n
    commas = [0] * n
    block = [0] * n
    block_of = list(range(n))
    for i in range(1, n):
        p = parents[i]
        if p >= 0 and tags[i] in INLINE:
            block_of[i] = block_of[p]
    for text, owner, link in zip(tree.texts, tree.text_owner, tree.text_link, strict=True):
        size = len(text.strip())
        total[owner] += size
        if link >= 0:
            linked[owner] += size
        commas[owner] += text.count(",")
        block[block_of[owner]] += size
    for i in range(n - 1, 0, -1):
        p = parents[i]
        if p >= 0:
            total[p] += total[i]
            linked[p] += linked[i]
            commas[p] += commas[i]
    return total, linked, commas, block


def _layout_signals(tree: Tree, total: list[int], linked: list[int],
                    end: list[int]) -> list[int]:
    """The elements' own signals, less the boilerplate names of layout wrappers.

    A class or id can name a page's layout rather than a region ("l-side-margins",
    "pg-rail-tall__wrapper"): an element so named that holds most of the page's text, little of
    it in links, is the page itself, not a sidebar or a header. Tags and comment names are kept.
    Only the few elements that hold half of the page's text are visited: the others' subtrees
    are skipped whole.
    """
    signals = tree.signals
    half = (total[0] + 1) // 2 if total else 0
    if not half:
        return signals
    changed: list[int] | None = None
    i, n = 0, len(signals)
    while i < n:
        if total[i] < half:
            i = end[i] + 1
            continue
        signal = signals[i]
        if (signal in _LAYOUT_PRONE and linked[i] < total[i] * WRAPPER_LINKS
                and TAG_SIGNAL.get(tree.tags[i]) != signal):
            if changed is None:
                changed = list(signals)
            changed[i] = NONE
        i += 1
    return signals if changed is None else changed


def _in_boilerplate(n: int, end: list[int], owners: list[int]) -> list[bool]:
    """Whether each element is, or sits inside, an element whose own signal is boilerplate
    (`owners`, in document order)."""
    inside = [False] * n
    for i in owners:
        if not inside[i]:  # its subtree is i .. end[i]
            inside[i:end[i] + 1] = [True] * (end[i] + 1 - i)
    return inside


def _carry_labels(tree: Tree, signals: list[int], roots: list[int], owners: list[int],
                  end: list[int], total: list[int], linked: list[int]) -> list[int]:
    """Labels top-down: each element takes its parent's label; the main content's roots open
    CONTENT; an own boilerplate signal overrides; inside the content a link list (a list, div,
    table or paragraph with over 60% of its text in links, more than 20 characters of link text,
    under 150 characters of other text, and links to LIST_TARGETS different hrefs) becomes
    SIDEBAR. Only those elements change anything, so only they are visited, in
    document order, each setting its whole subtree i..end[i]: when one is reached, its own label
    still holds its parent's, and a deeper one comes later and sets its own subtree again."""
    tags = tree.tags
    label = [NONE] * len(tags)
    is_root = set(roots)
    anchors = Anchors(tree)
    # link-dense blocks inside the roots' subtrees (the only place where a link list changes a
    # label); whether they link LIST_TARGETS hrefs is asked only of those that inherit CONTENT
    span = range(min(roots), max(end[r] for r in roots) + 1) if roots else range(0)
    link_lists = {i for i in span
                  if linked[i] > 20 and tags[i] in _LIST_TAGS
                  and linked[i] / total[i] > 0.6 and total[i] - linked[i] < 150}
    for i in sorted({*owners, *is_root, *link_lists}):
        code = signals[i]
        if code not in _BOILER:
            inherited = CONTENT if i in is_root else label[i]
            code = inherited
            if (inherited == CONTENT and i in link_lists
                    and anchors.distinct_targets(i, end[i]) >= LIST_TARGETS):
                code = SIDEBAR
            if code == label[i]:
                continue
        label[i:end[i] + 1] = [code] * (end[i] + 1 - i)
    return label


def _main_content(tree: Tree, signals: list[int], total: list[int], linked: list[int],
                  commas: list[int], block: list[int], boiler: list[bool],
                  end: list[int]) -> list[int]:
    """The elements that make up the main content (the best one and its close siblings)."""
    n = len(tree.tags)
    parents, tags = tree.parents, tree.tags
    score = [0.0] * n
    scored: set[int] = set()
    units: list[int] = []  # the paragraphs (scoring blocks), in document order
    unit_text = [0]  # running total of their own text
    for i in [k for k, size in enumerate(block) if size >= MIN_UNIT]:
        size = block[i]
        if boiler[i] or (tags[i] in _CELLS and size < MIN_CELL):
            continue
        if total[i] and linked[i] / total[i] > 0.5:
            continue
        units.append(i)
        unit_text.append(unit_text[-1] + size)
        unit = 1.0 + min(commas[i], 10) + min(size / 100.0, 3.0)
        ancestor, share = parents[i], 1.0
        for level in range(3):
            if ancestor < 0:
                break
            score[ancestor] += unit * share
            scored.add(ancestor)
            ancestor = parents[ancestor]
            share = 0.5 if level == 0 else 1.0 / 6.0
    best, best_score = -1, 0.0
    final = [0.0] * n
    for i in sorted(scored):  # in document order
        bonus = _TAG_BONUS.get(tags[i], 0.0)
        if signals[i] == CONTENT:
            bonus += 25.0
        elif signals[i] in _BOILER:
            bonus -= 25.0
        density = linked[i] / total[i] if total[i] else 0.0
        value = (score[i] + bonus) * (1.0 - density)
        final[i] = value
        if value > best_score:
            best, best_score = i, value
    if best < 0:
        return []
    best = _climb(tree, best, final, score, end)
    best = _gather(tree, best, _Prose(units, unit_text, end), total, linked)
    best_score = max(final[best], best_score)
    chosen = [best]
    parent = parents[best]
    if parent >= 0:
        threshold = max(10.0, best_score * 0.2)
        i = parent + 1  # the parent's children: each next one follows the last one's subtree
        while i <= end[parent]:
            density = linked[i] / total[i] if total[i] else 1.0
            if i != best and (final[i] >= threshold
                              or (tags[i] == "p" and total[i] > 80 and density < 0.25)):
                chosen.append(i)
            i = end[i] + 1
    return sorted(chosen)


class _Prose:
    """Paragraph text inside an element: the paragraphs' running total over a subtree's range."""

    def __init__(self, units: list[int], running: list[int], end: list[int]) -> None:
        self.units, self.running, self.end = units, running, end

    def __getitem__(self, i: int) -> int:
        lo = bisect_left(self.units, i)
        hi = bisect_right(self.units, self.end[i])
        return self.running[hi] - self.running[lo]


def _gather(tree: Tree, best: int, prose: _Prose, total: list[int],
            linked: list[int]) -> int:
    """Move up to the ancestor that gathers an article split over many blocks (one per section,
    or between ads): the highest one whose text beyond the best element's is at least 80%
    paragraphs and half as much again as the best element's, with under a fifth of its text in
    links."""
    parents, tags = tree.parents, tree.tags
    found = best
    prose_best = prose[best]
    ancestor = parents[best]
    while ancestor >= 0 and tags[ancestor] not in ("body", "html"):
        added = prose[ancestor] - prose_best
        if (added * 2 >= prose_best and added >= (total[ancestor] - total[best]) * 0.8
                and linked[ancestor] * 5 < total[ancestor]):
            found = ancestor
        ancestor = parents[ancestor]
    return found


def _climb(tree: Tree, best: int, final: list[float], score: list[float],
           end: list[int]) -> int:
    """Move up from the best element while that loses nothing: through wrappers with one child,
    and to an ancestor that scores higher (the content was split over several blocks)."""
    parents, tags = tree.parents, tree.tags
    stop = ("body", "html")
    # A table body wins when many rows score: a data table, which is part of an article, not
    # the article (a layout table's prose sits in one cell, which wins instead).
    table = parents[best] if tags[best] in ("tbody", "thead", "tr") else best
    if tags[table] == "tr":
        table = parents[parents[table]] if parents[table] >= 0 else table
    if tags[table] == "table" and parents[table] >= 0 and tags[parents[table]] not in stop:
        best = parents[table]
    # an only child is its parent's first child, and its subtree ends where its parent's does
    while (parents[best] >= 0 and tags[parents[best]] not in stop
           and best == parents[best] + 1 and end[best] == end[parents[best]]):
        best = parents[best]
    last = final[best]
    floor = last / 3.0
    ancestor = parents[best]
    while ancestor >= 0 and tags[ancestor] not in stop:
        if score[ancestor] < floor:
            break
        if final[ancestor] > last:
            best = ancestor
            break
        last = final[ancestor]
        ancestor = parents[ancestor]
    return best


def _heading_block(tree: Tree) -> int:
    """The content of a page with no prose (a contact page, a link directory): the block that
    holds the first <h1>, when that is not the body; else the body."""
    tags, parents = tree.tags, tree.parents
    body = tags.index("body") if "body" in tags else 0
    if "h1" in tags:
        block = parents[tags.index("h1")]
        if block > body and tags[block] not in ("body", "html"):
            return block
    return body


def _tool_words(href: str) -> bool:
    """Whether a (lower-case) href holds a word that TOOL_TARGET looks for: most do not, and
    these substring tests cost less than the pattern."""
    return ("feed" in href or "trackback" in href or "rss" in href or "atom" in href
            or "print" in href or "email" in href or "disqus" in href)


def compute_placement(tree: Tree) -> tuple[list[int], int, int]:
    """The region code of every element, and the first and last element of the main content."""
    n = len(tree.tags)
    if n == 0:
        return [], 0, 0
    total, linked, commas, block = tree.stats or _block_stats(tree)
    end = tree.ends or subtree_ends(tree.parents)
    signals = _layout_signals(tree, total, linked, end)
    # the boilerplate codes are those above CONTENT (an int comparison beats a set look-up)
    owners = [i for i, signal in enumerate(signals) if signal > CONTENT]
    boiler = _in_boilerplate(n, end, owners)
    roots = _main_content(tree, signals, total, linked, commas, block, boiler, end)
    if not roots:  # no prose anywhere: the main heading's block, else the whole body
        roots = [_heading_block(tree)]
    first = roots[0]
    last = end[roots[-1]]
    # CONTENT comes only from the roots, so only [first, last] holds it
    label = _carry_labels(tree, signals, roots, owners, end, total, linked)
    share, tool = SHARE_TARGET.match, TOOL_TARGET.search
    for kind, element, href, rel, _alt in tree.links:
        if label[element] == CONTENT and (kind == "a" or kind == "area"):
            target = href.strip()
            if share(target) or (_tool_words(target.lower()) and tool(target)):
                label[element] = SIDEBAR  # a share button or a post's tool, wherever it sits
            elif rel:
                label[element] = rel_region(rel)
    text = PageText(tree.text_owner)
    related_lists(tree, text, label, first, last, end, total, linked)
    page_numbers(tree, label, total, linked)
    label_surroundings(tree, label, first, last, end, total, linked)
    body_end = end[max(roots, key=lambda root: total[root])]  # the article's own block
    comment_runs(tree, text, label, body_end, end, total, linked)
    comment_controls(tree, label)
    # what is still unlabelled is header before the content and footer after it
    label[:first] = [code or HEADER for code in label[:first]]  # NONE is 0
    label[first:] = [code or FOOTER for code in label[first:]]
    return label, first, last
