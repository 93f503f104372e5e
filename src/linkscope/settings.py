"""Every knob of linkscope in one registry: its default, environment variable and help text.

A knob is declared once, as a field of `Settings` made by `knob()`; `KNOBS` (which docs/cli.md
and the tests read) is derived from those fields, so a knob cannot be documented without
existing or exist without being documented.

Precedence: command-line flag > environment variable > default. Deep code never reads the
environment; it receives a Settings object (or the values it needs) explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from linkscope.errors import UsageError

# The defaults of knobs that deep code also needs when called as a library (settings are
# passed to it explicitly; these are only the values it falls back to).
MAX_DECODED_BODY = 32 << 20
DAMPING = 0.85
RANK_TOLERANCE = 1e-9
# The reasonable surfer: how a page's vote splits over its links (docs/metrics.md says why).
PLACEMENT_WEIGHTS: dict[str, float] = {"content": 1.0, "comment": 0.3, "sidebar": 0.3,
                                       "nav": 0.3, "header": 0.2, "footer": 0.1,
                                       "unknown": 0.3}
QUERY_TIMEOUT = 10.0
QUERY_WORKERS = 4


@dataclass(frozen=True)
class Knob:
    name: str
    env: str
    default: Any
    help: str


def knob(default: Any, env: str, help: str) -> Any:
    """A field of Settings: its default, its environment variable and what it means."""
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    index: Path = knob(Path("./linkscope-index"), "LINKSCOPE_INDEX",
                       "Index directory to read and write.")
    debug: bool = knob(False, "LINKSCOPE_DEBUG", "Show tracebacks instead of one-line errors.")
    workers: int = knob(0, "LINKSCOPE_WORKERS", "Worker processes for ingest (0: one per core).")
    max_decoded_body: int = knob(
        MAX_DECODED_BODY, "LINKSCOPE_MAX_DECODED_BODY",
        "Bytes a page body may decode to (gzip, deflate, br) in ingest and crawl; a body that "
        "inflates past it is kept cut there (counted as warc/truncated/body or "
        "crawl/truncated/body).")
    user_agent: str = knob("linkscope/0.1 (+https://linkscope.test/bot)",
                           "LINKSCOPE_USER_AGENT", "User-Agent the crawler sends.")
    api_key: str | None = knob(None, "LINKSCOPE_API_KEY",
                               "API key the server requires when bound to a non-loopback "
                               "address.")
    damping: float = knob(
        DAMPING, "LINKSCOPE_DAMPING",
        "PageRank damping of UR and DR: the share of its score a page passes on by its links "
        "(the rest is spread evenly). Used by `linkscope rank`; a build (ingest, crawl) ranks "
        "with the parameters the served generation was ranked with. Recorded in the manifest.")
    rank_tolerance: float = knob(
        RANK_TOLERANCE, "LINKSCOPE_RANK_TOLERANCE",
        "L1 change between two iterations at which UR and DR stop iterating.")
    placement_weights: str = knob(
        ",".join(f"{name}={weight:g}" for name, weight in PLACEMENT_WEIGHTS.items()),
        "LINKSCOPE_PLACEMENT_WEIGHTS",
        "How a page's vote splits over its links by where they sit: placement=weight pairs, "
        "comma-separated; a placement left out weighs 0.1. Used by `linkscope rank`; recorded "
        "in the manifest.")
    query_timeout: float = knob(
        QUERY_TIMEOUT, "LINKSCOPE_QUERY_TIMEOUT",
        "Seconds a report may run in the server before it is stopped (503).")
    query_workers: int = knob(
        QUERY_WORKERS, "LINKSCOPE_QUERY_WORKERS",
        "Reports the server runs at once; more wait in line within their time limit.")
    extract_path: str = knob(
        "auto", "LINKSCOPE_EXTRACT",
        "Extraction's tree pass: auto (the C pass when it loads, else pure Python with a "
        "warning), c (the C pass or an error), python. Read once, when extraction is imported.")
    extract_max_attributes: int = knob(
        512, "LINKSCOPE_EXTRACT_MAX_ATTRIBUTES",
        "Attributes kept on one start tag; more are cut before parsing (lexbor compares each "
        "new attribute with all the others). 0: no limit.")
    extract_max_depth: int = knob(
        512, "LINKSCOPE_EXTRACT_MAX_DEPTH",
        "Depth of nested elements kept on a page, as Blink's parser caps it; deeper start tags "
        "are cut. 0: no limit.")
    extract_max_elements: int = knob(
        250_000, "LINKSCOPE_EXTRACT_MAX_ELEMENTS",
        "Elements read from one page; the rest of the page is cut. 0: no limit.")
    extract_time_budget: float = knob(
        10.0, "LINKSCOPE_EXTRACT_TIME_BUDGET",
        "Seconds extraction may spend on one page (ingest, crawl, extract); past it the page "
        "is kept with the links found so far. 0: no limit.")

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Build settings from defaults, then the environment, then flags that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for one in KNOBS:
            raw = env.get(one.env)
            if raw is not None and raw != "":
                values[one.name] = _parse(one, raw)
        for name, value in flags.items():
            if value is not None:
                values[name] = value
        settings = replace(cls(), **values)
        settings.weights()  # a bad value is refused now, naming its variable
        if not 0 < settings.damping < 1:
            raise UsageError(f"must be between 0 and 1, got {settings.damping:g}",
                             where="LINKSCOPE_DAMPING")
        return replace(settings, index=Path(settings.index))

    def weights(self) -> tuple[tuple[str, float], ...]:
        """The placement weights as (placement, weight) pairs."""
        return parse_weights(self.placement_weights, "LINKSCOPE_PLACEMENT_WEIGHTS")


KNOBS: tuple[Knob, ...] = tuple(
    Knob(f.name, f.metadata["env"], f.default, f.metadata["help"]) for f in fields(Settings))


def parse_weights(text: str, where: str) -> tuple[tuple[str, float], ...]:
    """`content=1,footer=0.1` as pairs; UsageError naming `where` for anything else."""
    pairs: list[tuple[str, float]] = []
    for item in (part.strip() for part in text.split(",") if part.strip()):
        name, equals, number = item.partition("=")
        name = name.strip().lower()
        if not equals or name not in PLACEMENT_WEIGHTS:
            raise UsageError(f"expected placement=weight pairs with placements among "
                             f"{', '.join(PLACEMENT_WEIGHTS)}, got {item!r}", where=where)
        try:
            weight = float(number)
        except ValueError:
            raise UsageError(f"expected a number for {name}, got {number!r}",
                             where=where) from None
        if not 0 <= weight <= 1000:
            raise UsageError(f"a weight must be between 0 and 1000, got {weight:g}", where=where)
        pairs.append((name, weight))
    if not pairs:
        raise UsageError("no placement weights given", where=where)
    return tuple(pairs)


def knob_from_environment(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """One knob from the environment, else its default: for the few choices made once per
    process when a module is imported, before any Settings object can be handed down (the
    extraction path, which ingest workers and Spark executors choose too)."""
    one = next(k for k in KNOBS if k.name == name)
    raw = (os.environ if environ is None else environ).get(one.env)
    return _parse(one, raw) if raw else one.default


def _parse(knob: Knob, raw: str) -> Any:
    default = knob.default
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise UsageError(f"expected a boolean, got {raw!r}", where=knob.env)
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise UsageError(f"expected an integer, got {raw!r}", where=knob.env) from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise UsageError(f"expected a number, got {raw!r}", where=knob.env) from None
    if isinstance(default, Path):
        return Path(raw)
    return raw
