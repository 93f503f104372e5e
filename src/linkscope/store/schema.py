"""The index's tables as Parquet schemas, and records turned into Arrow batches.

The schemas are the contract between engines (the local pipeline, Spark, the server); they are
documented column by column in docs/index-format.md. `SCHEMA_VERSION` changes whenever a column
is added, removed or changes meaning.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from linkscope.extract.text import PageText
from linkscope.records import Fetch, Link, Page
from linkscope.urls import registrable_domain, split_host

SCHEMA_VERSION = 2  # 2: texts.parquet and the full-text index (search/)


# One row per link of a page fetched in one run (a run's part files).
RUN_LINKS = pa.schema([
    ("source", pa.string()),
    ("source_host", pa.string()),
    ("source_domain", pa.string()),
    ("target", pa.string()),
    ("target_host", pa.string()),
    ("target_domain", pa.string()),
    ("anchor", pa.string()),
    ("context", pa.string()),
    ("rel", pa.list_(pa.string())),
    ("nofollow", pa.bool_()),
    ("ugc", pa.bool_()),
    ("sponsored", pa.bool_()),
    ("follow", pa.bool_()),
    ("placement", pa.string()),
    ("kind", pa.string()),
    ("position", pa.int32()),
    ("fetch_time", pa.timestamp("us", tz="UTC")),
    ("crawl_id", pa.string()),
    ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
])

RUN_PAGES = pa.schema([
    ("url", pa.string()),
    ("host", pa.string()),
    ("domain", pa.string()),
    ("ip", pa.string()),
    ("status", pa.int32()),
    ("redirect_to", pa.string()),
    ("canonical", pa.string()),
    ("noindex", pa.bool_()),
    ("nofollow", pa.bool_()),
    ("language", pa.string()),
    ("title", pa.string()),
    ("word_count", pa.int32()),
    ("outlinks", pa.int32()),
    ("content_type", pa.string()),
    ("charset", pa.string()),
    ("fetch_time", pa.timestamp("us", tz="UTC")),
    ("crawl_id", pa.string()),
    ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
])

RUN_FETCHES = pa.schema([
    ("url", pa.string()),
    ("host", pa.string()),
    ("domain", pa.string()),
    ("fetch_time", pa.timestamp("us", tz="UTC")),
    ("status", pa.int32()),
    ("ip", pa.string()),
    ("error", pa.string()),
    ("content_type", pa.string()),
    ("redirect_to", pa.string()),
    ("size", pa.int64()),
    ("crawl_id", pa.string()),
    ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
])

# One row per HTML page with an answer under 400: its main text and what its markup says
# (extract/text.py); the fetch columns tie it to its page row.
RUN_TEXTS = pa.schema([
    ("url", pa.string()),
    ("host", pa.string()),
    ("domain", pa.string()),
    ("title", pa.string()),
    ("description", pa.string()),
    ("authors", pa.list_(pa.string())),
    ("published", pa.string()),
    ("language", pa.string()),
    ("word_count", pa.int32()),
    ("main_text", pa.string()),
    ("fetch_time", pa.timestamp("us", tz="UTC")),
    ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
])


class LinkColumns:
    """Links of many pages gathered column by column, written as one batch (one row group)."""

    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = {name: [] for name in RUN_LINKS.names}
        self._places: dict[str, tuple[str | None, str | None]] = {}

    def __len__(self) -> int:
        return len(self.columns["source"])

    def _where(self, url: str) -> tuple[str | None, str | None]:
        """Host and registrable domain of a normalized URL, cached by its authority: links'
        targets are normalized, so the authority is the text between `//` and the next `/`,
        and a URL is parsed only the first time its authority is seen."""
        parts = url.split("/", 3)
        key = parts[2] if len(parts) > 2 else url
        place = self._places.get(key)
        if place is None:
            if len(self._places) > 100_000:
                self._places.clear()
            host = split_host(url)
            place = self._places[key] = (host, registrable_domain(host) if host else None)
        return place

    def add(self, links: Sequence[Link], page: Page) -> None:
        c = self.columns
        n = len(links)
        for name, value in (("source", page.url), ("source_host", page.host),
                            ("source_domain", page.domain), ("fetch_time", page.fetch_time),
                            ("crawl_id", page.crawl_id), ("warc_file", page.warc_file),
                            ("warc_offset", page.warc_offset)):
            c[name].extend([value] * n)
        for link in links:
            host, domain = self._where(link.target)
            c["target"].append(link.target)
            c["target_host"].append(host)
            c["target_domain"].append(domain)
            c["anchor"].append(link.anchor)
            c["context"].append(link.context)
            c["rel"].append(sorted(link.rel))
            c["nofollow"].append("nofollow" in link.rel)
            c["ugc"].append("ugc" in link.rel)
            c["sponsored"].append("sponsored" in link.rel)
            c["follow"].append(link.follow)
            c["placement"].append(str(link.placement))
            c["kind"].append(str(link.kind))
            c["position"].append(link.position)

    def take(self) -> pa.RecordBatch:
        """The gathered links as a batch; the gatherer is empty afterwards."""
        batch = _batch(self.columns, RUN_LINKS)
        self.columns = {name: [] for name in RUN_LINKS.names}
        return batch


def pages_batch(pages: Sequence[Page]) -> pa.RecordBatch:
    columns = {name: [getattr(p, name) for p in pages] for name in RUN_PAGES.names}
    return _batch(columns, RUN_PAGES)


def texts_batch(texts: Sequence[tuple[Page, PageText]]) -> pa.RecordBatch:
    columns: dict[str, list[object]] = {name: [] for name in RUN_TEXTS.names}
    for page, text in texts:
        for name, value in (("url", page.url), ("host", page.host), ("domain", page.domain),
                            ("title", page.title), ("description", text.description),
                            ("authors", list(text.authors)), ("published", text.published),
                            ("language", page.language), ("word_count", text.word_count),
                            ("main_text", text.main_text), ("fetch_time", page.fetch_time),
                            ("warc_file", page.warc_file), ("warc_offset", page.warc_offset)):
            columns[name].append(value)
    return _batch(columns, RUN_TEXTS)


def fetches_batch(fetches: Sequence[Fetch]) -> pa.RecordBatch:
    columns: dict[str, list[object]] = {name: [] for name in RUN_FETCHES.names}
    for fetch in fetches:
        host = split_host(fetch.url)
        for name in RUN_FETCHES.names:
            if name == "host":
                columns[name].append(host)
            elif name == "domain":
                columns[name].append(registrable_domain(host) if host else None)
            else:
                columns[name].append(getattr(fetch, name))
    return _batch(columns, RUN_FETCHES)


def _batch(columns: dict[str, list[object]], schema: pa.Schema) -> pa.RecordBatch:
    arrays = []
    for field in schema:
        values = columns[field.name]
        if pa.types.is_timestamp(field.type):
            arrays.append(pa.array(values, pa.string()).cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
