"""linkscope.urls: WHATWG resolution, normalization rules, registrable domain, reversed host."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkscope.urls import (
    clean_href,
    href_scheme,
    normalize,
    registrable_domain,
    resolve,
    reversed_host,
)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CONFORMANCE = DATA / "conformance"
needs_data = pytest.mark.skipif(
    not CONFORMANCE.is_dir(), reason=f"shared test data absent: {CONFORMANCE}"
)


def _whatwg_http_cases() -> list[dict[str, str]]:
    if not CONFORMANCE.is_dir():
        return []
    cases = json.loads((CONFORMANCE / "urltestdata.json").read_text(encoding="utf-8"))
    chosen = []
    for case in cases:
        if not isinstance(case, dict) or not case.get("base"):
            continue
        web_result = str(case.get("href", "")).startswith(("http:", "https:"))
        web_failure = case.get("failure") and case["base"].startswith(("http:", "https:"))
        if web_result or web_failure:
            chosen.append(case)
    return chosen


@needs_data
def test_every_whatwg_http_case_with_a_base() -> None:
    cases = _whatwg_http_cases()
    assert len(cases) >= 150
    wrong = []
    for case in cases:
        expected = None if case.get("failure") else case["href"]
        got = resolve(case["input"], case["base"])
        if got != expected:
            wrong.append((case["input"], case["base"], got, expected))
    assert wrong == []


_PSL_LINE = re.compile(r"checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);")


@needs_data
def test_every_psl_official_case() -> None:
    cases = []
    for line in (CONFORMANCE / "psl-official-tests.txt").read_text(encoding="utf-8").splitlines():
        match = _PSL_LINE.match(line.strip())
        if match:
            host, expected = (None if g == "null" else g[1:-1] for g in match.groups())
            cases.append((host, expected))
    assert len(cases) >= 70
    assert [(h, registrable_domain(h)) for h, _ in cases] == cases


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.alpha.test", "alpha.test"),  # PSL default rule "*"
        ("name.blogspot.com", "name.blogspot.com"),  # private suffix: its own site
        ("a.b.example.co.uk", "example.co.uk"),
        ("WWW.Example.COM", "example.com"),
        ("com", None),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "[::1]"),
        ("", None),
    ],
)
def test_registrable_domain(host: str, domain: str | None) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a#frag", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/", "https://example.com:8443/"),
        ("http://example.com/dir/", "http://example.com/dir/"),
        ("http://example.com/dir", "http://example.com/dir"),
        ("http://example.com/?b=2&a=1", "http://example.com/?b=2&a=1"),
        ("http://user:pw@example.com/", "http://example.com/"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("mailto:someone@example.com", None),
        ("ftp://example.com/", None),
        ("not a url", None),
    ],
)
def test_normalize(url: str, expected: str | None) -> None:
    assert normalize(url) == expected


def test_clean_href_strips_like_a_browser() -> None:
    assert clean_href(" \t\x01/a\tb\nc\r\x1f ") == "/abc"
    cleaned = clean_href("\n  java\tscript:alert(1)")
    assert resolve(cleaned, "http://x.test/") == "javascript:alert(1)"


@pytest.mark.parametrize(
    ("href", "scheme"),
    [("JavaScript:void(0)", "javascript"), ("mailto:a@b", "mailto"), ("/a:b", None),
     ("a/b:c", None), ("HTTPS://x", "https"), ("tel:+1", "tel")],
)
def test_href_scheme(href: str, scheme: str | None) -> None:
    assert href_scheme(href) == scheme


def test_reversed_host() -> None:
    assert reversed_host("www.example.com") == "com.example.www"
    assert reversed_host("localhost") == "localhost"


@given(st.text(), st.sampled_from(["http://a.test/b/c", "https://x.test/", None]))
def test_resolve_and_normalize_never_raise(href: str, base: str | None) -> None:
    resolved = resolve(href, base)
    if resolved is not None:
        normalized = normalize(resolved)
        assert normalized is None or "#" not in normalized
