"""The C path's defences, each found by a review of _walk.c with a reproduction that failed.

Misuse must raise, not crash: a span past the pieces, a failed re-bind. Hostile pages must not
grow the caches without bound. Losing a private module of a dependency costs speed, not the
import.
"""

from __future__ import annotations

import sys

import pytest
import selectolax.lexbor

from linkscope import urls
from linkscope.extract import fastwalk, regions
from linkscope.extract.page import _anchor_and_context
from linkscope.extract.tree import meta_fact, own_signal

needs_fast = pytest.mark.skipif(not fastwalk.FAST, reason=f"no C walk: {fastwalk.why_slow}")


@needs_fast
def test_a_span_past_the_pieces_is_cut_not_overflowed() -> None:
    assert fastwalk.link_texts is not None
    # first + count overflowed and read before the list (a segmentation fault)
    got = fastwalk.link_texts(["a", "b"], 1, sys.maxsize, 300, 120)
    assert got == _anchor_and_context(["a", "b"], 1, sys.maxsize, 300, 120)


@needs_fast
def test_a_failed_bind_leaves_the_walk_unusable_not_broken() -> None:
    from linkscope.extract import _walk  # type: ignore[attr-defined]

    with pytest.raises(ImportError):  # this module exports no lexbor: the bind fails midway
        _walk.bind(_walk.__file__, fastwalk.tag_facts, own_signal, meta_fact)
    try:
        with pytest.raises(RuntimeError, match="not bound"):  # was a segmentation fault
            fastwalk.parse_tree("<p>x</p>")
    finally:
        _walk.bind(selectolax.lexbor.__file__, fastwalk.tag_facts, own_signal, meta_fact)
    assert fastwalk.parse_tree("<p>x</p>").tags[-1] == "p"


def test_huge_class_lists_are_not_cached() -> None:
    value = "widget " + "x" * 5000
    regions.signal_of_words(value)
    assert value not in regions._cache
    regions.signal_of_words("widget")
    assert "widget" in regions._cache


@needs_fast
def test_invented_tags_do_not_push_out_the_vocabulary() -> None:
    # a page with thousands of tags of its own fills the C cache of tag names; the common tags
    # were put there first, and giant names are never kept
    fastwalk.parse_tree("".join(f"<x-{k}>" for k in range(3000)) + f"<{'y' * 100_000}>")
    tree = fastwalk.parse_tree('<div class="sidebar"><a href="/a">a</a></div>')
    assert tree.tags[-2:] == ["div", "a"]
    assert tree.signals[-2] == regions.SIDEBAR


def test_resolution_without_adas_private_module(monkeypatch: pytest.MonkeyPatch) -> None:
    hrefs = ["/a b", "../x?q=1#f", "//other.test/p", "http://[::1]:80/", "http://a b/",
             "https://xn--nxasmq6b.test/", "\t/tab", "http://[::zz]/"]
    base = "http://site.test/dir/page.html"
    with_c_api = [urls.resolve_web(href, base) for href in hrefs]
    monkeypatch.setattr(urls, "_ada", None)  # as if ada_url had moved _ada_wrapper
    assert [urls.resolve_web(href, base) for href in hrefs] == with_c_api
