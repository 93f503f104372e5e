"""The C tree pass (fastwalk, _walk.c) gives exactly what the pure-Python pass gives.

Compared on every real page and WARC record we have, on generated malformed markup, and end to
end: the Page and Link records of extract_page are the same on both paths.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkscope.extract import extract_page, fastwalk
from linkscope.extract.charset import decode_body
from linkscope.extract.page import _anchor_and_context, _anchor_texts, _Resolver
from linkscope.extract.placement import _block_stats
from linkscope.extract.tree import Tree, subtree_ends
from linkscope.records import FetchedPage, Link, LinkKind, Placement
from tests.extract.test_robustness import (
    DATA,
    _html_files,
    _markup,
    _warc_html_records,
    needs_data,
)

needs_fast = pytest.mark.skipif(not fastwalk.FAST, reason=f"no C walk: {fastwalk.why_slow}")


def _assert_same_tree(text: str, name: str = "") -> None:
    fast = fastwalk.parse_tree(text)
    slow = fastwalk.parse_tree_python(text)
    for field in ("tags", "parents", "signals", "texts", "text_owner", "text_link", "links",
                  "base_href", "robots", "lang", "title"):
        assert getattr(fast, field) == getattr(slow, field), f"{name}: {field}"
    assert fast.ends == subtree_ends(slow.parents), name
    assert fast.stats == _block_stats(slow), name
    assert fast.words == len(" ".join(slow.texts).split()), name
    assert fast.spans == _anchor_texts(slow), name


def _page_text(body: bytes, content_type: str | None = None) -> str:
    text, _ = decode_body(body, content_type)
    return text.replace("\x00", "\ufffd")


def _extract_both(fetched: FetchedPage, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = extract_page(fetched)
    with monkeypatch.context() as patch:
        patch.setattr(fastwalk, "_walk_page", None)
        patch.setattr(fastwalk, "link_texts", None)
        patch.setattr(fastwalk, "resolve_plain", None)
        patch.setattr(fastwalk, "is_utf8", None)
        patch.setattr(fastwalk, "new_link", None)
        slow = extract_page(fetched)
    assert fast == slow, fetched.url


@needs_fast
def test_probe_pages() -> None:
    pages = [
        "",
        "<title>a <b>b</b></title>",
        "<svg><title>icon</title></svg><title>page</title>",
        "<html lang=''><svg><html xml:lang=de lang=fr></html></svg>",
        "<a href>empty</a><a href=''>blank</a><a>no href</a><area href=/m alt=''>",
        "<div class='a b' class=c id=x role=' Navigation '>d</div><p id=content>p</p>",
        "<a href=/i><img alt=first><img alt=second></a><a href=/j><img></a>",
        "<form action=' \u00a0'></form><form action=/f></form><iframe src=' '></iframe>",
        "<meta name=ROBOTS content='noindex'><meta http-equiv=refresh content='0; url=/r'>",
        "<head><noscript><img src=p.gif></noscript><link rel=canonical href=/a></head>",
        "<base href=/b1><base href=/b2><table><a href=/t>t</a><tr><td>x, y</td></tr></table>",
        "<p>\u2003 \u00a0</p><p>\x1c</p><p>word\u3000word, more</p><script>no, text</script>",
        "<template><a href=/in-template>x</a></template><!-- <a href=/comment> -->",
        "<math><mi>x</mi></math><custom-element class=nav>c</custom-element>",
        "\ud800<a href=/surrogate>s</a>",
    ]
    for text in pages:
        _assert_same_tree(text, repr(text))


@needs_fast
def test_past_the_c_caches() -> None:
    """More distinct tag names than the name cache keeps, more distinct class names than the
    signal cache keeps before it starts over, and deep nesting."""
    names = "".join(f"<x-tag{k} class=nav>{k}</x-tag{k}>" for k in range(3000))
    classes = "".join(f'<div class="footer c{k}" id=i{k}><a href=/{k}>{k}</a></div>'
                      for k in range(34000))
    deep = "<div>" * 5000 + "<a href=/deep>deep</a>" + "</div>" * 5000
    for text in (names, classes, deep, names):
        _assert_same_tree(text, text[:40])


@needs_fast
@needs_data
def test_real_pages_give_the_same_tree() -> None:
    seen = 0
    for name, body in _html_files():
        _assert_same_tree(_page_text(body), name)
        seen += 1
    assert seen >= 300


@needs_fast
@needs_data
def test_warc_records_give_the_same_tree() -> None:
    seen = 0
    for name, fetched in _warc_html_records():
        _assert_same_tree(_page_text(fetched.body, fetched.header("content-type")), name)
        seen += 1
    assert seen >= 50


@needs_fast
@needs_data
def test_real_pages_give_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    for _name, body in _html_files():
        _extract_both(FetchedPage("http://fakehost/test/page.html", 200, (), body), monkeypatch)
    for _name, fetched in _warc_html_records():
        _extract_both(fetched, monkeypatch)


@needs_fast
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup(), st.text(max_size=60))
def test_random_markup_gives_the_same_tree(markup: str, noise: str) -> None:
    _assert_same_tree((markup + noise).replace("\x00", "\ufffd"))


_PIECES = st.lists(st.text(alphabet=st.sampled_from(list("ab ,\t\n\u00a0\u2003\x1cé€😀")),
                            min_size=1, max_size=12), max_size=12)


@needs_fast
@settings(max_examples=500, deadline=None)
@given(_PIECES, st.integers(0, 12), st.integers(0, 5), st.integers(0, 20), st.integers(0, 20))
def test_link_texts_in_c_match_python(pieces: list[str], first: int, count: int,
                                      anchor_limit: int, context_limit: int) -> None:
    first = min(first, len(pieces))
    count = min(count, len(pieces) - first)
    assert fastwalk.link_texts is not None
    assert fastwalk.link_texts(pieces, first, count, anchor_limit, context_limit) == \
        _anchor_and_context(pieces, first, count, anchor_limit, context_limit)


def _assert_plain_resolution(hrefs: list[str], base: str) -> int:
    """Every target resolve_plain claims is the one _Resolver.target gives; how many it claimed."""
    assert fastwalk.resolve_plain is not None
    claimed = 0
    for href, target in zip(hrefs, fastwalk.resolve_plain(hrefs, base), strict=True):
        if target is not None:
            assert target == _Resolver(base, Counter()).target(href), (href, base)
            claimed += 1
    return claimed


@needs_fast
@needs_data
def test_plain_resolution_matches_python_on_real_hrefs() -> None:
    claimed = total = 0
    for _name, body in _html_files():
        hrefs = [raw[2] for raw in fastwalk.parse_tree(_page_text(body)).links]
        claimed += _assert_plain_resolution(hrefs, "http://fakehost/test/page.html")
        total += len(hrefs)
    assert claimed > total * 0.7  # most real hrefs are plain


@needs_fast
@needs_data
def test_plain_resolution_matches_python_on_whatwg_cases() -> None:
    cases = json.loads((DATA / "conformance" / "urltestdata.json").read_text())
    bases = {case["base"] for case in cases if isinstance(case, dict) and case.get("base")}
    hrefs = [case["input"] for case in cases if isinstance(case, dict)]
    for base in sorted(bases):
        if base.startswith(("http://", "https://")):
            _assert_plain_resolution(hrefs, base)


_HREF_PARTS = st.sampled_from(list("aZ09:/?#@.%-+[]\\ ;=&~\t")) | st.sampled_from(
    ["http:", "HTTPS://", "//", "../", "mailto:", "h@x", "x:80", "[::1]", "\u00e9"])


@given(st.lists(st.lists(_HREF_PARTS, max_size=8).map("".join), max_size=10),
       st.sampled_from(["http://a.test/b/c?d", "https://x.y:8443/", "http://[::1]/p/"]))
@needs_fast
@settings(max_examples=500, deadline=None)
def test_plain_resolution_matches_python_on_generated_hrefs(hrefs: list[str], base: str) -> None:
    _assert_plain_resolution(hrefs, base)


@needs_fast
def test_link_texts_of_huge_pieces() -> None:
    pieces = ["x " * 100_000, "é" * 70_000, "y", " z" * 50_000]
    assert fastwalk.link_texts is not None
    for first in range(4):
        for limit in (0, 120, 300_000):
            assert fastwalk.link_texts(pieces, first, 1, limit, limit) == \
                _anchor_and_context(pieces, first, 1, limit, limit)


@needs_fast
@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=20).map(str.encode), st.binary(max_size=3),
       st.integers(0, 40))
def test_is_utf8_is_pythons_strict_decode(data: bytes, splice: bytes, at: int) -> None:
    for candidate in (data, data[:at] + splice + data[at:], data[:at]):
        try:
            candidate.decode("utf-8")
            valid = True
        except UnicodeDecodeError:
            valid = False
        assert fastwalk.is_utf8 is not None
        assert fastwalk.is_utf8(candidate) == valid, candidate


@needs_fast
def test_bodies_taken_as_bytes_or_decoded_give_the_same_records(
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = '<p>caf\u00e9 <a href="/x">\u00fcber</a></p>'.encode()
    bodies = [
        (page, None), (page.replace(b"caf", b"c\x00f"), None), (b"\xef\xbb\xbf" + page, None),
        (page, "text/html; charset=utf-8"), (page, "text/html; charset=latin-1"),
        (page + b"\xff", None), (page + b"\xff", "text/html; charset=utf-8"),
        (b'<meta charset="windows-1252">' + page, None), (b"<meta charset=utf8>" + page, None),
        (b"plain ascii <a href=/y>y</a>", None), (b"\x00" * 10, None), (b"", None),
    ]
    for body, content_type in bodies:
        headers = (("Content-Type", content_type),) if content_type else ()
        _extract_both(FetchedPage("http://a.test/p", 200, headers, body), monkeypatch)


@needs_fast
def test_links_built_in_c_are_links() -> None:
    assert fastwalk.new_link is not None
    values = ("http://a.test/", "http://b.test/x", "", "", frozenset(), True, Placement.CONTENT,
              LinkKind.TEXT, 0)
    made = fastwalk.new_link(*values)
    assert type(made) is Link and made == Link(*values) and hash(made) == hash(Link(*values))
    assert made.nofollow is False and dataclasses.astuple(made) == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.anchor = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        fastwalk.new_link(*values[:-1])


def test_python_path_fills_no_fast_fields() -> None:
    tree = fastwalk.parse_tree_python("<p>x</p>")
    assert tree.ends is None and tree.stats is None and tree.words is None and tree.spans is None
    assert Tree().title is None
