"""Nothing a page contains makes extraction raise: every real page we have, and random ones."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkscope.extract import extract_page
from linkscope.records import FetchedPage, LinkKind

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared test data absent: {DATA}")


def _html_files() -> Iterator[tuple[str, bytes]]:
    for path in sorted((DATA / "html").rglob("*")):
        if path.name.endswith((".html", ".htm")):
            yield str(path), path.read_bytes()
        elif path.name.endswith(".html.gz"):
            yield str(path), gzip.decompress(path.read_bytes())


def _warc_html_records() -> Iterator[tuple[str, FetchedPage]]:
    from warcio.archiveiterator import ArchiveIterator

    for path in sorted((DATA / "warc").rglob("*")):
        if not path.is_file() or path.suffix in (".txt", ".lz4") or "paths" in path.name:
            continue
        try:
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream, arc2warc=True):
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    headers = tuple(record.http_headers.headers)
                    status = int(record.http_headers.get_statuscode() or 0)
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    yield f"{path.name}:{url}", FetchedPage(url, status, headers,
                                                            record.content_stream().read())
        except Exception:  # a deliberately broken archive: the pages read so far still count
            continue


@needs_data
def test_no_real_page_makes_it_raise() -> None:
    pages = 0
    links = 0
    for name, body in _html_files():
        result = extract_page(FetchedPage("http://fakehost/test/page.html", 200, (), body))
        assert result.page.url, name
        pages += 1
        links += len(result.links)
    assert pages >= 300 and links > 10_000


@needs_data
def test_no_warc_html_record_makes_it_raise() -> None:
    seen = 0
    for name, fetched in _warc_html_records():
        result = extract_page(fetched)
        assert result.page.status == fetched.status, name
        seen += 1
    assert seen >= 50


_TAGS = st.sampled_from(["a", "div", "p", "table", "tr", "td", "nav", "footer", "base", "img",
                         "form", "iframe", "meta", "link", "area", "script", "li", "ul"])
_ATTRS = st.sampled_from(["href", "rel", "class", "id", "src", "alt", "action", "name",
                          "content", "http-equiv", "role", "charset"])
_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nofollow UGC", "refresh", "robots", "0;url=/x", "javascript:x()",
                     "\x00", "http://[::1", "//x", "\t\n", "data:,x", "footer", "canonical"]),
    st.text(min_size=2000, max_size=5000),  # huge attributes
)


@st.composite
def _markup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        choice = draw(st.integers(0, 3))
        tag = draw(_TAGS)
        if choice == 0:
            attrs = " ".join(f'{draw(_ATTRS)}="{draw(_VALUES)}"' for _ in range(draw(
                st.integers(0, 3))))
            parts.append(f"<{tag} {attrs}>")  # often never closed
        elif choice == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.text(max_size=40)))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup(), st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis"]),
       st.binary(max_size=40))
def test_random_markup_never_raises(markup: str, encoding: str, noise: bytes) -> None:
    body = markup.encode(encoding, "replace") + noise
    for content_type in ("text/html", f"text/html; charset={encoding}", "text/html; charset=xx"):
        headers = (("Content-Type", content_type),)
        result = extract_page(FetchedPage("http://a.test/p", 200, headers, body))
        for link in result.links:
            assert link.target.startswith(("http://", "https://"))
            assert "#" not in link.target
        texts = [link for link in result.links if link.kind in (LinkKind.TEXT, LinkKind.IMAGE)]
        assert result.page.outlinks == len(texts)


def test_nested_links_and_links_around_tables() -> None:
    body = (b'<a href="/outer">out <a href="/inner">in</a> tail</a>'
            b'<a href="/table"><table><tr><td>cell</td></tr></table></a>'
            b'<a href="/open">never closed')
    result = extract_page(FetchedPage("http://a.test/", 200, (), body))
    targets = [link.target for link in result.links]
    assert targets[:2] == ["http://a.test/outer", "http://a.test/inner"]
    assert "http://a.test/open" in targets


@given(st.binary(max_size=300))
def test_random_bytes_never_raise(body: bytes) -> None:
    extract_page(FetchedPage("http://a.test/", 200, (), body))
