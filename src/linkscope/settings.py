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
        return replace(settings, index=Path(settings.index))


KNOBS: tuple[Knob, ...] = tuple(
    Knob(f.name, f.metadata["env"], f.default, f.metadata["help"]) for f in fields(Settings))


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
