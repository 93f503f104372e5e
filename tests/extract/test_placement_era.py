"""Placement rules learned from pages of about 2010-2012 (issue 17), each on a small page that
fails without its rule.

The pages that taught them are Dragnet's (../shared/data/html/dragnet): WordPress and Movable
Type comment lists whose author and date lines are named "comment-author" and "comment-meta",
the "Reply" and "Report" buttons that comment software repeats on every comment, and posts
whose headline sits in a "post-header".
"""

from __future__ import annotations

from linkscope.extract.regions import COMMENT, CONTENT, signal_of_words
from linkscope.records import Placement
from tests.extract.test_placement_rules import MENU, PROSE, placements


def comment(number: int, author: str, site: str, reply: str = "Reply") -> str:
    """One comment as WordPress themes of the time wrote it."""
    return (f'<li class="comment" id="comment-{number}"><div class="comment-author vcard">'
            f'<cite class="fn"><a href="{site}" rel="external nofollow">{author}</a></cite>'
            '</div><div class="comment-meta commentmetadata">'
            f'<a href="#comment-{number}">July {number}, 2012 at 9:{number:02d} am</a></div>'
            f"<p>{PROSE}</p><div class=\"reply\"><a class=\"comment-reply-link\" "
            f'href="?replytocom={number}#respond">{reply}</a></div></li>')


def test_a_comments_author_and_date_line_are_the_comments() -> None:
    assert signal_of_words("comment-author vcard") == COMMENT
    assert signal_of_words("comment-meta commentmetadata") == COMMENT
    assert signal_of_words("comment-footer") == COMMENT  # Typepad's "Posted by: ... | date"
    thread = "".join(comment(k, f"Reader {k}", f"http://reader{k}.test/") for k in (1, 2))
    body = (f'<body>{MENU}<div class="post"><p>{PROSE * 3}</p><p>{PROSE * 2}</p></div>'
            f'<ol class="commentlist">{thread}</ol></body>')
    found = placements(body)
    assert found["Reader 1"] == Placement.COMMENT
    assert found["Reader 2"] == Placement.COMMENT


def test_buttons_repeated_on_every_comment_are_not_comment_links() -> None:
    # the blog's author answers three times, linking the same home page each time
    thread = "".join(
        comment(k, "Reader" if k % 2 else "The Author",
                "http://reader.test/" if k % 2 else "http://author.test/", reply="Report")
        for k in range(1, 7))
    body = (f'<body>{MENU}<div class="post"><p>{PROSE * 3}</p><p>{PROSE * 2}</p></div>'
            f'<ol class="commentlist">{thread}</ol></body>')
    found = placements(body)
    assert found["Report"] == Placement.SIDEBAR
    assert found["The Author"] == Placement.COMMENT
    assert found["Reader"] == Placement.COMMENT


def test_a_posts_header_holds_its_headline() -> None:
    assert signal_of_words("post-header") == CONTENT
    assert signal_of_words("entry-header") == CONTENT
    body = (f'<body><div class="header">{MENU}</div><div class="post">'
            '<div class="post-header"><h2><a href="/story.html" rel="bookmark">The bridge '
            "reopens</a></h2></div>"
            f"<p>{PROSE * 3}</p><p>{PROSE * 2}</p></div></body>")
    found = placements(body)
    assert found["The bridge reopens"] == Placement.CONTENT
    assert found["Beta section"] == Placement.NAV


def test_tag_category_and_author_links_are_not_the_articles_text() -> None:
    filed = ('<p>This entry was posted on 23 October 2012 at 8:14 pm and is filed under '
             '<a href="/category/news/" rel="category tag">News</a>, <a href="/tag/bridges/" '
             'rel="tag">Bridges</a> by <a href="/author/jo/" rel="author">Jo Writer</a>.</p>')
    body = (f'<body>{MENU}<div class="post"><p>{PROSE * 3} <a href="/report">the report</a></p>'
            f"<p>{PROSE * 2}</p>{filed}</div></body>")
    found = placements(body)
    assert found["News"] == Placement.NAV
    assert found["Bridges"] == Placement.NAV
    assert found["Jo Writer"] == Placement.SIDEBAR
    assert found["the report"] == Placement.CONTENT


def test_a_caption_and_a_dateline_are_not_content() -> None:
    caption = ('<div class="wp-caption"><img src="/bridge.jpg" alt="The bridge">'
               '<p class="wp-caption-text">Photo: <a href="/photos/jane">Jane Doe</a></p></div>')
    dateline = '<div class="dateline"><a href="/2012/07/">July 2012</a></div>'
    body = (f'<body>{MENU}<div class="post">{dateline}<p>{PROSE * 3}</p>{caption}'
            f"<p>{PROSE * 2} <a href=/report>the report</a></p></div></body>")
    found = placements(body)
    assert found["Jane Doe"] == Placement.SIDEBAR
    assert found["July 2012"] == Placement.SIDEBAR
    assert found["the report"] == Placement.CONTENT


def test_a_titled_list_of_other_stories_leaves_the_content() -> None:
    teasers = "".join(
        f'<li><a href="/story/{k}">Story number {k} of the week</a><br>A teaser of the '
        f"story, cut after a few words of its first paragraph [...]</li>" for k in range(4))
    related = f'<div class="box"><div class="title">Related Posts</div><ul>{teasers}</ul></div>'
    body = (f'<body>{MENU}<div class="post"><p>{PROSE * 3} <a href="/report">the report</a>'
            f"</p><p>{PROSE * 2}</p>{related}</div></body>")
    found = placements(body)
    assert found["Story number 2 of the week"] == Placement.SIDEBAR
    assert found["the report"] == Placement.CONTENT


def test_a_posts_feed_trackback_and_print_links_are_not_content() -> None:
    tools = ('<p>Follow the responses to this entry through the <a href="/2012/07/bridge/feed/">'
             'RSS 2.0</a> feed. You can leave a response, or <a href="/2012/07/bridge/trackback/">'
             'trackback</a> from your own site, or <a href="/2012/07/bridge/print/">print</a> it.'
             "</p>")
    body = (f'<body>{MENU}<div class="post"><p>{PROSE * 3} <a href="/report">the report</a>'
            f"</p><p>{PROSE * 2}</p>{tools}</div></body>")
    found = placements(body)
    assert found["RSS 2.0"] == Placement.SIDEBAR
    assert found["trackback"] == Placement.SIDEBAR
    assert found["print"] == Placement.SIDEBAR
    assert found["the report"] == Placement.CONTENT


def test_page_numbers_in_the_content_are_navigation() -> None:
    pager = ('<div class="pages">Pages: <a href="?p=2">2</a> <a href="?p=3">3</a> '
             '<a href="?p=4">4</a></div>')
    note = (f'<p>{PROSE} as the survey found<sup><a href="/notes/1">1</a></sup>, and <a '
            'href="/notes/2">2</a> more reports said.</p>')
    body = f'<body>{MENU}<div class="post"><p>{PROSE * 3}</p>{note}{pager}</div></body>'
    found = placements(body)
    assert found["3"] == Placement.NAV
    assert found["1"] == Placement.CONTENT  # a footnote's number sits in prose


def test_a_thread_of_dated_blocks_after_the_article_is_comments_whatever_its_names() -> None:
    def post(k: int) -> str:
        return (f'<div class="x1"><b><a href="http://reader{k}.test/">Reader {k}</a></b> '
                f"July {k}, 2012 at 10:1{k}<div>{PROSE} See <a href=/cited/{k}>my own "
                f"write-up {k}</a>.</div></div>")
    body = (f'<body>{MENU}<div class="x7"><p>{PROSE * 3}</p><p>{PROSE * 2}</p></div>'
            f'<div class="x9">{post(1)}{post(2)}{post(3)}</div>'
            '<div class="x8">&copy; 2012 <a href="/legal">Legal notice</a></div></body>')
    found = placements(body)
    assert found["Reader 2"] == Placement.COMMENT
    assert found["my own write-up 3"] == Placement.COMMENT
    assert found["Legal notice"] == Placement.FOOTER


def test_a_menu_cell_of_links_one_a_line_is_navigation() -> None:
    # a table layout: the menu cell's links are one a line, not a list
    menu = "".join(f'&raquo; <a href="/s/{k}">Section {k}</a><br>' for k in range(5))
    body = (f'<body><table><tr><td width="150">{menu}</td><td><h1>The bridge</h1>'
            f"<p>{PROSE * 3}</p><p>{PROSE * 2}</p></td></tr></table></body>")
    assert placements(body)["Section 3"] == Placement.NAV
