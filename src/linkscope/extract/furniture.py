"""The furniture of a post and of its comments, told apart from the article's text.

Once placement has labelled the page, these passes move links that sit inside the content or
inside a comment thread but are not what the article or a commenter wrote:

- a list of other stories under a title that says so ("Related posts") is SIDEBAR;
- page numbers ("Pages: 2 3 4") are NAV;
- a link that blog software marks rel=tag or rel=category is NAV, rel=author SIDEBAR;
- a run of similar blocks, each opening with a short line that holds a date (the author and
  the date of a comment) and going on with prose, is a comment thread: COMMENT, whatever its
  class names (`comment_runs`);
- the buttons that comment software repeats on every comment ("Reply", "Report") are SIDEBAR.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import compress, count

from linkscope.extract.regions import COMMENT, CONTENT, FOOTER, HEADER, NAV, SIDEBAR
from linkscope.extract.tree import Tree

# a link list links to several pages: a card that links one product or story from its title,
# its picture and its button links one href and stays in the text around it
LIST_TARGETS = 3
# What a link's rel says of it, where blog software marks it (microformats): "tag" and
# "category" link the site's taxonomy (a tag cloud, "Filed under"), "author" the byline.
_REL_REGION = {"tag": NAV, "category": NAV, "author": SIDEBAR}
# The title that blog and news software puts over a list of other stories
RELATED_TITLE = re.compile(
    r"(?:related|similar|recommended)\s+(?:posts?|articles?|stories|reads?|links?|news|entries"
    r"|content|coverage)\b|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)"
    r"|^related\s*:?$",
    re.IGNORECASE)
# each title that RELATED_TITLE finds holds one of these (lower case): a page whose content
# holds none is not searched piece by piece
RELATED_WORDS = ("related", "similar", "recommended", "you may", "you might")
RELATED_TITLE_SIZE = 60  # characters: a longer text is a sentence that says so, not a title
PAGER_TEXT = 20  # characters outside links in a block of page numbers
# comment links with one anchor to this many hrefs are the comment software's buttons
CONTROL_REPEATS = 3
# A date as a comment's header line writes it: "July 3, 2012", "3 July 2012", "2012-07-03",
# "07/03/2012", "03.07.2012", the year in full (a month and a year alone is an archive link,
# not a date line)
DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+(?:19|20)\d\d\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"\.?,?\s+(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d\b",
    re.IGNORECASE)
HEAD_LINE = 80  # characters of the text piece that holds a comment's date
HEAD_PIECES = 4  # the date is among the first pieces of text of a comment
THREAD_PROSE = 40  # characters of text outside links that each comment of a run holds
THREAD_DEPTH = 6  # levels above a date line where the run's blocks may be
# a block that opens with a longer link opens with a story's title (a list of teasers with
# their dates), not with a commenter's name
AUTHOR_SIZE = 30


class Anchors:
    """The <a>/<area> links of a page by element, to count the targets a block links to
    (gathered on the first question: most pages ask none)."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.elements: list[int] = []
        self.hrefs: list[str] = []
        self.ready = False

    def distinct_targets(self, start: int, stop: int) -> int:
        """How many different hrefs the links of elements start..stop have (counted up to
        LIST_TARGETS)."""
        if not self.ready:
            for kind, element, href, _rel, _alt in self.tree.links:
                if kind == "a" or kind == "area":
                    self.elements.append(element)
                    self.hrefs.append(href.strip())
            self.ready = True
        lo = bisect_left(self.elements, start)
        hi = bisect_right(self.elements, stop)
        seen: set[str] = set()
        for k in range(lo, hi):
            seen.add(self.hrefs[k])
            if len(seen) >= LIST_TARGETS:
                break
        return len(seen)


class PageText:
    """Where the text pieces of a stretch of elements lie. The pieces come in document order,
    so those owned inside elements first..last lie between the first piece owned at or after
    `first` and the first one owned past `last` (interleaved with pieces of their ancestors,
    which the caller skips); both are found by a scan that runs in C."""

    def __init__(self, owners: list[int]) -> None:
        self.owners = owners

    def span(self, first: int, last: int) -> range:
        owners = self.owners
        start = next(compress(count(), map(first.__le__, owners)), len(owners))
        stop = next(compress(count(start), map(last.__lt__, owners[start:])), len(owners))
        return range(start, stop)

    def short(self, texts: list[str], first: int, last: int, size: int) -> Iterator[int]:
        """The pieces of `span(first, last)` of at most `size` characters (sifted in C: most
        pieces of an article are longer)."""
        pieces = self.span(first, last)
        lengths = map(len, texts[pieces.start:pieces.stop])
        return compress(pieces, map((size + 1).__gt__, lengths))


def link_spans(tree: Tree) -> dict[int, tuple[int, int]]:
    """<a>/<area> element -> (its first text piece, its number of pieces): the C walk's
    `spans`, else computed as page._anchor_texts does."""
    if tree.spans is not None:
        return tree.spans
    spans: dict[int, tuple[int, int]] = {}
    for k, link in enumerate(tree.text_link):
        if link >= 0:
            first, count = spans.get(link, (k, 0))
            spans[link] = (first, count + 1)
    tree.spans = spans
    return spans


def related_lists(tree: Tree, text: PageText, label: list[int], first: int, last: int,
                  end: list[int], total: list[int], linked: list[int]) -> None:
    """A list of other stories inside the content, under a title that says so ("Related
    posts", "You might also like"), is SIDEBAR: the smallest block around the title that holds
    links to LIST_TARGETS different hrefs, when at least a quarter of its text is in links."""
    parents, tags, texts = tree.parents, tree.tags, tree.texts
    owners, links = tree.text_owner, tree.text_link
    anchors: Anchors | None = None
    done = -1
    pieces = text.span(first, last)
    words = "\n".join(texts[pieces.start:pieces.stop]).lower()
    if not any(word in words for word in RELATED_WORDS):
        return
    for k in text.short(texts, first, last, RELATED_TITLE_SIZE * 2):
        owner = owners[k]
        if links[k] >= 0 or owner < first or owner <= done or label[owner] != CONTENT:
            continue
        title = texts[k].strip()
        if len(title) > RELATED_TITLE_SIZE or not RELATED_TITLE.search(title):
            continue
        if anchors is None:
            anchors = Anchors(tree)
        block = owner
        while block >= 0 and label[block] == CONTENT and tags[block] not in ("body", "html"):
            if total[block] > RELATED_TITLE_SIZE * 40:
                break  # the title's block has grown into the article
            if anchors.distinct_targets(block, end[block]) >= LIST_TARGETS:
                if linked[block] * 4 >= total[block]:
                    label[block:end[block] + 1] = [
                        SIDEBAR if code == CONTENT else code
                        for code in label[block:end[block] + 1]]
                    done = end[block]
                break
            block = parents[block]


def page_numbers(tree: Tree, label: list[int], total: list[int], linked: list[int]) -> None:
    """Links in the content whose whole text is a page number ("2", "3"...), two or more in a
    block of little else (PAGER_TEXT characters outside links: "Pages:", "Next"), are the
    pages of a split article or thread: NAV. (Footnote numbers sit in prose.)"""
    numbered: dict[int, list[int]] = {}
    texts, parents = tree.texts, tree.parents
    for link, (piece, pieces) in link_spans(tree).items():
        if pieces == 1 and label[link] == CONTENT:
            word = texts[piece].strip()
            if word.isdigit() and len(word) <= 3:
                numbered.setdefault(parents[link], []).append(link)
    for block, numbers in numbered.items():
        if len(numbers) >= 2 and total[block] - linked[block] <= PAGER_TEXT:
            for link in numbers:
                label[link] = NAV


def rel_region(rel: str) -> int:
    """The region a content link's rel puts it in (CONTENT when no token says one)."""
    for token in rel.lower().split():
        region = _REL_REGION.get(token)
        if region is not None:
            return region
    return CONTENT


def comment_controls(tree: Tree, label: list[int]) -> None:
    """The buttons that comment software repeats on every comment ("Reply", "Report",
    "permalink", "Delete") are not links that commenters posted: a link in a comment whose
    anchor text recurs on CONTROL_REPEATS comment links to as many different hrefs is SIDEBAR.
    A commenter's name linked on each of their comments links one href and stays."""
    comment_links = {element: href.strip() for kind, element, href, _rel, _alt in tree.links
                     if (kind == "a" or kind == "area") and label[element] == COMMENT}
    if len(comment_links) < CONTROL_REPEATS:
        return
    spans = link_spans(tree)
    hrefs: dict[str, set[str]] = {}
    anchor_of: dict[int, str] = {}
    for element, href in comment_links.items():
        piece, pieces = spans.get(element, (0, 0))
        if pieces:
            anchor = " ".join("".join(tree.texts[piece:piece + pieces]).split()).lower()
            anchor_of[element] = anchor
            hrefs.setdefault(anchor, set()).add(href)
    for element, anchor in anchor_of.items():
        if len(hrefs[anchor]) >= CONTROL_REPEATS:
            label[element] = SIDEBAR




def comment_runs(tree: Tree, text: PageText, label: list[int], article_end: int,
                 end: list[int], total: list[int], linked: list[int]) -> None:
    """A comment thread found by its structure: two or more sibling blocks of one tag, each
    opening with a short line that holds a date (among its first HEAD_PIECES pieces of text,
    the piece at most HEAD_LINE characters), not with a link longer than a name (a story's
    title: teasers have dates too), each holding THREAD_PROSE characters of text outside
    links and more text outside links than in them. They must lie after the article's body
    (`article_end` is the last element of the content's largest block: a thread beside the
    article can score as content too) and be labelled CONTENT, HEADER or FOOTER, not by a
    name that says NAV or SIDEBAR; they become COMMENT with all they hold. The closest such
    run above each date line counts."""
    texts, owners, parents, tags = tree.texts, tree.text_owner, tree.parents, tree.tags
    heads: list[int] = [k for k in text.short(texts, article_end + 1, len(tags), HEAD_LINE * 2)
                        if owners[k] > article_end
                        and ("20" in texts[k] or "19" in texts[k])  # a year, cheaply
                        and len(texts[k].strip()) <= HEAD_LINE and DATE.search(texts[k])]
    if len(heads) < 2:
        return
    # per candidate parent: the children that hold a date line near their start
    runs: dict[int, set[int]] = {}
    for k in heads:
        child = owners[k]
        ancestor = parents[child]
        for _ in range(THREAD_DEPTH):
            if ancestor < 0 or tags[ancestor] in ("body", "html"):
                break
            opening = _opening(texts, owners, k, child, end)
            if opening >= 0 and not (tree.text_link[opening] >= 0
                                     and len(texts[opening].strip()) > AUTHOR_SIZE):
                runs.setdefault(ancestor, set()).add(child)
            child, ancestor = ancestor, parents[ancestor]
    marked = -1
    for ancestor in sorted(runs, reverse=True):  # the closest run first: deeper means later
        children = sorted(runs[ancestor])
        if len(children) < 2 or children[0] <= marked <= end[children[-1]]:
            continue
        if len({tags[c] for c in children}) != 1:
            continue
        if any(total[c] - linked[c] < THREAD_PROSE or linked[c] * 2 > total[c]
               or label[c] not in (CONTENT, HEADER, FOOTER) for c in children):
            continue
        for c in children:
            label[c:end[c] + 1] = [COMMENT if code in (CONTENT, HEADER, FOOTER) else code
                                   for code in label[c:end[c] + 1]]
        marked = children[0]


def _opening(texts: list[str], owners: list[int], k: int, block: int, end: list[int]) -> int:
    """The first piece of text inside `block` when text piece k is among its first HEAD_PIECES
    pieces, else -1."""
    j = k
    while j > 0 and block <= owners[j - 1] <= end[block]:
        j -= 1
        if k - j >= HEAD_PIECES:
            return -1
    return j
