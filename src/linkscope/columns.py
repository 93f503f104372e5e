"""What a person sees of each report: its columns, their labels, how each is shown, which
sort key each header sorts by, and which a terminal shows by default.

One declaration for the terminal tables (cli/output.py) and the web pages (web/); csv, json
and jsonl carry every field of the rows instead. A column's `kind` says how to show it:

    page, url       a URL (shortened in the middle, so that its host stays whole)
    anchor          the anchor text and, under it, the link's target
    type            follow or nofollow (ugc, sponsored), the placement and the kind
    domain, ip      as it is, never cut
    text            as it is
    dr, ur          a 0-100 rating, whole
    number          a count; percent, share: a fraction shown as a percentage
    date            a day; flag: yes or no; status: an HTTP status or the fetch's error
    list, map       a few items, or `name n` pairs, as text
    capture         the archived page behind the row (the web UI links to it)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

DASH = "–"


@dataclass(frozen=True)
class Column:
    key: str  # the row's field (or, for anchor, type and capture, the first of the fields)
    label: str
    kind: str = "text"
    sort: str | None = None  # the report's sort key, when the column can sort
    title: str = ""  # a longer explanation (the web header's tooltip)
    terminal: bool = True  # shown in a terminal table unless --columns says otherwise
    web: bool = True


COLUMNS: dict[str, tuple[Column, ...]] = {
    "backlinks": (
        Column("source", "Referring page", "page", "source"),
        Column("source_dr", "DR", "dr", "source_dr", "Domain rating of the referring domain"),
        Column("source_ur", "UR", "ur", "source_ur", "URL rating of the referring page"),
        Column("source_outlinks", "Out links", "number", "source_outlinks",
               "Links on the referring page", terminal=False),
        Column("anchor", "Anchor and target", "anchor", "anchor"),
        Column("type", "Type", "type", title="Followed or not, placement and kind",
               web=False),
        Column("placement", "Placement", terminal=False),
        Column("kind", "Kind", terminal=False),
        Column("value_share", "Value", "share", "value",
               "This link's share of the UR its target receives by links", terminal=False),
        Column("first_seen", "First seen", "date", "first_seen", terminal=False),
        Column("last_seen", "Last seen", "date", "last_seen", terminal=False),
        Column("similar", "Similar", "number", "similar", "Links this row stands for",
               terminal=False),
        Column("warc_file", "Capture", "capture",
               title="The archived referring page the link was read from", terminal=False),
    ),
    "refdomains": (
        Column("domain", "Referring domain", "domain", "domain"),
        Column("dr", "DR", "dr", "dr"),
        Column("links", "Links", "number", "links"),
        Column("followed_links", "Followed links", "number", "followed_links"),
        Column("first_seen", "First seen", "date", "first_seen"),
        Column("last_seen", "Last seen", "date", "last_seen", terminal=False),
        Column("lost", "Lost", "flag", terminal=False),
        Column("ip", "IP", terminal=False),
    ),
    "anchors": (
        Column("anchor", "Anchor", "text", "anchor"),
        Column("ref_domains", "Ref. domains", "number", "ref_domains",
               "Referring domains whose links use this anchor"),
        Column("links", "Links", "number", "links"),
        Column("followed_share", "% followed", "percent", "followed_share"),
        Column("first_seen", "First seen", "date", "first_seen"),
    ),
    "refips": (
        Column("ip", "IP or subnet", "ip", "ip"),
        Column("ref_domains", "Ref. domains", "number", "ref_domains"),
        Column("links", "Links", "number", "links"),
        Column("followed_links", "Followed links", "number", "followed_links",
               terminal=False),
        Column("domains", "Referring domains", "list"),
        Column("first_seen", "First seen", "date", terminal=False),
    ),
    "competitors": (
        Column("domain", "Competitor", "domain"),
        Column("dr", "DR", "dr"),
        Column("shared_domains", "Shared", "number", title="Referring domains shared with "
                                                             "the target"),
        Column("their_domains", "Theirs", "number", title="All referring domains of the "
                                                           "competitor"),
        Column("share_of_target", "Of yours", "percent",
               title="Shared referring domains as a share of the target's"),
        Column("shared_sample", "Some shared", "list"),
    ),
    "intersect": (
        Column("referrer", "Referrer", "referrer"),
        Column("dr", "DR", "dr"),
        Column("competitors", "Linked", "number", title="Competitors it links to"),
        Column("links", "Links to each", "map"),
    ),
    "broken": (
        Column("source", "Referring page", "page"),
        Column("source_dr", "DR", "dr"),
        Column("anchor", "Anchor and broken URL", "anchor"),
        Column("status", "Status", "status"),
        Column("follow", "Followed", "flag", terminal=False),
        Column("checked", "Checked", "date", terminal=False),
    ),
    "broken_outgoing": (
        Column("url", "Dead URL", "url"),
        Column("status", "Status", "status"),
        Column("referring_pages", "Pages", "number", title="Pages of the target linking to it"),
        Column("sources", "Linked from", "list"),
        Column("anchors", "Anchors", "list", terminal=False),
        Column("checked", "Checked", "date", terminal=False),
    ),
    "history": (
        Column("period", "Period", "date"),
        Column("new_links", "New links", "number"),
        Column("lost_links", "Lost links", "number"),
        Column("new_refdomains", "New domains", "number"),
        Column("lost_refdomains", "Lost domains", "number"),
        Column("lost_reasons", "Lost reasons", "map"),
    ),
    "internal": (
        Column("url", "Page", "page", "url"),
        Column("ur", "UR", "ur", "ur"),
        Column("internal_inlinks", "Inlinks", "number", "internal_inlinks",
               "Pages of the site linking to it"),
        Column("internal_outlinks", "Outlinks", "number", "internal_outlinks",
               "Pages of the site it links to"),
        Column("external_backlinks", "Backlinks", "number", "external_backlinks"),
        Column("few_internal_links", "Needs links", "flag"),
    ),
    "search": (
        Column("title", "Title", terminal=False, web=False),  # the page cell shows it
        Column("url", "Page", "page"),
        Column("snippet", "Snippet", web=False),
        Column("snippet_html", "Snippet", "snippet", terminal=False),
        Column("dr", "DR", "dr"),
        Column("ur", "UR", "ur"),
        Column("ref_domains", "Ref. domains", "number",
               title="Domains with a live link to the page"),
        Column("author", "Author", terminal=False),
        Column("published", "Published", terminal=False),
    ),
    "search_month": (
        Column("month", "Month published"),
        Column("pages", "Pages", "number"),
    ),
    "search_site": (
        Column("site", "Site", "domain"),
        Column("pages", "Pages", "number"),
        Column("authors", "Authors", "number"),
        Column("dr", "DR", "dr"),
        Column("ref_domains", "Ref. domains", "number"),
        Column("top_url", "Best page", "url", terminal=False),
    ),
    "search_author": (
        Column("author", "Author"),
        Column("pages", "Pages", "number"),
        Column("sites", "Sites", "number"),
        Column("site_list", "Some sites", "list"),
    ),
    "mentions": (
        Column("url", "Page", "page"),
        Column("snippet", "Snippet", web=False),
        Column("snippet_html", "Snippet", "snippet", terminal=False),
        Column("dr", "DR", "dr"),
        Column("ur", "UR", "ur"),
        Column("links_to_competitors", "Links to", "list",
               title="Competitors the page links to"),
        Column("first_seen", "First seen", "date", terminal=False),
    ),
}


def view_of(report: str, outgoing: bool = False, aggregate: str | None = None) -> str:
    """The key of COLUMNS for a report (broken has two views, search three)."""
    if report == "search" and aggregate in ("site", "author", "month"):
        return f"search_{aggregate}"
    return "broken_outgoing" if report == "broken" and outgoing else report


# How figures read, the same in a terminal and on a page.

def number(value: Any) -> str:
    return DASH if value is None else f"{int(value):,}"


def rating(value: Any) -> str:
    return DASH if value is None else f"{float(value):.0f}"


def percent(value: Any) -> str:
    if value is None:
        return DASH
    share = 100 * float(value)
    if share == 0:
        return "0%"
    if share < 0.1:
        return "<0.1%"
    return f"{share:.0f}%" if share >= 10 else f"{share:.1f}%"


def day(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]
