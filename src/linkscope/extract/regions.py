"""What an element says about the region of the page it opens: tag, ARIA role, class and id.

An element's own signal is one small integer, so that the tree pass can carry it down cheaply:

    NONE       nothing said
    CONTENT    a content hint: <article>, <main>, role=main, class "entry-content", "post-body"...
    HEADER     page header or masthead
    NAV        navigation: menus, breadcrumbs, pagination, tag clouds
    SIDEBAR    sidebars, widgets, and boilerplate blocks with no better name (share, related, ads)
    FOOTER     page footer
    COMMENT    comments and replies

Class and id values are split into words ("post-comments__list" -> post, comments, list) and the
words looked up in small vocabularies, rather than matched as substrings: "commentary" is not a
comment, "headline" is not a header.
"""

from __future__ import annotations

import re

from linkscope.records import Placement

NONE, CONTENT, HEADER, NAV, SIDEBAR, FOOTER, COMMENT = range(7)

PLACEMENT_OF = {
    CONTENT: Placement.CONTENT,
    HEADER: Placement.HEADER,
    NAV: Placement.NAV,
    SIDEBAR: Placement.SIDEBAR,
    FOOTER: Placement.FOOTER,
    COMMENT: Placement.COMMENT,
}

TAG_SIGNAL = {
    "header": HEADER,
    "nav": NAV,
    "aside": SIDEBAR,
    "footer": FOOTER,
    "main": CONTENT,
    "article": CONTENT,
    "menu": NAV,
}

ROLE_SIGNAL = {
    "banner": HEADER,
    "navigation": NAV,
    "menu": NAV,
    "menubar": NAV,
    "complementary": SIDEBAR,
    "contentinfo": FOOTER,
    "main": CONTENT,
    "article": CONTENT,
    "comment": COMMENT,
}

# word of a class or id -> signal; a word ending in "s" is also looked up without it
WORD_SIGNAL = {
    # header
    "header": HEADER, "masthead": HEADER, "topbar": HEADER, "banner": HEADER,
    "branding": HEADER, "logo": HEADER, "hdr": HEADER,
    # navigation
    "nav": NAV, "navbar": NAV, "navigation": NAV, "menu": NAV, "menubar": NAV,
    "breadcrumb": NAV, "breadcrumbs": NAV, "crumbs": NAV, "pagination": NAV, "pager": NAV,
    "paging": NAV, "toc": NAV, "tagcloud": NAV, "skip": NAV, "dropdown": NAV, "megamenu": NAV,
    "subnav": NAV, "topnav": NAV, "mainnav": NAV, "navlinks": NAV,
    # sidebars and other boilerplate blocks
    "sidebar": SIDEBAR, "side": SIDEBAR, "aside": SIDEBAR, "widget": SIDEBAR,
    "widgets": SIDEBAR, "related": SIDEBAR, "recommended": SIDEBAR, "recirculation": SIDEBAR,
    "share": SIDEBAR, "sharing": SIDEBAR, "social": SIDEBAR, "sociable": SIDEBAR,
    "sharedaddy": SIDEBAR, "addthis": SIDEBAR, "ad": SIDEBAR, "ads": SIDEBAR, "advert": SIDEBAR,
    "advertisement": SIDEBAR, "sponsor": SIDEBAR, "sponsored": SIDEBAR, "promo": SIDEBAR,
    "outbrain": SIDEBAR, "taboola": SIDEBAR, "newsletter": SIDEBAR, "subscribe": SIDEBAR,
    "popular": SIDEBAR, "trending": SIDEBAR, "rail": SIDEBAR, "sidebox": SIDEBAR,
    "blogroll": SIDEBAR, "author": SIDEBAR, "byline": SIDEBAR, "meta": SIDEBAR, "postmeta": SIDEBAR,
    "skyscraper": SIDEBAR, "caption": SIDEBAR, "dateline": SIDEBAR, "postmetadata": SIDEBAR,
    "follow": SIDEBAR, "signup": SIDEBAR, "login": HEADER, "search": HEADER, "cookie": FOOTER,
    "gdpr": FOOTER, "consent": FOOTER, "modal": SIDEBAR, "popup": SIDEBAR,
    # footer
    "footer": FOOTER, "colophon": FOOTER, "copyright": FOOTER,
    "legal": FOOTER, "ftr": FOOTER,
    # comments
    "comment": COMMENT, "comments": COMMENT, "discussion": COMMENT, "disqus": COMMENT,
    "replies": COMMENT, "reply": COMMENT, "respond": COMMENT, "responses": COMMENT,
    "commentlist": COMMENT, "remark": COMMENT, "shoutbox": COMMENT,
    # content hints
    "article": CONTENT, "content": CONTENT, "entry": CONTENT, "hentry": CONTENT,
    "post": CONTENT, "story": CONTENT, "body": CONTENT, "main": CONTENT, "text": CONTENT,
    "articlebody": CONTENT, "entrycontent": CONTENT, "postbody": CONTENT, "storybody": CONTENT,
    "prose": CONTENT, "blog": CONTENT,
    # a tweet, a video or a post embedded in the text is part of it
    "embed": CONTENT, "embedded": CONTENT,
}

# A content hint given by these words outweighs any boilerplate word of the same element.
_STRONG_CONTENT = frozenset({"content", "articlebody", "entrycontent", "postbody", "storybody",
                             "main", "prose"})
# Where a link goes can say what it is: the share and follow endpoints of social networks are
# the buttons that a site repeats beside every article, never a citation (checked on the raw
# href: host and path, any scheme, "www." or a country subdomain before the host).
SHARE_TARGET = re.compile(
    r"^(?:[a-z]+:)?//(?:[a-z0-9-]+\.)*(?:"
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed))"
    r"|(?:twitter|x)\.com/(?:intent/|share)"
    r"|linkedin\.com/(?:sharearticle|sharing/|cws/share)"
    r"|pinterest\.[a-z.]+/pin/create"
    r"|reddit\.com/submit|tumblr\.com/(?:share|widgets/share)|addthis\.com/bookmark"
    r"|mix\.com/add|getpocket\.com/(?:save|edit)|flipboard\.com/bookmarklet"
    r"|vk\.com/share\.php|(?:telegram\.me|t\.me)/share|(?:api|web)\.whatsapp\.com/send"
    r"|wa\.me/|news\.ycombinator\.com/submitlink|buffer(?:app)?\.com/add"
    r"|digg\.com/submit|plus\.google\.com/share)",
    re.IGNORECASE,
)
# Words that describe a part of something else (its author, its date line, its header or
# footer): in a name that also holds a comment word ("comment-author", "comment-meta",
# Typepad's "comment-footer" with its "Posted by: ... | date") they are that comment's parts.
_PARTS = frozenset({"author", "byline", "meta", "postmeta", "header", "footer"})
# An article's, a post's or a story's header holds its headline, not the site's masthead.
_ARTICLE = frozenset({"article", "post", "entry", "story"})
# The tools blog software puts under every post link to the post's feed, trackback, printable
# or e-mail version, or to the service behind its comments: never what the article cites
# (checked on the raw href, as SHARE_TARGET).
TOOL_TARGET = re.compile(
    r"(?:/(?:feed|trackback|rss|atom|print|email)/?(?:[?#]|$)"
    r"|^(?:[a-z]+:)?//(?:[a-z0-9-]+\.)*(?:feeds\.feedburner\.com|printfriendly\.com)/"
    r"|^(?:[a-z]+:)?//(?:www\.)?disqus\.com/?$)",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_MAX_WORDS = 4  # longer class names and ids are descriptions ("sharing-with-a-developer")
_cache: dict[str, int] = {}


def _signal_of_name(name: str) -> tuple[int, bool]:
    """The signal of one class name or id, from its last known word ("post-footer" is a
    footer, "comment-body" a body, "comment-author" a comment's part: a comment), and whether
    that word is a strong content hint."""
    words = [word for word in _SPLIT.split(name) if word]
    if len(words) > _MAX_WORDS or "by" in words[1:-1]:
        # a description, or a phrase of layout ("side-by-side", "step-by-step")
        return NONE, False
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        signal = WORD_SIGNAL.get(word)
        if signal is None and word.endswith("s"):
            signal = WORD_SIGNAL.get(word[:-1])
        if signal is not None:
            if word in _PARTS and any(_is_comment_word(w) for w in words[:k]):
                return COMMENT, False  # the comment's author or date line
            if signal == HEADER and any(w in _ARTICLE for w in words[:k]):
                return CONTENT, False  # the article's own header: its headline
            return signal, word in _STRONG_CONTENT
    return NONE, False


def _is_comment_word(word: str) -> bool:
    signal = WORD_SIGNAL.get(word)
    if signal is None and word.endswith("s"):
        signal = WORD_SIGNAL.get(word[:-1])
    return signal == COMMENT


def signal_of_words(value: str) -> int:
    """The signal of class and id values (cached: sites repeat their class names).

    A strong content hint wins; boilerplate next to a weak content hint ("widget blog") says
    nothing; otherwise a comment word wins over other boilerplate words.
    """
    found = _cache.get(value)
    if found is not None:
        return found
    boiler = NONE
    content = strong = False
    for name in value.lower().split():
        signal, is_strong = _signal_of_name(name)
        if signal == CONTENT:
            content = True
            strong = strong or is_strong
        elif signal != NONE and (boiler == NONE or signal == COMMENT):
            boiler = signal
    if strong or (content and boiler == NONE):
        result = CONTENT
    elif content:
        result = NONE
    else:
        result = boiler
    if len(value) <= 512 and len(_cache) < 100_000:  # a page's own huge class lists are not kept
        _cache[value] = result
    return result
