"""Which sources of an ingest failed: those that yielded nothing to ingest, and why.

A source fails when it yields no page and no fetch: it could not be read (its own error line
says why: missing, not a WARC file, damaged throughout), or it holds no HTTP responses, as a
WAT or WET file of Common Crawl (metadata and conversion records only), which once ingested
nothing with exit 0 and published an empty generation. A failed source is reported in one
line and left out of the snapshot; when every source failed, the ingest publishes nothing.
A source that yielded records and also reported damage is not failed: its good records are
kept, and its error lines make the ingest exit 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from linkscope.errors import SourceError

# counters of what becomes a page or a fetch (warc.pages)
# (a WAT file read is not failed: one that describes no response, as the request-only WAT of
# a capture, holds nothing to ingest and nothing wrong)
YIELDED = ("warc/responses", "warc/revisits-resolved", "warc/failures", "wat/files")
# records WAT and WET files are made of
EXTRACTS = ("warc/skipped/metadata", "warc/skipped/conversion")


def failed_sources(sources: list[str], results: Iterable[dict[str, Any]]
                   ) -> tuple[list[str], list[str]]:
    """(the sources that yielded nothing, in order; an error line for each of those whose
    tasks reported no error of their own) from the results of every task of an ingest."""
    counters: dict[str, Counter[str]] = {source: Counter() for source in sources}
    reported: set[str] = set()
    for result in results:
        counters[result["source"]].update(result["counters"])
        if result["errors"]:
            reported.add(result["source"])
    failed = [s for s in sources if not any(counters[s][key] for key in YIELDED)]
    lines = [nothing_to_ingest(s, counters[s]).one_line() for s in failed if s not in reported]
    return failed, lines


def nothing_to_ingest(source: str, counters: Counter[str]) -> SourceError:
    """The error for a source read without damage that holds no HTTP response."""
    if any(counters[key] for key in EXTRACTS):
        return SourceError("no HTTP responses: WET files are not ingested",
                           where=source, hint="ingest the WARC or WAT files of the same pages")
    read = ", ".join(f"{n} {key.removeprefix('warc/skipped/')}"
                     for key, n in sorted(counters.items()) if key.startswith("warc/skipped/"))
    hint = "linkscope ingests response and revisit records"
    if counters["warc/skipped/revisit-unresolved"]:
        hint = ("a revisit resolves only against responses read in the same task: "
                "docs/warc.md, revisit")
    return SourceError(f"no HTTP responses in it (records: {read or 'none'})", where=source,
                       hint=hint)
