"""linkscope: an open, self-hosted backlink index and Site Explorer."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("linkscope")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
