"""Extraction's limits (limits.py): hostile markup costs bounded work, on both paths; ordinary
pages are parsed as they came.

No test here times anything: each asserts on the work done (what the parser was given, how
many elements the tree holds) and on the page's `truncated` reasons and counters. The inputs
that took tens of seconds before the limits (100,000 attributes on one tag: 34 s; 100,000
nested elements: 10 s) are used as they are, because bounded they take milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkscope.extract import DEFAULT_LIMITS, ExtractLimits, extract_page, fastwalk
from linkscope.extract.charset import decode_body
from linkscope.extract.limits import _ONE_ATTR, bound_markup
from linkscope.records import FetchedPage
from linkscope.settings import Settings
from tests.extract.test_robustness import _html_files, needs_data

needs_fast = pytest.mark.skipif(not fastwalk.FAST, reason=f"no C walk: {fastwalk.why_slow}")


@contextmanager
def python_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Extraction with the C steps switched off, as when the extension cannot load."""
    with monkeypatch.context() as patch:
        for name in ("_walk_page", "link_texts", "resolve_plain", "is_utf8", "new_link"):
            patch.setattr(fastwalk, name, None)
        yield


def both_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the body of a loop once on the C path (when it loads) and once on Python's."""
    if fastwalk.FAST:
        yield "c"
    with python_path(monkeypatch):
        yield "python"


def page(html: str, limits: ExtractLimits = DEFAULT_LIMITS) -> tuple[list[str], tuple[str, ...],
                                                                   dict[str, int]]:
    result = extract_page(FetchedPage("http://site.test/", 200, (), html.encode()),
                          limits=limits)
    return [link.target for link in result.links], result.page.truncated, dict(result.skipped)


def attributes_of_first_div(html: str) -> int:
    start = html.index("<div") + 4
    return sum(1 for _ in _ONE_ATTR.finditer(html, start, html.index(">", start)))


def test_100000_attributes_on_one_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    html = ("<div " + " ".join(f"a{k}=x" for k in range(100_000)) +
            "><a href=/kept>kept</a></div>")
    bounded, why = bound_markup(html, DEFAULT_LIMITS)
    assert why == {"attributes"}
    assert attributes_of_first_div(bounded) == DEFAULT_LIMITS.max_attributes == 512
    for _ in both_paths(monkeypatch):
        assert page(html) == (["http://site.test/kept"], ("attributes",),
                              {"extract/truncated/attributes": 1})


def test_repeated_html_and_body_tags_add_to_one_element(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second <html> or <body> tag gives its attributes to the first: counted together."""
    html = "".join(f"<html a{k}=x><body b{k}=y>" for k in range(50_000)) + "<a href=/b>b</a>"
    bounded, why = bound_markup(html, DEFAULT_LIMITS)
    assert why == {"attributes"}
    assert bounded.count("=x") == bounded.count("=y") == 512
    for _ in both_paths(monkeypatch):
        assert page(html)[:2] == (["http://site.test/b"], ("attributes",))


def depth_of(parents: list[int]) -> int:
    depth = [0] * len(parents)
    for i, parent in enumerate(parents):
        depth[i] = depth[parent] + 1 if parent >= 0 else 0
    return max(depth, default=0)


@pytest.mark.parametrize("opening", ["<div>", "<span>", "<ul><li>", "<section><p>", "<svg><g>",
                                     "<div/>", "<table><tr><td><div>"])
def test_100000_nested_elements(opening: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deeper than 512, a start tag opens a sibling of the deepest element instead (as Blink
    caps its tree): its text and links are kept, the parser's stack stays bounded."""
    html = opening * (100_000 // opening.count("<")) + "<a href=/deep>deep</a>"
    for _ in both_paths(monkeypatch):
        tree = fastwalk.parse_tree(html)
        assert tree.truncated == {"depth"}
        assert depth_of(tree.parents) <= 4 * 512 + 3  # the uncounted <tr>, <td>... of a table
        assert len(tree.tags) >= 100_000  # every element is still there, flatter
        assert page(html)[:2] == (["http://site.test/deep"], ("depth",))


def test_unmatched_end_tags_under_deep_nesting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unmatched end tag makes the parser look down its whole stack: bounded by the
    depth too."""
    html = "<span>" * 50_000 + "</div>" * 50_000 + "<a href=/x>x</a>"
    bounded, why = bound_markup(html, DEFAULT_LIMITS)
    assert why == {"depth"}
    assert bounded.count("<span>") - bounded.count("</span>") <= 512  # open at the end
    for _ in both_paths(monkeypatch):
        assert page(html)[:2] == (["http://site.test/x"], ("depth",))


def test_elements_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = replace(DEFAULT_LIMITS, max_elements=100)
    html = "".join(f"<p><a href=/{k}>{k}</a></p>" for k in range(1000))
    for _ in both_paths(monkeypatch):
        targets, truncated, counters = page(html, limits)
        assert truncated == ("elements",) and counters == {"extract/truncated/elements": 1}
        assert targets == [f"http://site.test/{k}" for k in range(len(targets))]
        assert len(fastwalk.parse_tree(html, limits).tags) <= 100
        assert 40 <= len(targets) < 50  # html, head, body, then a <p> and an <a> a link


@needs_fast
def test_elements_the_parser_makes_past_the_markup_are_counted_too() -> None:
    """Formatting elements are made again after each block: more elements than tags."""
    html = "<div>" + "".join(f"<b id={k}>" for k in range(300)) + "</div>" + "<div>x</div>" * 300
    limits = replace(DEFAULT_LIMITS, max_elements=5000)
    assert bound_markup(html, limits)[1] == frozenset()  # 601 tags: the markup is within
    tree = fastwalk.parse_tree(html, limits)
    assert tree.truncated == {"elements"} and len(tree.tags) == 5000


def test_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A budget spent before the first check: the C parse stops after its first chunk, and
    both walks at their first check (every 4096 nodes); the page is kept, truncated."""
    html = "".join(f"<p><a href=/{k}>link {k}</a></p>" for k in range(5000))  # 150 KB
    limits = replace(DEFAULT_LIMITS, time_budget=1e-9)
    for _ in both_paths(monkeypatch):
        targets, truncated, counters = page(html, limits)
        assert truncated == ("time",) and counters == {"extract/truncated/time": 1}
        assert len(targets) < 5000
        assert len(page(html)[0]) == 5000  # the default budget reads it all


def test_limits_come_from_settings() -> None:
    settings = Settings.load({"LINKSCOPE_EXTRACT_MAX_ATTRIBUTES": "8",
                              "LINKSCOPE_EXTRACT_MAX_DEPTH": "0",
                              "LINKSCOPE_EXTRACT_MAX_ELEMENTS": "99",
                              "LINKSCOPE_EXTRACT_TIME_BUDGET": "0.5"})
    assert ExtractLimits.from_settings(settings) == ExtractLimits(8, 0, 99, 0.5)
    assert ExtractLimits.from_settings(Settings()) == DEFAULT_LIMITS


def test_no_limits_is_no_cut() -> None:
    html = "<div>" * 1000 + "<i " + "a " * 1000 + ">"
    assert bound_markup(html, ExtractLimits(0, 0, 0, 0)) == (html, frozenset())


@needs_data
def test_real_pages_are_not_touched() -> None:
    """On every real page of ../shared/data/html nothing is cut: the parser gets the very
    markup it got before the limits (the same object), and no page is marked truncated."""
    count = 0
    for name, body in _html_files():
        text, _ = decode_body(body, None)
        assert bound_markup(text, DEFAULT_LIMITS)[0] is text, name
        if fastwalk.FAST:
            from linkscope.extract import _walk  # type: ignore[attr-defined]

            data = text.encode("utf-8", "replace")
            assert _walk.prescan(data, DEFAULT_LIMITS.max_attributes, DEFAULT_LIMITS.max_depth,
                                 DEFAULT_LIMITS.max_elements) == (None, 0), name
        result = extract_page(FetchedPage("http://fakehost/test/page.html", 200, (), body))
        assert result.page.truncated == (), name
        assert not any("truncated" in key for key in result.skipped), name
        count += 1
    assert count >= 311


# ---- the C pre-scan is the Python one ----

_NAMES = st.sampled_from(["div", "DIV", "span", "p", "li", "ul", "a", "b", "svg", "math", "g",
                          "script", "style", "textarea", "title", "plaintext", "html", "body",
                          "br", "img", "x-y", "ſcript", "İ", "table", "td"])
_ATTRS = st.lists(st.sampled_from(["a", "b=1", 'c="x y"', "d='q'", 'e="open', "=f", "/", "g=>",
                                   "h = i", "K=\u00e9", '"j"']), max_size=8)


@st.composite
def _markup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 9))
        name = draw(_NAMES)
        if kind <= 4:
            attrs = draw(_ATTRS)
            close = draw(st.sampled_from([">", "/>", " >", "", " / >"]))
            parts.append(f"<{name}{' ' if attrs else ''}{' '.join(attrs)}{close}")
        elif kind <= 6:
            parts.append(f"</{name}{draw(st.sampled_from(['>', ' x=1>', '']))}")
        else:
            parts.append(draw(st.sampled_from([
                "text", "<!-- c -->", "<!-->", "<!--->", "<!-- --!>", "<!doctype html>",
                "<?pi>", "</>", "</ 1>", "<![CDATA[ <b> ]]>", "<", "a<b", "\u00e9", "\n",
                "<!--", "'", '"'])))
    return "".join(parts)


@needs_fast
@settings(max_examples=400, deadline=None)
@given(_markup(), st.integers(0, 4), st.integers(0, 4), st.integers(0, 12))
def test_c_prescan_is_python_prescan(markup: str, attrs: int, depth: int,
                                     elements: int) -> None:
    from linkscope.extract import _walk

    limits = ExtractLimits(attrs, depth, elements, 0)
    text, why = bound_markup(markup, limits)
    data, bits = _walk.prescan(markup.encode(), attrs, depth, elements)
    assert fastwalk.reasons_of(bits) == why
    assert (data is None) == (text is markup)
    if data is not None:
        assert data.decode() == text


@needs_fast
@settings(max_examples=150, deadline=None)
@given(_markup(), st.integers(1, 4), st.integers(1, 4), st.integers(1, 12))
def test_both_paths_give_the_same_tree_within_limits(markup: str, attrs: int, depth: int,
                                                     elements: int) -> None:
    limits = ExtractLimits(attrs, depth, elements, 0)
    fast = fastwalk.parse_tree(markup, limits)
    slow = fastwalk.parse_tree_python(markup, limits)
    assert (fast.tags, fast.parents, fast.texts, fast.links, fast.truncated) == (
        slow.tags, slow.parents, slow.texts, slow.links, slow.truncated)
