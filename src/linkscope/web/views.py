"""What each report page shows: its columns (label, how to render, sort key), and the reading
of a page's query string into the report's parameters.

The pages take the same parameter names as the API and the CLI, so a page's URL and its CSV
export link differ only in their path and `format=csv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from linkscope.errors import UsageError
from linkscope.reports import LinkFilters


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, url, page, number, rating, ur, dr, date, flag, share, list, map
    sort: str | None = None  # the report's sort key, when the column can sort
    title: str = ""  # a longer explanation, shown as the header's tooltip


COLUMNS: dict[str, tuple[Column, ...]] = {
    "backlinks": (
        Column("source", "Referring page", "page", "source"),
        Column("source_dr", "DR", "dr", "source_dr", "Domain rating of the referring domain"),
        Column("source_ur", "UR", "ur", "source_ur", "URL rating of the referring page"),
        Column("source_outlinks", "Out links", "number", "source_outlinks",
               "Links on the referring page"),
        Column("anchor", "Anchor and target", "anchor", "anchor"),
        Column("placement", "Placement"),
        Column("kind", "Kind"),
        Column("value", "Value", "share", "value", "Share of UR this link passes"),
        Column("first_seen", "First seen", "date", "first_seen"),
        Column("last_seen", "Last seen", "date", "last_seen"),
        Column("similar", "Similar", "number", "similar", "Links this row stands for"),
    ),
    "refdomains": (
        Column("domain", "Referring domain", "domain", "domain"),
        Column("dr", "DR", "dr", "dr"),
        Column("links", "Links", "number", "links"),
        Column("followed_links", "Followed", "number", "followed_links"),
        Column("first_seen", "First seen", "date", "first_seen"),
        Column("last_seen", "Last seen", "date", "last_seen"),
        Column("lost", "Lost", "flag"),
        Column("ip", "IP"),
    ),
    "anchors": (
        Column("anchor", "Anchor", "text", "anchor"),
        Column("ref_domains", "Referring domains", "number", "ref_domains"),
        Column("links", "Links", "number", "links"),
        Column("followed_share", "Followed", "percent", "followed_share"),
        Column("first_seen", "First seen", "date", "first_seen"),
    ),
    "competitors": (
        Column("domain", "Competitor", "domain"),
        Column("dr", "DR", "dr"),
        Column("shared_domains", "Shared referring domains", "number"),
        Column("their_domains", "Their referring domains", "number"),
        Column("share_of_target", "Share of yours", "percent"),
        Column("shared_sample", "Some shared", "list"),
    ),
    "intersect": (
        Column("referrer", "Referrer", "referrer"),
        Column("dr", "DR", "dr"),
        Column("competitors", "Competitors linked", "number"),
        Column("links", "Links to each", "map"),
    ),
    "broken": (
        Column("source", "Referring page", "url"),
        Column("source_dr", "DR", "dr"),
        Column("anchor", "Anchor"),
        Column("target", "Broken URL", "url"),
        Column("status", "Status", "status"),
        Column("follow", "Followed", "flag"),
        Column("checked", "Checked", "date"),
    ),
    "broken_outgoing": (
        Column("url", "Dead URL", "url"),
        Column("status", "Status", "status"),
        Column("referring_pages", "Pages linking", "number"),
        Column("sources", "Linked from", "list"),
        Column("anchors", "Anchors", "list"),
        Column("checked", "Checked", "date"),
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
        Column("internal_inlinks", "Internal inlinks", "number", "internal_inlinks"),
        Column("internal_outlinks", "Internal outlinks", "number", "internal_outlinks"),
        Column("external_backlinks", "Backlinks", "number", "external_backlinks"),
        Column("few_internal_links", "Needs links", "flag"),
    ),
}

FILTER_NAMES = ("rel", "placement", "kind", "anchor_contains", "anchor_regex", "language",
                "min_dr", "min_ur", "new_within", "lost_within", "referring_domain")


class Form:
    """A page's query string, read with the types the report functions expect."""

    def __init__(self, params: QueryParams) -> None:
        self.params = params

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.params.get(name, "").strip()
        return value or default

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name, default) or default
        if value not in allowed:
            raise UsageError(f"must be one of {', '.join(allowed)}, got {value!r}", where=name)
        return value

    def number(self, name: str, default: int, low: int = 0, high: int = 10_000_000) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise UsageError(f"expected a whole number, got {raw!r}", where=name) from None
        if not low <= value <= high:
            raise UsageError(f"must be between {low} and {high}, got {value}", where=name)
        return value

    def optional_int(self, name: str) -> int | None:
        return None if self.text(name) is None else self.number(name, 0, 0, 36500)

    def optional_float(self, name: str) -> float | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return float(raw)
        except ValueError:
            raise UsageError(f"expected a number, got {raw!r}", where=name) from None

    def flag(self, name: str) -> bool:
        return (self.text(name) or "").lower() in ("1", "true", "on", "yes")

    def many(self, name: str) -> list[str]:
        return [v.strip() for v in self.params.getlist(name) if v.strip()]

    def filters(self) -> LinkFilters:
        return LinkFilters(
            rel=self.many("rel"), placement=self.many("placement"), kind=self.many("kind"),
            anchor_contains=self.text("anchor_contains"),
            anchor_regex=self.text("anchor_regex"), language=self.text("language"),
            min_dr=self.optional_float("min_dr"), min_ur=self.optional_float("min_ur"),
            new_within=self.optional_int("new_within"),
            lost_within=self.optional_int("lost_within"),
            referring_domain=self.text("referring_domain"))

    def active_filters(self) -> int:
        return sum(1 for name in FILTER_NAMES if self.many(name))

    def link(self, path: str, **changes: object) -> str:
        """This page's query with some parameters changed (None removes one)."""
        pairs = [(k, v) for k, v in self.params.multi_items() if k not in changes and v != ""]
        for key, value in changes.items():
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                pairs += [(key, str(v)) for v in value]
            else:
                pairs.append((key, "1" if value is True else str(value)))
        query = urlencode(pairs)
        return f"{path}?{query}" if query else path
