"""Extraction: one fetched page in, a page record and its link records out, with no I/O.

    >>> from linkscope.extract import extract_page
    >>> result = extract_page(fetched)          # a linkscope.records.FetchedPage
    >>> result.page, result.links, result.skipped

The same function runs in the local pipeline, in the crawler and inside Spark. Bad hrefs are
skipped and counted in `result.skipped` under `extract/skipped/<reason>`; nothing raises.
"""

from linkscope.extract.page import ANCHOR_LIMIT, CONTEXT_LIMIT, Extraction, extract_page

__all__ = ["ANCHOR_LIMIT", "CONTEXT_LIMIT", "Extraction", "extract_page"]
