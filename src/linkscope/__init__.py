"""linkscope: an open, self-hosted backlink index and Site Explorer."""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """`__version__`, read from the installed package's metadata on first use (importlib's
    metadata costs tens of milliseconds, which every command would pay at start-up)."""
    if name != "__version__":
        raise AttributeError(f"module 'linkscope' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("linkscope")
    except PackageNotFoundError:  # running from a source tree that was not installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
