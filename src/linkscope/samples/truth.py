"""The ground truth of the sample web: what every page answers and every link it carries.

Files under DIR/truth/ (JSON Lines, one object a line, in a stable order; docs/sample-web.md):

    sites.jsonl     index, domain, primary, hosts, ip, topic, role, template, brand, robots, ...
    pages.jsonl     url, host, site, kind, status, redirect_to, delay, content_type, noindex,
                    nofollow, canonical, robots_disallowed, language, title
    links.jsonl     source, target, anchor, rel, follow, placement, kind, position, note
    skipped.jsonl   source, href, reason (hrefs a browser would not follow as links)
    mentions.jsonl  source, site, brand (brand named in the text without a link)
    changes.jsonl   (epoch >= 1) change (new|lost), source, target, anchor, kind, placement,
                    reason
    structures.json the link structures by domain: pbn, reciprocal, directory, ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from linkscope.samples.model import PageSpec, SampleWeb


def site_rows(web: SampleWeb) -> Iterator[dict[str, Any]]:
    for s in web.sites:
        yield {"index": s.index, "domain": s.domain, "primary": s.primary, "hosts": s.hosts,
               "ip": s.ip, "topic": s.topic, "role": s.role, "template": s.template,
               "brand": s.brand, "home": s.home, "robots": s.robots,
               "crawl_delay": s.crawl_delay, "base_href": s.base_href}


def page_row(web: SampleWeb, page: PageSpec) -> dict[str, Any]:
    return {"url": page.url, "host": urlsplit(page.url).hostname, "site": page.site,
            "kind": page.kind, "status": page.status, "redirect_to": page.redirect_to,
            "delay": page.delay, "content_type": page.content_type, "noindex": page.noindex,
            "nofollow": page.nofollow, "canonical": page.canonical or (
                page.url if page.is_html else None),
            "robots_disallowed": page.robots_disallowed or
            web.sites[page.site].robots == "error",
            "language": page.language if page.is_html else None,
            "title": page.title if page.is_html else None}


def mention_rows(web: SampleWeb) -> Iterator[dict[str, Any]]:
    for page in web.pages.values():
        if page.status != 200:
            continue
        for site in page.mentions:
            yield {"source": page.url, "site": web.sites[site].domain,
                   "brand": web.sites[site].brand}


def lost_reason(page: dict[str, Any] | None, still_there: dict[str, Any] | None,
                turned_noindex: bool = False) -> str:
    """Why a link of an earlier epoch is absent from a later one (records.LostReason)."""
    if page is None or page["status"] >= 400:
        return "page_gone"
    if 300 <= page["status"] < 400:
        return "page_redirected"
    if turned_noindex:
        return "noindex"
    if still_there is not None:
        return "nofollow"
    return "removed"


def compute_changes(before: Iterable[dict[str, Any]], after: Iterable[dict[str, Any]],
                    pages_before: dict[str, dict[str, Any]],
                    pages_after: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """New and lost links between two epochs, keyed by (source, target, anchor, kind, placement).

    A link that stays but is no longer followed counts as lost (reason nofollow), as a
    backlink tool reports it; a link on a page that turned noindex counts as lost (noindex).
    """
    def key(link: dict[str, Any]) -> tuple[str, str, str, str, str]:
        return (link["source"], link["target"], link["anchor"], link["kind"], link["placement"])

    old = {key(link): link for link in before if link["kind"] != "canonical"}
    new = {key(link): link for link in after if link["kind"] != "canonical"}
    for k, link in old.items():
        now = new.get(k)
        page = pages_after.get(link["source"])
        turned_noindex = bool(page and page["noindex"]
                              and not pages_before[link["source"]]["noindex"])
        if now is not None and (now["follow"] or not link["follow"]) and not turned_noindex:
            continue
        yield {"change": "lost", "source": link["source"], "target": link["target"],
               "anchor": link["anchor"], "kind": link["kind"], "placement": link["placement"],
               "reason": lost_reason(page, now, turned_noindex)}
    for k, link in new.items():
        if k not in old:
            yield {"change": "new", "source": link["source"], "target": link["target"],
                   "anchor": link["anchor"], "kind": link["kind"],
                   "placement": link["placement"], "reason": None}
