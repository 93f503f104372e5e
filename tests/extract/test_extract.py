"""extract_page on small hand-made pages: one test per pitfall real crawlers fell into."""

from __future__ import annotations

from linkscope.extract import ANCHOR_LIMIT, extract_page
from linkscope.extract.charset import decode_body
from linkscope.records import FetchedPage, Link, LinkKind, Placement

URL = "http://site.test/dir/page.html"


def run(body: str | bytes, *, url: str = URL, status: int = 200,
        headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html"),)):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return extract_page(FetchedPage(url, status, headers, data))


def texts(body: str, **kw) -> list[Link]:
    return [link for link in run(body, **kw).links if link.kind in (LinkKind.TEXT, LinkKind.IMAGE)]


def test_only_the_first_base_counts_and_a_relative_base_is_resolved() -> None:
    links = texts('<head><base href="../other/"><base href="http://elsewhere.test/"></head>'
                  '<a href="x.html">x</a>')
    assert [link.target for link in links] == ["http://site.test/other/x.html"]


def test_a_base_that_is_not_http_is_ignored() -> None:
    links = texts('<base href="javascript:void(0)"><a href="x">x</a>')
    assert links[0].target == "http://site.test/dir/x"


def test_rel_is_a_case_insensitive_token_set() -> None:
    links = texts('<a href="/a" rel=" NoFollow\tnoopener ">a</a>'
                  '<a href="/b" rel="nofollower">b</a>')
    assert links[0].rel == frozenset({"nofollow", "noopener"})
    assert not links[0].follow
    assert links[1].follow


def test_ugc_and_sponsored_are_not_followed() -> None:
    links = texts('<a href="/a" rel="UGC">a</a><a href="/b" rel="sponsored">b</a>'
                  '<a href="/c" rel="noopener">c</a>')
    assert [link.follow for link in links] == [False, False, True]


def test_page_nofollow_from_meta_robots_and_header() -> None:
    meta = run('<meta name="ROBOTS" content="noindex, NOFOLLOW"><a href="/a">a</a>')
    assert meta.page.noindex and meta.page.nofollow
    assert not meta.links[0].follow
    header = run('<a href="/a">a</a>', headers=(("X-Robots-Tag", "googlebot: nofollow"),))
    assert header.page.nofollow and not header.links[0].follow


def test_non_web_schemes_are_skipped_and_counted() -> None:
    result = run('<a href="javascript:go()">j</a><a href=" MAILTO:a@b.test">m</a>'
                 '<a href="tel:+100">t</a><a href="data:text/html,hi">d</a>'
                 '<a href="ftp://x.test/">f</a><a href="gopher://x">g</a>'
                 '<a href="http://[bad/">u</a><a href="">e</a><a href="/ok">ok</a>')
    assert [link.target for link in result.links] == ["http://site.test/ok"]
    assert result.skipped == {
        "extract/skipped/javascript": 1, "extract/skipped/mailto": 1, "extract/skipped/tel": 1,
        "extract/skipped/data": 1, "extract/skipped/ftp": 1, "extract/skipped/scheme": 1,
        "extract/skipped/unparsable": 1, "extract/skipped/empty": 1,
    }


def test_whitespace_and_control_characters_in_hrefs_are_stripped() -> None:
    links = texts('<a href="\n\t /a\tb\nc \x01">x</a><a href="java\nscript:x()">j</a>')
    assert [link.target for link in links] == ["http://site.test/abc"]


def test_targets_are_normalized() -> None:
    links = texts('<a href="HTTP://Other.TEST:80/Path?b=1&a=2#frag">x</a>')
    assert links[0].target == "http://other.test/Path?b=1&a=2"


def test_kinds_of_links() -> None:
    result = run(
        '<html><head><link rel="Canonical" href="/canon"><link rel="alternate" hreflang="de" '
        'href="/de/"><link rel="stylesheet" href="/s.css">'
        '<meta http-equiv="refresh" content="0; URL=\'/moved\'"></head><body>'
        '<a href="/pic"><img src="p.png" alt="A  picture"></a><map><area href="/area" alt="x">'
        '</map><iframe src="/frame"></iframe><form action="/search"></form></body></html>')
    kinds = {link.kind: link.target for link in result.links}
    assert kinds == {
        LinkKind.CANONICAL: "http://site.test/canon", LinkKind.ALTERNATE: "http://site.test/de/",
        LinkKind.REDIRECT: "http://site.test/moved", LinkKind.IMAGE: "http://site.test/pic",
        LinkKind.TEXT: "http://site.test/area", LinkKind.FRAME: "http://site.test/frame",
        LinkKind.FORM: "http://site.test/search",
    }
    image = next(link for link in result.links if link.kind == LinkKind.IMAGE)
    assert image.anchor == "A picture"
    assert result.page.canonical == "http://site.test/canon"
    assert result.page.redirect_to == "http://site.test/moved"
    assert [link.position for link in result.links] == list(range(len(result.links)))


def test_http_redirect_is_a_link() -> None:
    result = run(b"", status=301, headers=(("Location", "/new#x"),))
    assert result.page.redirect_to == "http://site.test/new"
    assert [(link.kind, link.target) for link in result.links] == [
        (LinkKind.REDIRECT, "http://site.test/new")]


def test_anchor_is_collapsed_and_capped_and_context_surrounds_it() -> None:
    long = "word " * 200
    links = texts(f'<p>Before the link <a href="/a">  two\n\n words </a> after it.</p>'
                  f'<p><a href="/b">{long}</a></p>')
    assert links[0].anchor == "two words"
    assert "Before the link" in links[0].context and "after it." in links[0].context
    assert len(links[1].anchor) == ANCHOR_LIMIT


def test_page_record() -> None:
    result = run('<html lang="de-AT"><head><title> The  title </title></head>'
                 '<body><p>one two three</p></body></html>',
                 url="https://www.Example.co.uk:443/a")
    page = result.page
    assert (page.url, page.host, page.domain) == (
        "https://www.example.co.uk/a", "www.example.co.uk", "example.co.uk")
    assert (page.language, page.title, page.word_count) == ("de-AT", "The title", 3)
    headers = (("Content-Type", "text/html"), ("Content-Language", "fr, en"))
    assert run("<p>x</p>", headers=headers).page.language == "fr"


def test_charset_header_beats_meta_beats_detection() -> None:
    text = "<meta charset='windows-1251'><p>Привет, мир — café</p>"
    cp1251 = text.encode("cp1251", "replace")
    assert decode_body(cp1251, "text/html; charset=KOI8-R")[1] == "koi8-r"
    assert decode_body(cp1251, "text/html")[1] == "cp1251"
    assert "Привет" in decode_body(cp1251, "text/html")[0]
    plain = "<p>Привет, мир, как дела? Всё хорошо, спасибо.</p>".encode("cp1251")
    assert "Привет" in decode_body(plain * 20, None)[0]
    assert decode_body("<p>é</p>".encode(), None)[1] == "utf-8"


def test_bad_bytes_are_replaced_not_fatal() -> None:
    result = run(b"<p>ok \xff\xfe\x00 <a href='/a\x00b'>x\x00</a></p>",
                 headers=(("Content-Type", "text/html; charset=utf-8"),))
    assert result.page.charset == "utf-8"
    assert len(result.links) == 1


def test_placement_of_a_semantic_page() -> None:
    prose = "This is a sentence of the article, with commas, about things. " * 5
    links = texts(
        '<body><header><a href="/">Home</a></header><nav><a href="/n1">N1</a></nav>'
        f'<main><p>{prose}<a href="/in">in the text</a>{prose}</p>'
        '<div class="comments"><p>Great post, thanks! <a href="/c">me</a></p></div></main>'
        '<aside><a href="/s">side</a></aside><footer><a href="/f">f</a></footer></body>')
    assert [link.placement for link in links] == [
        Placement.HEADER, Placement.NAV, Placement.CONTENT, Placement.COMMENT,
        Placement.SIDEBAR, Placement.FOOTER]


def test_placement_of_a_div_page() -> None:
    prose = "A long paragraph of real prose, with commas, and more words in it. " * 6
    links = texts(
        '<body><div id="top"><div class="menu"><a href="/1">One</a><a href="/2">Two</a></div>'
        f'</div><div class="wrap"><div class="entry-content"><p>{prose}<a href="/t">t</a></p>'
        f'<p>{prose}</p></div><div class="widget"><a href="/w">w</a></div></div>'
        '<div id="footer-bottom"><a href="/f">f</a></div></body>')
    assert [link.placement for link in links] == [
        Placement.NAV, Placement.NAV, Placement.CONTENT, Placement.SIDEBAR, Placement.FOOTER]


def test_site_repeats_make_content_links_boilerplate() -> None:
    prose = "Prose with commas, words and more words, for a while. " * 6
    body = f'<body><div><p>{prose}<a href="/sub">Subscribe now</a> {prose}</p></div></body>'
    assert texts(body)[0].placement == Placement.CONTENT
    repeated = {("http://site.test/sub", "Subscribe now")}
    fetched = FetchedPage(URL, 200, (), body.encode())
    assert extract_page(fetched, site_repeats=repeated).links[0].placement != Placement.CONTENT
