"""Put links on the sample web's pages: sitewide regions, editorial links, and the structures
that the quality features must find (PBN, reciprocal exchange, directory, comment spam, paid
links, broken links, redirects, mentions without a link)."""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import accumulate

from linkscope.samples.model import (
    Comment,
    LinkSpec,
    PageSpec,
    SampleWeb,
    Site,
    Widget,
    port_free,
)
from linkscope.samples.words import (
    CONNECTIVES,
    FIRST_NAMES,
    GENERIC_ANCHORS,
    SPAM_PHRASES,
    TOPICS,
)


class _Linker:
    def __init__(self, web: SampleWeb, seed: int) -> None:
        self.web = web
        self.seed = seed
        self.by_site: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for page in web.pages.values():
            self.by_site[page.site][page.kind].append(page.url)
        rng = random.Random(f"{seed}:weights")
        self.weight = {}
        for site in web.sites:
            base = {"authority": 12.0, "shop": 2.0, "directory": 2.0, "seller": 1.0}
            self.weight[site.index] = base.get(site.role, 0.0 if site.role in
                                               ("pbn", "money", "spammer") else
                                               min(8.0, rng.paretovariate(1.6)))
        self.by_topic: dict[str, list[int]] = defaultdict(list)
        for site in web.sites:
            if self.weight[site.index] > 0:
                self.by_topic[site.topic].append(site.index)
        # cumulative weights per topic, so that a draw costs O(log n), not O(n)
        self.cumulative = {topic: list(accumulate(self.weight[s] for s in pool))
                           for topic, pool in self.by_topic.items()}
        self.topics = sorted(TOPICS)
        self.roles: dict[str, list[int]] = defaultdict(list)
        for site in web.sites:
            self.roles[site.role].append(site.index)

    # -- choosing targets -------------------------------------------------------------------
    def pages(self, site: int, kind: str) -> list[str]:
        return self.by_site[site].get(kind, [])

    def pick_site(self, rng: random.Random, topic: str, exclude: int) -> int | None:
        """A site to link to, by weight (popular sites are picked more), never `exclude`."""
        if rng.random() < 0.15:  # off-topic link
            topic = rng.choice(self.topics)
        pool = self.by_topic.get(topic, [])
        if not pool or pool == [exclude]:
            return None
        for _ in range(16):
            pick = rng.choices(pool, cum_weights=self.cumulative[topic])[0]
            if pick != exclude:
                return pick
        return None

    def pick_page(self, rng: random.Random, site: int) -> str:
        articles = self.pages(site, "article")
        if articles and rng.random() < 0.6:
            return rng.choice(articles)
        return self.web.sites[site].home

    def anchor_for(self, rng: random.Random, site: Site, url: str) -> str:
        roll = rng.random()
        if roll < 0.35:
            return rng.choice(site.keywords)
        if roll < 0.6:
            return site.brand
        if roll < 0.75:
            return url.split("://", 1)[1].rstrip("/")
        return rng.choice(GENERIC_ANCHORS)

    def dead_target(self, rng: random.Random, site: int) -> str:
        choices = self.pages(site, "dead") + self.pages(site, "slow") + self.pages(site, "moved")
        return rng.choice(choices)

    # -- text --------------------------------------------------------------------------------
    def sentence(self, rng: random.Random, topic: str, words: int) -> str:
        _, keywords, filler = TOPICS[topic]
        out = []
        for k in range(words):
            if k and k % 7 == 0:
                out.append(rng.choice(CONNECTIVES))
            out.append(rng.choice(filler) if rng.random() > 0.08 else rng.choice(keywords))
        text = " ".join(out)
        return text[0].upper() + text[1:] + "."


def add_links(web: SampleWeb, seed: int) -> None:
    linker = _Linker(web, seed)
    for site in web.sites:
        rng = random.Random(f"{seed}:site-links:{site.index}")
        _add_redirects(linker, site, rng)
    linker = _Linker(web, seed)  # index again: the redirects added pages
    for site in web.sites:
        rng = random.Random(f"{seed}:site-links:{site.index}")
        _sitewide(linker, site, rng)
    for page in list(web.pages.values()):
        rng = random.Random(f"{seed}:page:{port_free(page.url)}")
        _page_links(linker, page, rng)
    web.structures = _structures(linker)


def _add_redirects(linker: _Linker, site: Site, rng: random.Random) -> None:
    web = linker.web
    articles = linker.pages(site.index, "article")
    prefix = site.home.rstrip("/")

    def moved(path: str, status: int, to: str) -> None:
        url = prefix + path
        web.pages[url] = PageSpec(url=url, site=site.index, kind="moved", status=status,
                                  redirect_to=to)

    moved("/old-home/", 301, site.home)
    if articles:
        moved("/old/post/", 301, articles[0])
        moved("/2019/post/", 302, prefix + "/old/post/")  # a chain of two hops
    moved("/loop-a/", 301, prefix + "/loop-b/")
    moved("/loop-b/", 302, prefix + "/loop-a/")  # a loop
    if site.index % 10 == 4 and len(web.sites) > 1:  # a redirect to another site
        other = web.sites[(site.index + 1 + rng.randrange(len(web.sites) - 1)) % len(web.sites)]
        moved("/out/", 302, other.home)


def _sitewide(linker: _Linker, site: Site, rng: random.Random) -> None:
    web = linker.web
    s = site.index
    site.nav = [LinkSpec(site.home, "Home")]
    for url in linker.pages(s, "category"):
        site.nav.append(LinkSpec(url, web.pages[url].title.split(" | ")[0]))
    site.nav += [LinkSpec(linker.pages(s, "about")[0], "About"),
                 LinkSpec(linker.pages(s, "contact")[0], "Contact")]
    recent = linker.pages(s, "article")[-4:]
    site.sidebar = [Widget("Recent posts", [LinkSpec(u, web.pages[u].title.split(" | ")[0])
                                            for u in reversed(recent)])]
    if site.role == "pbn":
        blogroll = [x for x in linker.roles["pbn"] if x != s] + linker.roles["money"]
    else:
        blogroll = []
        for _ in range(rng.randint(2, 5)):
            other = linker.pick_site(rng, site.topic, s)
            if other is not None and other not in blogroll:
                blogroll.append(other)
    site.sidebar.append(Widget("Blogroll", [
        LinkSpec(web.sites[o].home, web.sites[o].brand, note="blogroll") for o in blogroll]))
    if s % 5 == 2 and linker.roles["shop"]:
        shop = web.sites[rng.choice(linker.roles["shop"])]
        site.sidebar.append(Widget("Sponsors", [
            LinkSpec(shop.home, shop.brand, rel=rng.choice(("sponsored", "Sponsored noopener")),
                     note="sponsored"),
            LinkSpec(shop.home, f"{shop.brand} banner", rel="sponsored nofollow", kind="image",
                     note="sponsored"),
        ]))
    footer = [LinkSpec(linker.pages(s, "about")[0], "About us"),
              LinkSpec(linker.pages(s, "contact")[0], "Contact")]
    for kind, text in (("archive", "Archive"), ("partners", "Partners"), ("private", "Members")):
        footer += [LinkSpec(u, text) for u in linker.pages(s, kind)]
    if s % 3 == 1 and linker.roles["authority"]:
        designer = web.sites[linker.roles["authority"][s % len(linker.roles["authority"])]]
        if designer.index != s:
            footer.append(LinkSpec(designer.home, f"Theme by {designer.brand}", note="sitewide"))
    footer += [
        LinkSpec(None, "Email us", href=f"mailto:hello@{site.domain}", skip_reason="mailto"),
        LinkSpec(None, "Call", href="tel:+15550100", skip_reason="tel"),
        LinkSpec(None, "Back to top", href="javascript:window.scrollTo(0,0)",
                 skip_reason="javascript"),
    ]
    site.footer = footer


def _page_links(linker: _Linker, page: PageSpec, rng: random.Random) -> None:
    site = linker.web.sites[page.site]
    if page.status != 200 or not page.content_type.startswith("text/html"):
        return
    kind = page.kind
    if kind == "article":
        _article(linker, page, site, rng)
    elif kind in ("home", "archive", "category"):
        articles = linker.pages(site.index, "article")
        listed = articles if kind == "archive" else rng.sample(articles, min(5, len(articles)))
        page.paragraphs.append([linker.sentence(rng, site.topic, 20)])
        for url in listed:
            page.paragraphs.append([LinkSpec(url, linker.web.pages[url].title.split(" | ")[0]),
                                    " " + linker.sentence(rng, site.topic, 12)])
    elif kind == "about":
        page.paragraphs.append([linker.sentence(rng, site.topic, 40)])
        if linker.roles["authority"]:
            auth = linker.web.sites[rng.choice(linker.roles["authority"])]
            if auth.index != site.index:
                page.paragraphs.append(["We learned a lot from ",
                                        LinkSpec(auth.home, auth.brand), "."])
    elif kind == "contact":
        page.paragraphs.append(["Write to us: ",
                                LinkSpec(None, f"hello@{site.domain}",
                                         href=f"mailto:hello@{site.domain}",
                                         skip_reason="mailto"), "."])
        page.paragraphs.append([LinkSpec(linker.pages(site.index, "search")[0], "", kind="form")])
    elif kind == "partners":
        page.paragraphs.append(["Sites we trade links with:"])
    elif kind == "directory":
        topic = page.url.rstrip("/").rsplit("/", 1)[1]
        for other in linker.by_topic.get(topic, [])[:40]:
            o = linker.web.sites[other]
            page.paragraphs.append([LinkSpec(o.home, o.brand, note="directory"), " - " +
                                    linker.sentence(rng, o.topic, 8)])
    elif kind in ("resources", "sponsored"):
        rel = "sponsored" if kind == "sponsored" else ""
        for other in linker.roles["money"] + linker.roles["shop"]:
            o = linker.web.sites[other]
            page.paragraphs.append([LinkSpec(o.home, rng.choice(o.keywords), rel=rel,
                                             note="paid"), " " + linker.sentence(rng, o.topic, 10)])
    elif kind == "refresh" and linker.roles["money"]:
        page.redirect_to = linker.web.sites[linker.roles["money"][0]].home
    elif kind in ("private", "slow", "search"):
        page.paragraphs.append([linker.sentence(rng, site.topic, 30), " ",
                                LinkSpec(linker.pick_page(rng, site.index), "More")])


def _article(linker: _Linker, page: PageSpec, site: Site, rng: random.Random) -> None:
    web = linker.web
    own = [u for u in linker.pages(site.index, "article") if u != page.url]
    for k in range(rng.randint(3, 6)):
        para: list[str | LinkSpec] = [linker.sentence(rng, site.topic, rng.randint(25, 50))]
        if own and rng.random() < 0.5:
            target = rng.choice(own)
            para += [" See ", LinkSpec(target, web.pages[target].title.split(":")[0]), " too."]
        if rng.random() < 0.45:
            other = linker.pick_site(rng, site.topic, site.index)
            if other is not None:
                o = web.sites[other]
                target = (linker.dead_target(rng, other) if rng.random() < 0.08
                          else linker.pick_page(rng, other))
                kind = "image" if rng.random() < 0.08 else "text"
                rel = rng.choice(("", "", "", "", "noopener", "nofollow", "NoFollow external"))
                para += [" " + linker.sentence(rng, site.topic, 6)[:-1] + " ",
                         LinkSpec(target, linker.anchor_for(rng, o, target), rel=rel, kind=kind,
                                  note="editorial"),
                         " " + linker.sentence(rng, site.topic, 8)]
        if k == 1 and site.role == "pbn" and linker.roles["money"]:
            money = web.sites[linker.roles["money"][0]]
            para += [" ", LinkSpec(linker.pick_page(rng, money.index), rng.choice(money.keywords),
                                   note="pbn"), "."]
        if rng.random() < 0.1:
            mentioned = rng.randrange(len(web.sites))
            if mentioned != site.index:
                page.mentions.append(mentioned)
                para += [f" The team at {web.sites[mentioned].brand} says so too."]
        if rng.random() < 0.03:
            para += [" ", LinkSpec(linker.dead_target(rng, site.index), "an older page",
                                   note="broken")]
        page.paragraphs.append(para)
    if site.index % 8 == 3 and rng.random() < 0.3 and linker.roles["authority"]:
        video = web.sites[linker.roles["authority"][0]]
        page.paragraphs.append([LinkSpec(video.home, "", kind="frame", note="embed")])
    if site.uses_comments:
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            page.comments.append(_comment(linker, site, rng))


def _comment(linker: _Linker, site: Site, rng: random.Random) -> Comment:
    author = rng.choice(FIRST_NAMES)
    text: list[str | LinkSpec] = [linker.sentence(rng, site.topic, rng.randint(8, 20))]
    link = None
    spammers = linker.roles["spammer"]
    if spammers and rng.random() < 0.2:
        spam = linker.web.sites[spammers[0]]
        text += [" ", LinkSpec(linker.pick_page(rng, spam.index), rng.choice(SPAM_PHRASES),
                               rel=site.comment_rel, note="comment-spam")]
    elif rng.random() < 0.6:
        other = rng.randrange(len(linker.web.sites))
        if other != site.index:
            link = LinkSpec(linker.web.sites[other].home, author, rel=site.comment_rel,
                            note="comment")
    return Comment(author, link, text)


def _structures(linker: _Linker) -> dict[str, object]:
    web = linker.web
    partners = [s.index for s in web.sites if linker.pages(s.index, "partners")]
    pairs = list(zip(partners[0::2], partners[1::2], strict=False))
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            page = web.pages[linker.pages(x, "partners")[0]]
            page.paragraphs.append([LinkSpec(web.sites[y].home, web.sites[y].brand,
                                             note="reciprocal")])

    def domains(role: str) -> list[str]:
        return [web.sites[i].domain for i in linker.roles[role]]

    return {
        "reciprocal": [[web.sites[a].domain, web.sites[b].domain] for a, b in pairs],
        "pbn": {"members": domains("pbn"), "money": domains("money")},
        "directory": domains("directory"),
        "comment_spam_target": domains("spammer"),
        "link_seller": domains("seller"),
        "authority": domains("authority"),
        "shops": domains("shop"),
    }
