"""The full-text index of a generation: tantivy, in `search/` beside the Parquet tables.

One document a row of `texts.parquet`: its `url_key` (a 64-bit key of the URL, also a column of
the table, to join hits back to it), `url`, `site` (host, the host without `www.`, and the
registrable domain; `domain` alone too), `title`, `body` (the main text), `author`, `lang` (the
language as given, lower-cased, and its primary subtag), `published` (as the page gave it;
`date`, the same as a date) and `word_count`. Text fields go through one analyzer,
`folded`: split on what is not a letter or digit, lower-cased, diacritics folded to ASCII, so
that `Café` and `cafe` are one term and a phrase matches on word boundaries.

The index is written into a generation's staging directory and so switched in with it
(store/generations.py). It is incremental: the next generation starts from hard links to the
previous generation's files (tantivy never rewrites a file it has written: segments are
immutable, deletions and `meta.json` are new files), deletes the documents of pages whose row
changed or went, and adds the new ones, which tantivy writes as new segments. The fields a
result row shows (url, domain, title, main text, authors, language, published, word count) are
also stored in the index, so that a page of results and its snippets are read from it without
scanning `texts.parquet`.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import tantivy

__all__ = ["SEARCH_DIR", "WRITER_HEAP", "iter_texts", "link_search", "open_search", "search_schema",
           "update_search"]

log = logging.getLogger(__name__)

SEARCH_DIR = "search"
WRITER_HEAP = 256_000_000  # bytes of tantivy's writer buffer
ANALYZER = "folded"
_BATCH = 10_000


def search_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("url_key", stored=True, indexed=True, fast=True)
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    builder.add_text_field("domain", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("site", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("body", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("author", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("lang", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("published", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_date_field("date", indexed=True, fast=True)
    builder.add_unsigned_field("word_count", stored=True, indexed=True, fast=True)
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(64))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def open_search(generation: Path, create: bool = False) -> tantivy.Index:
    """The full-text index of a generation (created empty when `create`)."""
    path = generation / SEARCH_DIR
    if create:
        path.mkdir(exist_ok=True)
    index = tantivy.Index(search_schema(), path=str(path), reuse=True)
    index.register_tokenizer(ANALYZER, _analyzer())
    return index


def fold(text: str) -> list[str]:
    """The terms of `text` as the index's analyzer makes them."""
    return [token for token in _analyzer().analyze(text)]


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _document(row: tuple[Any, ...]) -> tantivy.Document:
    key, url, host, domain, title, authors, language, published, words, text = row
    sites = [s for s in dict.fromkeys((host, host.removeprefix("www.") if host else None,
                                       domain)) if s]
    doc = tantivy.Document(url=url, site=sites, title=title or "", body=text or "",
                           author=list(authors or ()))
    if domain:
        doc.add_text("domain", domain)
    if published:
        doc.add_text("published", published)
    doc.add_unsigned("url_key", int(key))
    doc.add_unsigned("word_count", max(0, int(words or 0)))
    if language:
        lang = language.lower()
        doc.add_text("lang", lang)
        if "-" in lang:
            doc.add_text("lang", lang.split("-")[0])
    moment = _date(published)
    if moment is not None:
        doc.add_date("date", moment)
    return doc


_COLUMNS = ("url_key, url, host, domain, title, authors, language, published, word_count, "
            "main_text")


def _link_files(source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    for item in source.iterdir():
        if item.is_file() and not item.name.endswith(".lock"):
            os.link(item, target / item.name)


def link_search(generation: Path, staging: Path) -> None:
    """Give `staging` the full-text index of `generation` as it is (a ranking changes no
    text): hard links, no copy."""
    if (generation / SEARCH_DIR / "meta.json").is_file():
        _link_files(generation / SEARCH_DIR, staging / SEARCH_DIR)


def update_search(con: duckdb.DuckDBPyConnection, previous: Path | None,
                  out: Path) -> dict[str, int]:
    """Write the full-text index of the generation in `out` from its texts.parquet: from the
    previous generation's index when it has one (deleting and adding what changed), else
    from nothing. Returns what it did: documents added, deleted, and the total."""
    texts = out / "texts.parquet"
    old = previous / "texts.parquet" if previous is not None else None
    incremental = (previous is not None and old is not None and old.is_file()
                   and (previous / SEARCH_DIR / "meta.json").is_file())
    target = out / SEARCH_DIR
    if target.exists():
        shutil.rmtree(target)
    new_rows = f"read_parquet('{texts}')"
    if incremental:
        assert previous is not None
        _link_files(previous / SEARCH_DIR, target)
        key = "url_key, fetch_time, warc_file, warc_offset"
        before = f"read_parquet('{old}')"
        unchanged = (f"SELECT url_key FROM (SELECT {key} FROM {new_rows} INTERSECT "
                     f"SELECT {key} FROM {before})")
        gone = con.execute(f"SELECT url FROM {before} ANTI JOIN ({unchanged}) u "
                           f"USING (url_key)").fetchall()
        adding = f"SELECT t.* FROM {new_rows} t ANTI JOIN ({unchanged}) u USING (url_key)"
    else:
        gone = []
        adding = f"SELECT * FROM {new_rows}"
    try:
        index = open_search(out, create=True)
    except ValueError:  # written with another schema (an older version): build it anew
        log.info("the previous full-text index has another schema; building it anew")
        shutil.rmtree(target)
        return update_search(con, None, out)
    writer = index.writer(WRITER_HEAP, 1)
    deleted = 0
    for (url,) in gone:  # by URL: the raw tokenizer keeps it one term
        writer.delete_documents_by_term("url", url)
        deleted += 1
    added = 0
    result = con.execute(f"SELECT {_COLUMNS} FROM ({adding}) ORDER BY url_key")
    while True:
        rows = result.fetchmany(_BATCH)
        if not rows:
            break
        for row in rows:
            writer.add_document(_document(row))
        added += len(rows)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    total = index.searcher().num_docs
    return {"search_added": added, "search_deleted": deleted, "search_docs": total}


def iter_texts(generation: Path, batch: int = _BATCH) -> Iterator[tuple[str, str]]:
    """(url, main text) of every page of a generation with text, in the table's order
    (domain, url): what a model of the pages' topics reads."""
    path = generation / "texts.parquet"
    if not path.is_file():
        return
    con = duckdb.connect()
    try:
        result = con.execute(f"SELECT url, main_text FROM read_parquet('{path}')")
        while True:
            rows = result.fetchmany(batch)
            if not rows:
                break
            for url, text in rows:
                yield url, text or ""
    finally:
        con.close()
