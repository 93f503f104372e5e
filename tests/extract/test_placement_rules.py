"""Placement rules learned from real pages, each on a small page that fails without the rule.

The pages that taught them are in ../shared/data/html/article-extraction-benchmark: CNN's and
the Guardian's layout wrappers named "rail" and "side", IGN's "side-by-side", BGR's product
cards, nj.com's embedded tweets, WIRED's and Quanta's articles split over many blocks, and the
share buttons inside many articles.
"""

from __future__ import annotations

from linkscope.extract import extract_page
from linkscope.extract.regions import NONE as NO_SIGNAL
from linkscope.extract.regions import SHARE_TARGET, signal_of_words
from linkscope.records import FetchedPage, LinkKind, Placement

URL = "http://site.test/story.html"
PROSE = ("The council voted on Tuesday, after a long debate, to rebuild the old bridge over the "
         "river, which has been closed since the spring floods damaged its eastern pier. ")
MENU = ('<div class="menu"><a href="/a">Alpha section</a> <a href="/b">Beta section</a> '
        '<a href="/c">Gamma section</a></div>')


def placements(body: str) -> dict[str, Placement]:
    fetched = FetchedPage(URL, 200, (("content-type", "text/html"),), body.encode())
    return {link.anchor: link.placement for link in extract_page(fetched).links
            if link.kind in (LinkKind.TEXT, LinkKind.IMAGE)}


def article(inner: str = "") -> str:
    return f"<p>{PROSE * 2}{inner}</p><p>{PROSE * 2}</p><p>{PROSE}</p>"


def test_a_layout_wrapper_named_like_a_sidebar_is_not_one() -> None:
    body = (f'<body>{MENU}<div class="l-side-margins"><article>'
            f'{article("<a href=/cited>the cited report</a>")}</article></div>'
            '<div class="sidebar"><p>Most read <a href="/x">other story</a></p></div></body>')
    found = placements(body)
    assert found["the cited report"] == Placement.CONTENT
    assert found["other story"] == Placement.SIDEBAR


def test_a_small_block_named_like_a_sidebar_still_is_one() -> None:
    body = (f'<body><article>{article()}</article><div class="rail">'
            '<p>More: <a href="/x">other story</a></p></div></body>')
    assert placements(body)["other story"] == Placement.SIDEBAR


def test_side_by_side_is_a_layout_phrase() -> None:
    assert signal_of_words("side-by-side") == NO_SIGNAL
    body = (f'<body>{MENU}<div class="side-by-side"><div>'
            f'{article("<a href=/cited>the cited report</a>")}</div></div></body>')
    assert placements(body)["the cited report"] == Placement.CONTENT


def test_a_card_linking_one_product_stays_in_the_content() -> None:
    card = ('<div class="product-card">'
            '<a href="/p/1">Apple AirPods with Wireless Charging Case (Latest Model)</a> '
            '<a href="/p/1">$139.00</a> <a href="/p/1">Buy now</a></div>')
    links = ('<div class="more"><a href="/s/1">First other story</a> '
             '<a href="/s/2">Second other story</a> <a href="/s/3">Third other story</a></div>')
    body = f"<body>{MENU}<div><p>{PROSE * 3}</p>{card}<p>{PROSE * 3}</p>{links}</div></body>"
    found = placements(body)
    assert found["Buy now"] == Placement.CONTENT
    assert found["$139.00"] == Placement.CONTENT
    assert found["Second other story"] == Placement.SIDEBAR


def test_an_embedded_tweet_is_part_of_the_article() -> None:
    tweet = ('<div class="social-media-embed"><blockquote class="twitter-tweet"><p>We got her '
             '<a href="https://t.co/abc">pic.twitter.com/abc</a></p></blockquote></div>')
    body = f"<body>{MENU}<div><p>{PROSE * 3}</p>{tweet}<p>{PROSE * 3}</p></div></body>"
    assert placements(body)["pic.twitter.com/abc"] == Placement.CONTENT


def test_an_article_split_over_blocks_is_gathered() -> None:
    # each section sits two wrappers deep, with an advertisement slot between them
    section = '<div class="chunk"><div class="grid"><div>{}</div></div></div>'
    first = section.format(article("<a href=/early>an early source</a>"))
    second = section.format(article("<a href=/late>a later source</a>") * 2)
    body = (f'<body>{MENU}<div class="story-wrapper">{first}<div class="slot"></div>'
            f'{second}</div><footer><a href="/legal">Legal notice</a></footer></body>')
    found = placements(body)
    assert found["an early source"] == Placement.CONTENT
    assert found["a later source"] == Placement.CONTENT
    assert found["Legal notice"] == Placement.FOOTER


def test_share_buttons_are_boilerplate_even_inside_the_article() -> None:
    buttons = ('<span><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a> '
               '<a href="https://twitter.com/intent/tweet?url=x">Tweet</a></span>')
    body = f"<body>{MENU}<div><p>{PROSE * 3}{buttons}</p><p>{PROSE * 3}</p></div></body>"
    found = placements(body)
    assert found["Facebook"] == Placement.SIDEBAR
    assert found["Tweet"] == Placement.SIDEBAR


def test_share_targets_are_endpoints_not_profiles() -> None:
    assert SHARE_TARGET.match("https://www.linkedin.com/shareArticle?mini=true")
    assert SHARE_TARGET.match("//api.whatsapp.com/send?text=x")
    assert not SHARE_TARGET.match("https://twitter.com/jack")
    assert not SHARE_TARGET.match("https://www.facebook.com/somepage")
    assert not SHARE_TARGET.match("https://example.test/?u=https://facebook.com/sharer")
