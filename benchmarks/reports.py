"""Report latency on a large index: each report for a target with over a million backlinks,
median and 95th percentile, against the same question asked of unsorted Parquet with a plain
DuckDB query, in the same run.

The index is synthetic, written straight in the index's format (docs/index-format.md) by DuckDB
so that tens of millions of links take minutes, not a crawl: LINKS links from 20 pages on each of
DOMAINS source domains to pages of target domains drawn from a power law (domain d0 receives 6%
of all links, over a million at the default size), with anchors, placements, rel flags, dates
over ten snapshots and 10% lost links, plus the pages, fetches and metric tables and the
summaries that `linkscope rank` writes (store/summaries.py, the same function). It is published
as a generation and read through linkscope.store.open_index like any index.

    yardstick  the same report functions over a copy of the index whose links table holds the
               same rows in random order (as a naive writer leaves them) and which has none of
               the pre-aggregated summaries (store/summaries.py): every report groups the links,
               and DuckDB scans the whole table to find them, as a plain query over unsorted
               Parquet does

An index kept from a run before a summary existed gets the missing summaries in a new
generation (as `linkscope rank` would write them) before the timings.

Run: .venv/bin/python benchmarks/reports.py [--links 20000000] [--repeat 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from linkscope.reports import anchors, backlinks, intersect, overview, refdomains
from linkscope.store import IndexReader, open_index
from linkscope.store.catalog import write_catalog
from linkscope.store.generations import IndexDir
from linkscope.store.summaries import SUMMARY_TABLES, write_summaries

PARQUET = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)"


def build(index: Path, n_links: int, n_domains: int) -> None:
    store = IndexDir(index)
    with store.writing():
        out = store.staging()
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false; SET TimeZone = 'UTC'")
        con.execute(f"""
            CREATE TABLE raw AS
            SELECT i,
                   hash(i, 1) % {n_domains} AS sk,
                   'd' || (hash(i, 1) % {n_domains}) AS sd,
                   (hash(i, 2) % 20)::INTEGER AS sp,
                   CASE WHEN hash(i, 3) % 100 < 6 THEN 'd0'
                        ELSE 'd' || (1 + floor(pow((hash(i, 4) % 1000000) / 1e6, 3)
                                                * {n_domains - 1}))::BIGINT END AS td,
                   (hash(i, 5) % 50)::INTEGER AS tp,
                   hash(i, 6) % 100 AS r
            FROM range({n_links}) t(i)""")
        con.execute(f"""
            COPY (SELECT
                'http://' || sd || '.test/p' || sp AS source, sd || '.test' AS source_host,
                sd || '.test' AS source_domain,
                'http://' || td || '.test/p' || tp AS target, td || '.test' AS target_host,
                td || '.test' AS target_domain,
                ['best deals', 'click here', 'brand', 'review', 'home page', 'guide'][
                    1 + (r % 6)::INTEGER] AS anchor, '' AS context,
                CASE WHEN r < 10 THEN ['nofollow'] ELSE [] END AS rel, r < 10 AS nofollow,
                false AS ugc, false AS sponsored, r >= 10 AS follow,
                ['content', 'sidebar', 'footer', 'nav', 'header', 'comment'][
                    1 + (r % 6)::INTEGER] AS placement,
                'text' AS kind, (r % 40)::INTEGER AS position, 1::BIGINT AS occurrences,
                TIMESTAMPTZ '2026-01-01' + INTERVAL (r % 10 * 7) DAY AS first_seen,
                TIMESTAMPTZ '2026-03-15' AS last_seen,
                CASE WHEN r >= 90 THEN TIMESTAMPTZ '2026-03-15' END AS lost_date,
                CASE WHEN r >= 90 THEN 'removed' END AS lost_reason,
                'synthetic' AS crawl_id, 'synthetic.warc.gz' AS warc_file, i AS warc_offset,
                CASE WHEN r < 10 OR r >= 90 THEN 0.0 ELSE 1e-9 * (1 + r) END AS value,
                'page' AS source_title, 'en' AS source_language, 40 AS source_outlinks,
                '127.' || (hash(sd) % 250) || '.' || (hash(sd, 1) % 250) || '.1' AS source_ip,
                (hash('http://' || sd || '.test/p' || sp) % 100)::DOUBLE AS source_ur,
                100 - sk * 100.0 / {n_domains} AS source_dr
              FROM raw ORDER BY target_domain, target, source, position)
            TO '{out / 'links.parquet'}' {PARQUET}""")
        con.execute(f"""COPY (SELECT * FROM '{out / 'links.parquet'}' ORDER BY hash(warc_offset))
                        TO '{index / 'links_unsorted.parquet'}' {PARQUET}""")
        con.execute(f"""
            COPY (SELECT DISTINCT 'http://' || sd || '.test/p' || sp AS url,
                         sd || '.test' AS host, sd || '.test' AS domain,
                         '127.' || (hash(sd) % 250) || '.' || (hash(sd, 1) % 250) || '.1' AS ip,
                         200 AS status, NULL::VARCHAR AS redirect_to, NULL::VARCHAR AS canonical,
                         false AS noindex, false AS nofollow, 'en' AS language, 'page' AS title,
                         300 AS word_count, 40 AS outlinks, 'text/html' AS content_type,
                         'utf-8' AS charset, TIMESTAMPTZ '2026-03-15' AS fetch_time,
                         'synthetic' AS crawl_id, 'synthetic.warc.gz' AS warc_file,
                         0::BIGINT AS warc_offset, TIMESTAMPTZ '2026-01-01' AS first_seen
                  FROM raw ORDER BY domain, url)
            TO '{out / 'pages.parquet'}' {PARQUET}""")
        con.execute(f"""
            COPY (SELECT url, host, domain, fetch_time, status, ip, NULL::VARCHAR AS error,
                         content_type, redirect_to, 1000::BIGINT AS size, crawl_id, warc_file,
                         warc_offset FROM '{out / 'pages.parquet'}')
            TO '{out / 'fetches.parquet'}' {PARQUET}""")
        con.execute(f"""
            COPY (SELECT url, 1e-7 * (1 + hash(url) % 100) AS ur_raw,
                         (hash(url) % 100)::DOUBLE AS ur, 1.0 AS out_weight,
                         '1' AS rank_version FROM (
                      SELECT url FROM '{out / 'pages.parquet'}' UNION
                      SELECT DISTINCT target FROM '{out / 'links.parquet'}') ORDER BY url)
            TO '{out / 'url_metrics.parquet'}' {PARQUET}""")
        con.execute(f"""
            COPY (SELECT 'd' || i || '.test' AS domain, 1e-6 AS dr_raw,
                         (100 - i * 100.0 / {n_domains}) AS dr, 0::BIGINT AS ref_domains,
                         0::BIGINT AS linked_domains, '1' AS rank_version
                  FROM range({n_domains}) t(i) ORDER BY domain)
            TO '{out / 'domain_metrics.parquet'}' {PARQUET}""")
        write_summaries(con, out)
        tables = ["pages", "links", "fetches", "url_metrics", "domain_metrics",
                  *SUMMARY_TABLES]
        counts = {t: con.execute(f"SELECT count(*) FROM '{out / (t + '.parquet')}'"
                                 ).fetchall()[0][0] for t in tables}
        manifest = {"schema_version": 1, "tables": tables, "counts": counts, "snapshots": [],
                    "rank": {"version": "1", "synthetic": True}}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
        con.close()
        store.publish(out, write_catalog)


def add_missing_summaries(index: Path) -> None:
    """Write the summaries a kept index lacks into a new generation (the rest hard-linked)."""
    store = IndexDir(index)
    current = store.require_current()
    manifest = json.loads((current / "manifest.json").read_text())
    if all(t in manifest["tables"] for t in SUMMARY_TABLES):
        return
    started = time.perf_counter()
    with store.writing():
        out = store.staging()
        for item in current.iterdir():
            if item.suffix == ".parquet" and item.stem not in SUMMARY_TABLES:
                os.link(item, out / item.name)
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false; SET TimeZone = 'UTC'")
        write_summaries(con, out)
        for table in SUMMARY_TABLES:
            manifest["counts"][table] = con.execute(
                f"SELECT count(*) FROM '{out / (table + '.parquet')}'").fetchall()[0][0]
        con.close()
        manifest["tables"] = [t for t in manifest["tables"] if t not in SUMMARY_TABLES]
        manifest["tables"] += SUMMARY_TABLES
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
        store.publish(out, write_catalog)
    print(f"wrote the summaries in {time.perf_counter() - started:.0f} s")


def unsorted_copy(index: Path, generation: Path) -> Path:
    """The same index with its links in random order and no pre-aggregated summary (the
    yardstick): the other tables are hard links to the index's."""
    copy = index.parent / (index.name + "-unsorted")
    if not IndexDir(copy).exists():
        target = copy / "generations" / generation.name
        target.mkdir(parents=True)
        for item in generation.iterdir():
            if item.name not in ("links.parquet", "catalog.duckdb", "manifest.json") and \
                    item.stem not in SUMMARY_TABLES:
                os.link(item, target / item.name)
        # no pre-aggregated table: the yardstick answers every report from the links
        manifest = json.loads((generation / "manifest.json").read_text())
        manifest["tables"] = [t for t in manifest["tables"] if t not in SUMMARY_TABLES]
        (target / "manifest.json").write_text(json.dumps(manifest))
        os.link(index / "links_unsorted.parquet", target / "links.parquet")
        (copy / "CURRENT").write_text(generation.name + "\n")
    return copy


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm the operating system's file cache and DuckDB's metadata cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(0.95 * (len(samples) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=20_000_000)
    parser.add_argument("--domains", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the index here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="linkscope-reports-"))
    index = work / f"index-{args.links}"
    if not IndexDir(index).exists():
        started = time.perf_counter()
        build(index, args.links, args.domains)
        print(f"built a synthetic index of {args.links:,} links in "
              f"{time.perf_counter() - started:.0f} s")
    add_missing_summaries(index)
    reader = open_index(index)
    plain = open_index(unsorted_copy(index, reader.generation))
    assert not any(t in plain.manifest["tables"] for t in SUMMARY_TABLES)
    big = "d0.test"
    backlinks_total = backlinks(reader, big, limit=1).total
    rivals = ["d0.test", "d1.test", "d2.test", "d3.test", "d4.test"]
    cases: dict[str, Callable[[IndexReader], object]] = {
        "backlinks, first page": lambda r: backlinks(r, big, limit=50),
        "backlinks, nofollow filter": lambda r: backlinks(
            r, big, rel=["nofollow"], limit=50),
        "backlinks, one per domain": lambda r: backlinks(r, big, aggregate="domain", limit=50),
        "refdomains, first page": lambda r: refdomains(r, big, limit=50),
        "anchors": lambda r: anchors(r, big, limit=50),
        "overview": lambda r: overview(r, big),
        "intersect, 5 competitors": lambda r: intersect(r, rivals, min_count=2, limit=50),
    }
    print(f"index: {args.links:,} links; target {big} has {backlinks_total:,} live backlinks; "
          f"{args.repeat} runs each after one warm-up")
    print(f"{'report':28} {'p50 ms':>8} {'p95 ms':>8}   {'unsorted p50':>12} {'p95':>6}  "
          f"{'speed-up p95':>12}")
    for name, report in cases.items():
        p50, p95 = timed(lambda report=report: report(reader), args.repeat)
        q50, q95 = timed(lambda report=report: report(plain), max(3, args.repeat // 4))
        print(f"{name:28} {p50:8.0f} {p95:8.0f}   {q50:12.0f} {q95:6.0f}  {q95 / p95:11.1f}x")
    print(f"command: .venv/bin/python benchmarks/reports.py --links {args.links} "
          f"--repeat {args.repeat}")
    reader.close()
    plain.close()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
