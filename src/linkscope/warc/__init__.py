"""Acquisition from web archives: WARC and ARC files, plain, gzip or LZ4, local or http(s).

    expand_sources(patterns)                      CLI paths, globs, dirs and URLs -> sources
    iter_records(source, stats, on_error)         every readable record of one file
    iter_fetched_pages(sources, stats, on_error)  WarcPage per response, Fetch per failed fetch
    WarcWriter                                    what the crawler writes (see write.py)

Damage is reported as `errors.ArchiveError` with `where="<file>@<offset>"` and reading goes on
at the next record that can be found; counters use `warc/...` keys. See docs/warc.md.
"""

from linkscope.warc.failures import FAILURE_CONTENT_TYPE, encode_failure
from linkscope.warc.pages import WarcPage, iso_utc, iter_fetched_pages
from linkscope.warc.read import ArchiveRecord, iter_records, report_error
from linkscope.warc.revisit import RevisitResolver
from linkscope.warc.sources import expand_sources

__all__ = [
    "FAILURE_CONTENT_TYPE",
    "ArchiveRecord",
    "RevisitResolver",
    "WarcPage",
    "encode_failure",
    "expand_sources",
    "iso_utc",
    "iter_fetched_pages",
    "iter_records",
    "report_error",
]
