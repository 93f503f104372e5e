"""What extraction runs on: the parser, the URL library, and which tree pass (C or Python).

`linkscope --version` prints these lines, so that a slow ingest can be traced to the pure-Python
path (and why it was taken) without reading logs.
"""

from __future__ import annotations

from linkscope.extract import fastwalk

__all__ = ["describe"]


def describe() -> list[str]:
    """One line each: parser, URL library, extraction path (with the reason when it is the
    slower one)."""
    versions = fastwalk.installed_versions()
    if fastwalk.FAST:
        path = "C tree pass (_walk over selectolax's lexbor)"
    else:
        path = f"pure Python, about 3x slower ({fastwalk.why_slow})"
    return [f"parser: selectolax {versions['selectolax']} (lexbor {versions['lexbor']})",
            f"URLs: ada-url {versions['ada-url']}", f"extraction: {path}"]
