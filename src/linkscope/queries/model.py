"""Each report's query as one typed object, declared once.

A query is a frozen dataclass whose fields are made by `param()`: the field's type, default,
choices, bounds and help are the parameter's, on every surface. The CLI's options
(cli/reports.py), the API's query parameters and OpenAPI schema (api/routes.py) and the web
UI's form (web/pages.py) are all generated from these declarations, and `check()` validates a
query the same way whichever surface built it, naming the parameter at fault.

This module imports nothing heavy: the CLI reads it to build its commands before it knows
which one will run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from linkscope.errors import UsageError

MODES: tuple[str, ...] = ("exact", "prefix", "domain", "subdomains")
SCOPES: tuple[str, ...] = ("live", "recent", "all")
ORDERS: tuple[str, ...] = ("desc", "asc")
REL_FILTERS: tuple[str, ...] = ("follow", "nofollow", "ugc", "sponsored")
PLACEMENTS: tuple[str, ...] = ("content", "header", "nav", "sidebar", "footer", "comment",
                               "unknown")
KINDS: tuple[str, ...] = ("text", "image", "redirect", "canonical", "alternate", "frame",
                          "form")
MAX_LIMIT = 100_000  # one page of rows; there is no cap on the total, page through it
MAX_OFFSET = 1_000_000_000
MAX_DAYS = 36_500
REQUIRED: Any = dataclasses.MISSING

Q = TypeVar("Q", bound="ReportQuery")


@dataclass(frozen=True)
class Param:
    """One parameter of a report, as every surface shows it."""

    name: str  # the field of the query object
    public: str  # the name on every surface: API and form key; the CLI flag with dashes
    kind: type  # str, int, float or bool (of each item, when `many`)
    default: Any  # REQUIRED when it must be given
    help: str
    label: str  # the web form's label
    choices: tuple[str, ...] = ()
    many: bool = False  # repeatable (a tuple of values)
    low: float | None = None
    high: float | None = None
    max_length: int | None = None
    positional: bool = False  # a CLI argument rather than an option
    group: str = "main"  # where the web form shows it: main, filter, hidden, paging

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def flag(self) -> str:
        return "--" + self.public.replace("_", "-")


def param(default: Any, help: str, *, kind: type | None = None, label: str = "",
          choices: Sequence[str] = (), many: bool = False, low: float | None = None,
          high: float | None = None, max_length: int | None = None, public: str = "",
          positional: bool = False, group: str = "main") -> Any:
    """A field of a query: its default (REQUIRED for none) and everything a surface shows."""
    if kind is None:
        kind = type(default) if default not in (None, REQUIRED, ()) else str
    spec = {"help": help, "kind": kind, "label": label, "choices": tuple(choices),
            "many": many, "low": low, "high": high, "max_length": max_length,
            "public": public, "positional": positional, "group": group}
    if default is REQUIRED:
        return field(metadata={"param": spec})
    return field(default=default, metadata={"param": spec})


_PARAMS: dict[type, tuple[Param, ...]] = {}


def params_of(query: type) -> tuple[Param, ...]:
    """The parameters of a query class, in declaration order."""
    known = _PARAMS.get(query)
    if known is not None:
        return known
    found = []
    for f in dataclasses.fields(query):
        spec = f.metadata["param"]
        default = REQUIRED if f.default is dataclasses.MISSING else f.default
        found.append(Param(name=f.name, public=spec["public"] or f.name, kind=spec["kind"],
                           default=default, help=spec["help"],
                           label=spec["label"] or f.name.replace("_", " ").capitalize(),
                           choices=spec["choices"], many=spec["many"], low=spec["low"],
                           high=spec["high"], max_length=spec["max_length"],
                           positional=spec["positional"], group=spec["group"]))
    _PARAMS[query] = tuple(found)
    return _PARAMS[query]


@dataclass(frozen=True, kw_only=True)
class ReportQuery:
    """What every report query can do: check itself and be built from text."""

    def __post_init__(self) -> None:
        # a repeatable parameter holds a tuple, whatever sequence (or single value) was given
        for p in params_of(type(self)):
            value = getattr(self, p.name)
            if p.many and not isinstance(value, tuple):
                given = (value,) if isinstance(value, str) else tuple(value or ())
                object.__setattr__(self, p.name, given)

    def check(self: Q) -> Q:
        """Raise UsageError naming the first parameter out of its choices or bounds."""
        for p in params_of(type(self)):
            value = getattr(self, p.name)
            for one in (value if p.many else (value,)):
                _check_value(p, one)
        return self

    def changed(self: Q, **changes: Any) -> Q:
        return dataclasses.replace(self, **changes)

    def set_filters(self) -> set[str]:
        """The names of the filters (parameters of the group "filter") this query sets."""
        return {p.name for p in params_of(type(self))
                if p.group == "filter" and getattr(self, p.name) != p.default}

    def active_filters(self) -> int:
        """How many filters are set (the web form opens its filters when any is)."""
        return len(self.set_filters())

    @classmethod
    def from_text(cls: type[Q], values: Mapping[str, Sequence[str]]) -> Q:
        """A query from text values keyed by public name (a query string, a form), converted
        to each parameter's type; empty values mean the default."""
        known = {p.public: p for p in params_of(cls)}
        for name in values:
            if name not in known:
                raise UsageError(f"unknown parameter; this report takes "
                                 f"{', '.join(sorted(known))}", where=name)
        kwargs: dict[str, Any] = {}
        for public, p in known.items():
            given = [v.strip() for v in values.get(public, ()) if v.strip()]
            if p.many:
                if given:
                    kwargs[p.name] = tuple(_convert(p, v) for v in given)
            elif given:
                kwargs[p.name] = _convert(p, given[-1])
            elif p.required:
                raise UsageError("required", where=public)
        return cls(**kwargs).check()


def _convert(p: Param, raw: str) -> Any:
    if p.kind is bool:
        lowered = raw.lower()
        if lowered in ("1", "true", "on", "yes"):
            return True
        if lowered in ("0", "false", "off", "no"):
            return False
        raise UsageError(f"expected true or false, got {raw!r}", where=p.public)
    if p.kind is int:
        try:
            return int(raw)
        except ValueError:
            raise UsageError(f"expected a whole number, got {raw!r}", where=p.public) from None
    if p.kind is float:
        try:
            number = float(raw)
        except ValueError:
            raise UsageError(f"expected a number, got {raw!r}", where=p.public) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise UsageError(f"expected a finite number, got {raw!r}", where=p.public)
        return number
    return raw


def _check_value(p: Param, value: Any) -> None:
    if value is None:
        if p.required:
            raise UsageError("required", where=p.public)
        return
    if p.choices and value not in p.choices:
        raise UsageError(f"unknown value {value!r}; use one of {', '.join(p.choices)}",
                         where=p.public)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric and (p.low is not None and value < p.low or p.high is not None
                    and value > p.high):
            low = "" if p.low is None else f"{p.low:g}"
            high = "" if p.high is None else f"{p.high:g}"
            rule = (f"between {low} and {high}" if low and high else
                    f"{low} or more" if low else f"{high} or less")
            raise UsageError(f"must be {rule}, got {value:g}", where=p.public)
    if isinstance(value, str):
        if p.required and not value.strip():
            raise UsageError("must not be empty", where=p.public)
        if p.max_length is not None and len(value) > p.max_length:
            raise UsageError(f"at most {p.max_length} characters, got {len(value)}",
                             where=p.public)


# The parameters most reports share, made by functions so each report declares its own
# defaults and sort keys.

def target_param() -> Any:
    return param(REQUIRED, "A URL, URL prefix, domain or host.", label="Target", max_length=2048,
                 positional=True, group="hidden")


def mode_param() -> Any:
    return param(None, "exact, prefix, domain or subdomains (default: exact for a URL, domain "
                       "otherwise).", choices=MODES, label="Mode", group="hidden")


def scope_param() -> Any:
    return param("live", "live, recent (live and lost in the last 90 days) or all.",
                 choices=SCOPES, label="Links")


def sort_param(keys: Iterable[str]) -> Any:
    return param(None, "Column to sort by (default: the report's own order).",
                 choices=tuple(keys), label="Sort by", group="hidden")


def order_param() -> Any:
    return param("desc", "asc or desc.", choices=ORDERS, label="Order", group="hidden")


def limit_param(default: int = 50) -> Any:
    return param(default, "Rows per page.", low=1, high=MAX_LIMIT, label="Rows",
                 group="paging")


def offset_param() -> Any:
    return param(0, "Rows to skip (paging).", low=0, high=MAX_OFFSET, label="From row",
                 group="paging")


@dataclass(frozen=True, kw_only=True)
class TargetQuery(ReportQuery):
    target: str = target_param()
    mode: str | None = mode_param()


@dataclass(frozen=True, kw_only=True)
class ScopedQuery(TargetQuery):
    scope: str = scope_param()


@dataclass(frozen=True, kw_only=True)
class LinkFilterQuery(ScopedQuery):
    """The filters of the link reports: on the link's type, its anchor, its referring page."""

    rel: tuple[str, ...] = param((), "Link type: follow, nofollow, ugc, sponsored; all must "
                                     "hold.", kind=str, many=True, choices=REL_FILTERS,
                                 label="Link type", group="filter")
    placement: tuple[str, ...] = param((), "Where the link sits on its page (any of them).",
                                       kind=str, many=True, choices=PLACEMENTS,
                                       label="Placement", group="filter")
    kind: tuple[str, ...] = param((), "What the link is (any of them).", kind=str, many=True,
                                  choices=KINDS, label="Kind", group="filter")
    anchor_contains: str | None = param(None, "Anchor contains (any case).", max_length=500,
                                        label="Anchor contains", group="filter")
    anchor_regex: str | None = param(None, "Anchor matches (RE2 syntax).", max_length=500,
                                     label="Anchor matches (regex)", group="filter")
    language: str | None = param(None, "Language of the referring page.", max_length=35,
                                 label="Language", group="filter")
    referring_domain: str | None = param(None, "Only links from this domain.",
                                         max_length=253, label="Referring domain",
                                         group="filter")
    min_dr: float | None = param(None, "Minimum DR of the referring domain.", kind=float,
                                 low=0, high=100, label="Min DR", group="filter")
    min_ur: float | None = param(None, "Minimum UR of the referring page.", kind=float,
                                 low=0, high=100, label="Min UR", group="filter")
    new_within: int | None = param(None, "First seen in the last N days.", kind=int, low=0,
                                   high=MAX_DAYS, label="New in last N days", group="filter")
    lost_within: int | None = param(None, "Lost in the last N days.", kind=int, low=0,
                                    high=MAX_DAYS, label="Lost in last N days",
                                    group="filter")

    def set_filters(self) -> set[str]:
        """The names of the filters this query sets."""
        return {p.name for p in params_of(type(self))
                if p.group == "filter" and getattr(self, p.name) != p.default}

    def active_filters(self) -> int:
        """How many filters are set (the web form opens its filters when any is)."""
        return len(self.set_filters())
