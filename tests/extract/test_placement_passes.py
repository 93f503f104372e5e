"""placement's range-based passes equal the element-by-element loops they replaced, on random
trees (the loops are kept here as the reference)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linkscope.extract.placement import (
    _BOILER,
    _LIST_TAGS,
    LIST_TARGETS,
    _carry_labels,
    _in_boilerplate,
)
from linkscope.extract.regions import CONTENT, NONE, SIDEBAR
from linkscope.extract.tree import RawLink, Tree, subtree_ends


def _reference_inside(tree: Tree) -> list[bool]:
    inside = [signal in _BOILER for signal in tree.signals]
    for i in range(len(inside)):
        if not inside[i] and tree.parents[i] >= 0 and inside[tree.parents[i]]:
            inside[i] = True
    return inside


def _reference_labels(tree: Tree, roots: set[int], total: list[int],
                      linked: list[int]) -> list[int]:
    end = subtree_ends(tree.parents)
    label = [NONE] * len(tree.tags)
    for i in range(len(tree.tags)):
        p = tree.parents[i]
        inherited = label[p] if p >= 0 else NONE
        own = tree.signals[i]
        if i in roots:
            inherited = CONTENT
        if own in _BOILER:
            inherited = own
        elif inherited == CONTENT and tree.tags[i] in _LIST_TAGS and total[i]:
            plain = total[i] - linked[i]
            hrefs = {href for _, element, href, _, _ in tree.links if i <= element <= end[i]}
            if (linked[i] / total[i] > 0.6 and plain < 150 and linked[i] > 20
                    and len(hrefs) >= LIST_TARGETS):
                inherited = SIDEBAR
        label[i] = inherited
    return label


@st.composite
def _trees(draw: st.DrawFn) -> tuple[Tree, list[int], list[int], list[int]]:
    n = draw(st.integers(1, 40))
    parents = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    # document order: a child comes after its parent and after the subtrees of earlier siblings
    order: list[int] = []
    children: dict[int, list[int]] = {}
    for i in range(1, n):
        children.setdefault(parents[i], []).append(i)
    stack = [0]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(children.get(node, [])))
    index = {node: k for k, node in enumerate(order)}
    tree = Tree(
        tags=[draw(st.sampled_from(["div", "ul", "p", "span", "a", "li"])) for _ in order],
        parents=[index[parents[node]] if parents[node] >= 0 else -1 for node in order],
        signals=[draw(st.integers(0, 6)) for _ in order],
    )
    links: list[RawLink] = [("a", k, draw(st.sampled_from(["/a", "/b", "/c", "/d"])), None, None)
                            for k, tag in enumerate(tree.tags) if tag == "a"]
    tree.links = links
    linked = [draw(st.integers(0, 200)) for _ in order]
    total = [size + draw(st.integers(0, 200)) for size in linked]
    roots = sorted(draw(st.sets(st.integers(0, n - 1), max_size=3)))
    return tree, roots, total, linked


@settings(max_examples=500, deadline=None)
@given(_trees())
def test_range_passes_equal_the_element_loops(
        case: tuple[Tree, list[int], list[int], list[int]]) -> None:
    tree, roots, total, linked = case
    end = subtree_ends(tree.parents)
    owners = [i for i, signal in enumerate(tree.signals) if signal in _BOILER]
    assert _in_boilerplate(len(tree.tags), end, owners) == _reference_inside(tree)
    assert _carry_labels(tree, tree.signals, roots, owners, end, total, linked) == \
        _reference_labels(tree, set(roots), total, linked)
