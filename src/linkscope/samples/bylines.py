"""Who wrote an article of the sample web and when: its byline, stated in its markup.

Articles state an author and a date of publication in their <head>, one way per site
template so that extraction reads each: `semantic` sites in meta tags (`author`,
`article:published_time`), `named` sites in a JSON-LD block, `opaque` sites in Dublin Core
style meta tags (`dc.creator`, `date`). Nothing changes in the body, so no link, text or
placement of the web moves. The values are drawn from the page's URL alone (its port left
out), so they never change with the port, the epoch or anything else in the web.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import date, timedelta

from linkscope.samples.model import PageSpec, port_free
from linkscope.samples.words import FIRST_NAMES

__all__ = ["Byline", "byline", "byline_head"]

FIRST_DAY = date(2023, 1, 1)
DAYS = 1095  # three years of articles
SURNAMES = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Reyes", "Haddad", "Kowalski")

Byline = tuple[str, str]  # author, published (YYYY-MM-DD)


def byline(page: PageSpec) -> Byline | None:
    """The author and date of an article; None for other pages."""
    if page.kind != "article" or not page.is_html:
        return None
    digest = hashlib.sha256(port_free(page.url).encode()).digest()
    author = f"{FIRST_NAMES[digest[0] % len(FIRST_NAMES)]} {SURNAMES[digest[1] % len(SURNAMES)]}"
    published = FIRST_DAY + timedelta(days=int.from_bytes(digest[2:4], "big") % DAYS)
    return author, published.isoformat()


def byline_head(page: PageSpec, template: str) -> list[str]:
    """The tags a page's <head> carries for its byline."""
    found = byline(page)
    if found is None:
        return []
    author, published = found
    if template == "opaque":
        return [f'<meta name="dc.creator" content="{html.escape(author)}">',
                f'<meta name="date" content="{published}">']
    if template == "semantic":
        return [f'<meta name="author" content="{html.escape(author)}">',
                f'<meta property="article:published_time" content="{published}T08:00:00Z">']
    data = {"@context": "https://schema.org", "@type": "BlogPosting",
            "author": {"@type": "Person", "name": author}, "datePublished": published}
    return [f'<script type="application/ld+json">{json.dumps(data)}</script>']
