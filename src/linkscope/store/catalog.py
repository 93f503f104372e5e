"""A generation's manifest and DuckDB catalog, and the reader that opens the served generation.

`manifest.json` records the schema version, the snapshots (dated ingests and crawls) and the
table counts. `catalog.duckdb` holds views over the generation's Parquet files, so that plain
`duckdb INDEX/generations/gNNNNNN/catalog.duckdb` can query it (the views name the files by
absolute path; `open_index` does not rely on them and works wherever the index is moved).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from linkscope.store.generations import IndexDir
from linkscope.store.schema import SCHEMA_VERSION

TABLES = ("pages", "links", "fetches", "texts")
# Columns that a later version added to a table: a generation written before them reads them
# as NULL, so that an index keeps answering after an upgrade (re-rank it to fill them).
_PROVENANCE = {"value_share": "DOUBLE", "warc_file": "VARCHAR", "warc_offset": "BIGINT"}
LATER_COLUMNS: dict[str, dict[str, str]] = {
    "links": {"value_share": "DOUBLE"}, "best_links": _PROVENANCE, "top_links": _PROVENANCE}


def write_manifest(con: duckdb.DuckDBPyConnection, generation: Path,
                   snapshots: list[dict[str, Any]], extra_tables: tuple[str, ...] = ()) -> None:
    counts = {}
    for table in TABLES + extra_tables:
        counts[table] = int(con.execute(
            f"SELECT count(*) FROM read_parquet('{generation / (table + '.parquet')}')"
        ).fetchone()[0])  # type: ignore[index]
    manifest = {"schema_version": SCHEMA_VERSION, "tables": list(TABLES + extra_tables),
                "counts": counts, "snapshots": snapshots}
    (generation / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def write_catalog(generation: Path) -> None:
    """Views over a published generation's tables in `catalog.duckdb`, for plain DuckDB."""
    manifest = json.loads((generation / "manifest.json").read_text())
    catalog = duckdb.connect(str(generation / "catalog.duckdb"))
    try:
        for table in manifest["tables"]:
            path = (generation / f"{table}.parquet").resolve()
            catalog.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    finally:
        catalog.close()


@dataclass
class IndexReader:
    """One generation of an index, opened for queries: `con` has a view per table."""

    index: Path
    generation: Path
    manifest: dict[str, Any]
    con: duckdb.DuckDBPyConnection
    # facts derived from this generation once and kept while it is open (it never changes)
    memo: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> IndexReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(path: Path | str) -> IndexReader:
    """Open the served generation; it stays this reader's even when a newer one is switched in."""
    store = IndexDir(path)
    generation = store.require_current()
    manifest = store.manifest(generation)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    tables = manifest["tables"]
    for table in tables:
        path = generation / (table + ".parquet")
        have = {row[0] for row in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
        added = "".join(f", NULL::{kind} AS {column}"
                        for column, kind in LATER_COLUMNS.get(table, {}).items()
                        if column not in have)
        con.execute(f"CREATE VIEW {table} AS SELECT *{added} FROM read_parquet('{path}')")
    if "rank" not in manifest:
        # `linkscope rank` writes each link's value and its source page's attributes into the
        # links table; before it, a view joins the attributes from pages (slower, same columns).
        con.execute(f"""CREATE OR REPLACE VIEW links AS
            SELECT l.*, NULL::DOUBLE AS value, NULL::DOUBLE AS value_share,
                   p.title AS source_title,
                   p.language AS source_language, p.outlinks AS source_outlinks,
                   p.ip AS source_ip, NULL::DOUBLE AS source_ur, NULL::DOUBLE AS source_dr
            FROM read_parquet('{generation / 'links.parquet'}') l
            LEFT JOIN read_parquet('{generation / 'pages.parquet'}') p ON p.url = l.source""")
    # Before `linkscope rank` has run, the metric tables exist but are empty, so that every
    # query can join them; the reports say that the metrics are missing.
    if "texts" not in tables:  # written before schema version 2: no text kept
        con.execute("CREATE VIEW texts AS SELECT NULL::UBIGINT AS url_key, NULL::VARCHAR AS url, "
                    "NULL::VARCHAR AS host, NULL::VARCHAR AS domain, NULL::VARCHAR AS title, "
                    "NULL::VARCHAR AS description, NULL::VARCHAR[] AS authors, NULL::VARCHAR "
                    "AS published, NULL::VARCHAR AS language, NULL::INTEGER AS word_count, "
                    "NULL::VARCHAR AS main_text, NULL::TIMESTAMPTZ AS fetch_time, "
                    "NULL::VARCHAR AS warc_file, NULL::BIGINT AS warc_offset WHERE false")
    if "url_metrics" not in tables:
        con.execute("CREATE VIEW url_metrics AS SELECT NULL::VARCHAR AS url, NULL::DOUBLE AS "
                    "ur_raw, NULL::DOUBLE AS ur, NULL::DOUBLE AS out_weight WHERE false")
    if "domain_metrics" not in tables:
        con.execute("CREATE VIEW domain_metrics AS SELECT NULL::VARCHAR AS domain, NULL::DOUBLE "
                    "AS dr_raw, NULL::DOUBLE AS dr, 0::BIGINT AS ref_domains, 0::BIGINT AS "
                    "linked_domains WHERE false")
    return IndexReader(Path(path), generation, manifest, con)
