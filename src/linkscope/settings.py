"""Every knob of linkscope in one place: default, environment variable, help text.

Precedence: command-line flag > environment variable > default. Deep code never reads the
environment; it receives a Settings object (or the values it needs) explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from linkscope.errors import UsageError


@dataclass(frozen=True)
class Knob:
    name: str
    env: str
    default: Any
    help: str


KNOBS: tuple[Knob, ...] = (
    Knob("index", "LINKSCOPE_INDEX", "./linkscope-index", "Index directory to read and write."),
    Knob("debug", "LINKSCOPE_DEBUG", False, "Show tracebacks instead of one-line errors."),
    Knob("workers", "LINKSCOPE_WORKERS", 0, "Worker processes for ingest (0: one per core)."),
    Knob("user_agent", "LINKSCOPE_USER_AGENT", "linkscope/0.1 (+https://linkscope.test/bot)",
         "User-Agent the crawler sends."),
    Knob("api_key", "LINKSCOPE_API_KEY", None,
         "API key the server requires when bound to a non-loopback address."),
)


@dataclass(frozen=True)
class Settings:
    index: Path = Path("./linkscope-index")
    debug: bool = False
    workers: int = 0
    user_agent: str = "linkscope/0.1 (+https://linkscope.test/bot)"
    api_key: str | None = None

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Build settings from defaults, then the environment, then flags that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for knob in KNOBS:
            raw = env.get(knob.env)
            if raw is not None and raw != "":
                values[knob.name] = _parse(knob, raw)
        for name, value in flags.items():
            if value is not None:
                values[name] = value
        settings = replace(cls(), **values)
        return replace(settings, index=Path(settings.index))


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
    return raw
