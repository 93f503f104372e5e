"""Extraction: one fetched page in, a page record and its link records out, with no I/O.

    >>> from linkscope.extract import extract_page
    >>> result = extract_page(fetched)          # a linkscope.records.FetchedPage
    >>> result.page, result.links, result.skipped

The same function runs in the local pipeline, in the crawler and inside Spark. Bad hrefs are
skipped and counted in `result.skipped` under `extract/skipped/<reason>`; nothing raises.
`extract_page(fetched, limits=ExtractLimits.from_settings(settings))` bounds the work one page
may cost (limits.py); a page past them is kept, truncated, and counted under
`extract/truncated/<reason>`.
"""

from linkscope.extract.limits import DEFAULT_LIMITS, ExtractLimits
from linkscope.extract.page import ANCHOR_LIMIT, CONTEXT_LIMIT, Extraction, extract_page

__all__ = ["ANCHOR_LIMIT", "CONTEXT_LIMIT", "DEFAULT_LIMITS", "ExtractLimits", "Extraction",
           "extract_page"]
