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


def _whatwg_cases() -> list[dict[str, str]]:
    """Every test case of the standard's file (its string entries are section comments)."""
    if not CONFORMANCE.is_dir():
        return []
    cases = json.loads((CONFORMANCE / "urltestdata.json").read_text(encoding="utf-8"))
    return [case for case in cases if isinstance(case, dict)]


@needs_data
def test_every_whatwg_case() -> None:
    """All of the standard's cases, with a base or without, any scheme: 100%, not most.
    (Leading C0 controls before a scheme and a NUL in an opaque host once failed.)"""
    cases = _whatwg_cases()
    assert len(cases) >= 800
    wrong = []
    for case in cases:
        expected = None if case.get("failure") else case["href"]
        got = resolve(case["input"], case.get("base"))
        if got != expected:
            wrong.append((case["input"], case.get("base"), got, expected))
    assert wrong == [], f"{len(cases) - len(wrong)}/{len(cases)} pass"


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("\x00\x1b\x04\x12 http://example.com/\x1f \r ", None, "http://example.com/"),
        ("sc://a\x00b/", None, None),  # NUL is a forbidden host code point, opaque hosts too
        ("http://a\x00b/", None, None),
        ("/p\x00q?r\x00s#t\x00u\x00", "http://a.test/", "http://a.test/p%00q?r%00s#t%00u"),
        ("sc:a\x00b", None, "sc:a%00b"),
    ],
)
def test_nul_and_c0_controls_as_the_standard_says(href: str, base: str | None,
                                                  expected: str | None) -> None:
    assert resolve(href, base) == expected


_PSL_LINE = re.compile(r"checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);")


@needs_data
def test_every_psl_official_case() -> None:
    cases = []
    for line in (CONFORMANCE / "psl-official-tests.txt").read_text(encoding="utf-8").splitlines():
        match = _PSL_LINE.match(line.strip())
        if match:
            host, expected = (None if g == "null" else g[1:-1] for g in match.groups())
            cases.append((host, expected))
    lines = (CONFORMANCE / "psl-official-tests.txt").read_text(encoding="utf-8").splitlines()
    assert len(cases) == sum(line.startswith("checkPublicSuffix(") for line in lines) >= 70
    wrong = [(h, registrable_domain(h), e) for h, e in cases if registrable_domain(h) != e]
    assert wrong == [], f"{len(cases) - len(wrong)}/{len(cases)} pass"


def test_the_suffix_list_holds_the_rules_the_package_reads() -> None:
    """linkscope reads publicsuffixlist's file its own faster way: the rules it ends with,
    punycode spellings included, are those of the package's own reader."""
    from publicsuffixlist import PublicSuffixList

    from linkscope.urls import _suffix_list

    ours, theirs = _suffix_list(), PublicSuffixList()
    assert ours._publicsuffix == theirs._publicsuffix
    assert ours._maxlabel == theirs._maxlabel
    host = "shop.example.xn--55qx5d.xn--j6w193g"  # under a rule that is not ASCII
    assert ours.privatesuffix(host) == theirs.privatesuffix(host) == host.split(".", 1)[1]


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
