"""Generate the sample web's model: sites, their pages, and the links between them.

Everything is drawn from `random.Random` seeded with strings built from the seed, so the same
parameters always give the same web, whatever the platform or PYTHONHASHSEED.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from linkscope.samples.linking import add_links
from linkscope.samples.model import PageSpec, SampleWeb, Site
from linkscope.samples.words import TOPICS

PBN_SUBNET = "127.250.1"
PORTAL_SHARE = 0.15  # sites laid out in tables as in about 2010 (samples/portal.py)


@dataclass(frozen=True)
class WebConfig:
    sites: int = 200
    seed: int = 1
    epoch: int = 0
    port: int = 8790
    pages_per_site: int = 12  # mean number of articles of an ordinary site
    max_addresses: int = 1024  # distinct loopback addresses; beyond it sites share addresses

    def __post_init__(self) -> None:
        if self.sites < 1:
            raise ValueError("sites must be at least 1")
        if not 1 <= self.port <= 65535:
            raise ValueError("port must be between 1 and 65535")
        if self.pages_per_site < 1:
            raise ValueError("pages_per_site must be at least 1")
        if self.epoch < 0:
            raise ValueError("epoch must be 0 or more")
        if self.max_addresses < 1:
            raise ValueError("max_addresses must be at least 1")


def make_url(host: str, path: str, port: int) -> str:
    return f"http://{host}{'' if port == 80 else f':{port}'}{path}"


def compute_web(config: WebConfig) -> SampleWeb:
    """The model of the sample web at epoch 0 (epochs.apply_epochs moves it forward)."""
    rng = random.Random(f"linkscope-sample-web:{config.seed}")
    sites = _make_sites(config, rng)
    web = SampleWeb(seed=config.seed, epoch=0, port=config.port, sites=sites, pages={})
    for site in sites:
        _add_site_pages(web, site, config, random.Random(f"{config.seed}:pages:{site.index}"))
    add_links(web, config.seed)
    return web


def _roles(n: int) -> list[str]:
    """Roles by site index: the structures scale with the web, ordinary blogs fill the rest."""
    roles = ["blog"] * n
    special: list[str] = []
    if n >= 20:
        special += ["directory", "money", "spammer", "seller"]
    if n >= 40:
        special += ["pbn"] * min(8, max(4, n // 40))
    special += ["authority"] * max(1, n // 20)
    special += ["shop"] * max(0, n // 25)
    step = max(1, n // max(1, len(special)))
    for k, role in enumerate(special[:n]):
        roles[(k * step + 3) % n if n > 3 else k % n] = role
    return roles


def _make_sites(config: WebConfig, rng: random.Random) -> list[Site]:
    topics = sorted(TOPICS)
    roles = _roles(config.sites)
    taken: set[str] = set()
    sites: list[Site] = []
    pbn_count = 0
    for i in range(config.sites):
        topic = topics[i % len(topics)] if roles[i] != "spammer" else "finance"
        parts, keywords, _ = TOPICS[topic]
        a, b = rng.sample(parts, 2)
        name = f"{a}{b}"
        while name in taken:
            name = f"{a}{b}{rng.randint(2, 999)}"
        taken.add(name)
        tld = ".example" if i % 4 == 3 else ".test"
        domain = name + tld
        primary = f"www.{domain}" if i % 2 == 0 else domain
        hosts = [primary]
        if i % 5 == 1:
            hosts.append(f"blog.{domain}")
        role = roles[i]
        if role == "pbn":
            ip = f"{PBN_SUBNET}.{10 + pbn_count}"
            pbn_count += 1
        else:
            ip = _address(i, config.max_addresses)
        template = ("semantic", "named", "opaque")[rng.choices((0, 1, 2), (5, 3, 2))[0]]
        if random.Random(f"{config.seed}:era:{i}").random() < PORTAL_SHARE:
            template = "portal"  # its own draw: the other sites keep theirs
        brand = f"{a.capitalize()} {b.capitalize()}" if i % 3 else f"{a.capitalize()}{b}"
        robots = "allow"
        if i % 7 == 2:
            robots = "disallow-private"
        elif i % 11 == 4:
            robots = "missing"
        if i == min(config.sites - 1, 29) and config.sites >= 30:
            robots = "error"
        sites.append(Site(
            index=i, domain=domain, primary=primary, hosts=hosts, ip=ip, topic=topic, role=role,
            template=template, brand=brand, keywords=keywords, robots=robots,
            crawl_delay=0.5 if i % 13 == 6 else None,
            base_href=i % 9 == 5,
            uses_comments=role in ("blog", "authority", "pbn") and i % 4 != 0,
            comment_rel=("nofollow ugc", "nofollow", "UGC", "")[(i // 2) % 4],
        ))
    return sites


def _address(i: int, max_addresses: int) -> str:
    """A loopback address per site (each in its own /24), shared once max_addresses is reached.

    Every 17th site shares its neighbour's address, as sites on one shared host do.
    """
    slot = (i - 1 if i % 17 == 5 else i) % max_addresses
    return f"127.{1 + slot // 250}.{slot % 250}.{10 + (slot * 7) % 240}"


def _slug(words: str, n: int) -> str:
    return "-".join(words.split()) + f"-{n}"


def _add_site_pages(web: SampleWeb, site: Site, config: WebConfig, rng: random.Random) -> None:
    port = config.port
    primary = site.primary
    _, keywords, _ = TOPICS[site.topic]

    def add(host: str, path: str, kind: str, **fields: object) -> PageSpec:
        page = PageSpec(url=make_url(host, path, port), site=site.index, kind=kind, **fields)  # type: ignore[arg-type]
        web.pages[page.url] = page
        return page

    language = "de" if site.index % 10 == 7 else "fr" if site.index % 10 == 8 else "en"
    site.home = add(primary, "/", "home", title=f"{site.brand}: {site.topic}",
                    language=language).url
    add(primary, "/robots.txt", "robots", content_type="text/plain", body=_robots(site).encode())
    if site.robots == "missing":
        web.pages[make_url(primary, "/robots.txt", port)].status = 404
    elif site.robots == "error":
        web.pages[make_url(primary, "/robots.txt", port)].status = 500
    for extra in site.hosts[1:]:
        add(extra, "/robots.txt", "robots", content_type="text/plain",
            body=_robots(site).encode())
    add(primary, "/about/", "about", title=f"About {site.brand}", language=language)
    add(primary, "/contact/", "contact", title=f"Contact {site.brand}", language=language)
    add(primary, "/search/", "search", title=f"Search {site.brand}", language=language,
        noindex=True)
    for k, keyword in enumerate(keywords[:3]):
        add(primary, f"/category/{_slug(keyword, k)}/", "category",
            title=f"{keyword.capitalize()} | {site.brand}", language=language)
    mean = config.pages_per_site * (3 if site.role in ("authority", "directory") else 1)
    n_articles = max(2, min(5 * mean, round(rng.expovariate(1 / mean))))
    for n in range(n_articles):
        keyword = rng.choice(keywords)
        host = site.hosts[1] if len(site.hosts) > 1 and n % 3 == 2 else primary
        add(host, f"/posts/{_slug(keyword, n)}/", "article",
            title=f"{keyword.capitalize()}: notes {n} | {site.brand}", language=language)
    if site.role == "blog" and site.index % 3 == 0:
        add(primary, "/partners/", "partners", title=f"Partners of {site.brand}")
    if site.role == "directory":
        for topic in sorted(TOPICS):
            add(primary, f"/dir/{topic}/", "directory", title=f"{topic.capitalize()} sites")
    if site.role == "seller":
        add(primary, "/resources/", "resources", title="Useful resources")
        add(primary, "/sponsored/", "sponsored", title="Sponsored picks")
    if site.robots == "disallow-private":
        add(primary, "/private/members/", "private", title="Members", robots_disallowed=True)
    if site.index % 6 == 1:
        add(primary, "/archive/", "archive", title=f"Archive | {site.brand}", nofollow=True)
    if site.index % 8 == 2:
        add(primary, "/go/partner/", "refresh", title="Redirecting")
    _add_dead_pages(site, add)


def _add_dead_pages(site: Site, add) -> None:  # type: ignore[no-untyped-def]
    """Pages that answer badly on purpose: links to them are the broken links of the truth."""
    host = site.primary
    articles_hint = "gone"
    add(host, f"/missing-{articles_hint}/", "dead", status=404)
    add(host, f"/retired-{articles_hint}/", "dead", status=410)
    add(host, f"/broken-{articles_hint}/", "dead", status=500)
    add(host, "/slow-page/", "slow", title="Slow page", delay=30.0)
    add(host, "/files/brochure.pdf", "file", content_type="application/pdf",
        body=b"%PDF-1.4\n% linkscope sample file\n%%EOF\n")


def _robots(site: Site) -> str:
    lines = ["User-agent: *"]
    if site.robots == "disallow-private":
        lines.append("Disallow: /private/")
    else:
        lines.append("Disallow:")
    if site.crawl_delay:
        lines.append(f"Crawl-delay: {site.crawl_delay}")
    return "\n".join(lines) + "\n"
