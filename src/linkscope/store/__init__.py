"""The index: generations of Parquet tables with a DuckDB catalog, and ingest into them.

    ingest(index, sources, crawl_date=..., workers=...)   archives -> a new generation
    open_index(index) -> IndexReader                        the served generation, for queries
    IndexDir(index)                                         generations, the writer's lock

See docs/index-format.md for the tables and docs/architecture.md for the flow.
"""

from linkscope.store.catalog import IndexReader, open_index
from linkscope.store.generations import IndexDir
from linkscope.store.ingest import IngestReport, ingest

__all__ = ["IndexDir", "IndexReader", "IngestReport", "ingest", "open_index"]
