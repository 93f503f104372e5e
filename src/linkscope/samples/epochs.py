"""Move the sample web forward in time: each epoch adds, removes and changes links and pages.

What changes (drawn per epoch from the seed): links removed from articles, links turned
nofollow, articles deleted (404 or 410), articles redirected, articles turned noindex, links
added to articles, and new articles. The ground truth of new and lost links is then the
difference between two epochs' truth (see truth.compute_changes).
"""

from __future__ import annotations

import random

from linkscope.samples.model import LinkSpec, PageSpec, SampleWeb


def apply_epochs(web: SampleWeb, epoch: int) -> None:
    for round_ in range(1, epoch + 1):
        _advance(web, random.Random(f"{web.seed}:epoch:{round_}"), round_)
    web.epoch = epoch


def _editorial(page: PageSpec) -> list[tuple[list[str | LinkSpec], int]]:
    found = []
    for para in page.paragraphs:
        for k, seg in enumerate(para):
            if isinstance(seg, LinkSpec) and seg.note == "editorial":
                found.append((para, k))
    return found


def _advance(web: SampleWeb, rng: random.Random, round_: int) -> None:
    articles = [p for p in web.pages.values()
                if p.kind == "article" and p.status == 200 and not p.redirect_to]
    homes = [s.home for s in web.sites]
    for page in articles:
        roll = rng.random()
        links = _editorial(page)
        if roll < 0.08 and links:  # a link removed from the page
            para, k = rng.choice(links)
            seg = para[k]
            para[k] = seg.anchor if isinstance(seg, LinkSpec) else seg
        elif roll < 0.13 and links:  # a link turned nofollow
            para, k = rng.choice(links)
            seg = para[k]
            assert isinstance(seg, LinkSpec)
            para[k] = LinkSpec(seg.target, seg.anchor, rel="nofollow", kind=seg.kind,
                               note="editorial")
        elif roll < 0.16:  # the page deleted
            page.status = rng.choice((404, 410))
        elif roll < 0.19:  # the page redirected to the site's home
            page.status = 301
            page.redirect_to = web.sites[page.site].home
        elif roll < 0.21:  # the page turned noindex
            page.noindex = True
        elif roll < 0.28:  # a link added
            target = rng.choice(homes)
            if target != web.sites[page.site].home:
                page.paragraphs.append(["Update: see ", LinkSpec(target, "this new resource",
                                                                  note="added"), "."])
    for site in web.sites:  # new articles on a few sites, linking out
        if rng.random() < 0.1:
            url = site.home + f"posts/new-in-epoch-{round_}/"
            target = rng.choice(homes)
            web.pages[url] = PageSpec(
                url=url, site=site.index, kind="article", title=f"New in epoch {round_}",
                paragraphs=[["Fresh notes, with a link to ",
                             LinkSpec(target, "a site we like", note="added"), "."]])
            web.pages[site.home].paragraphs.append([LinkSpec(url, f"New in epoch {round_}",
                                                             note="added")])
