"""Content Explorer latency on a large index, against a DuckDB ILIKE scan of the same texts.

The index is synthetic, written by DuckDB straight in the index's format (docs/index-format.md):
PAGES pages on 20,000 domains, each with a title of 4 to 8 words and a main text of 60 to 240
words drawn from the sample web's topic words (120 words, uniform) mixed with a long tail of
50,000 made-up words (`w<k>`, drawn so that low k is common: k = 50,000 * u^3 for u uniform),
a language (en, de, fr), an author for a third of the pages and a published date over five
years. The full-text index is then built from it by `store.fulltext.update_search`, the
function an ingest calls, and the generation opened with `store.open_index`, like any index.

    search     `linkscope.reports.search.search` (the report the CLI, API and web page run):
               the first 50 rows by relevance, with their snippets and the number of matches
    yardstick  DuckDB over the same texts.parquet: the pages whose title or main text
               contains every word of the query (ILIKE '%word%', a phrase as one pattern),
               the first 50 of them and the number of matches, in one query

Each query runs REPEAT times after one warm-up; median and 95th percentile per query and over
all queries. The cost of the index's build is reported against the time the synthetic texts
took to write (a floor for an ingest, which also reads, parses and merges), and the share of a
real ingest is measured on the sample web by benchmarks/search.py --ingest.

Run: .venv/bin/python benchmarks/search.py [--pages 1000000] [--repeat 20] [--keep DIR]
     .venv/bin/python benchmarks/search.py --ingest [--sites 200]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from linkscope.reports.search import search
from linkscope.samples.words import TOPICS
from linkscope.store import open_index
from linkscope.store.fulltext import SEARCH_DIR, update_search
from linkscope.store.schema import SCHEMA_VERSION

QUERIES = ("recipe", "garlic oven", '"sourdough starter"', "kernel latency cache",
           "w12", "w2000 recipe", "title:journey", "lang:de ferry", "w40000",
           '"memory thread"', "harbor OR summit", "dividend -ledger")


def _words() -> list[str]:
    words: list[str] = []
    for _names, keywords, filler in TOPICS.values():
        words += filler
        words += [w for k in keywords for w in k.split()]
    return sorted(set(words))


def write_texts(generation: Path, pages: int) -> float:
    """texts.parquet (and empty pages, links, fetches) of `pages` synthetic pages; seconds."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    vocabulary = _words()
    con.execute("CREATE TABLE vocab AS SELECT unnest(?::VARCHAR[]) AS w", [vocabulary])
    n = len(vocabulary)
    # one word: a topic word half of the time, else w<k> with k skewed towards 0
    word = (f"CASE WHEN random() < 0.5 THEN (SELECT list(w) FROM vocab)[1 + floor(random() * "
            f"{n})::INT] ELSE 'w' || floor(50000 * pow(random(), 3))::INT END")
    con.execute(f"""CREATE MACRO words(k) AS (
        SELECT string_agg({word}, ' ') FROM range(k::BIGINT))""")
    con.execute(f"""
        COPY (
            SELECT hash(url) AS url_key, url, host, domain, title, NULL::VARCHAR AS description,
                   CASE WHEN i % 3 = 0 THEN ['Author ' || (i % 5000)::VARCHAR]
                        ELSE []::VARCHAR[] END AS authors,
                   strftime(DATE '2021-01-01' + (i % 1826)::INT, '%Y-%m-%d') AS published,
                   ['en', 'de', 'fr'][1 + (i % 7 = 0)::INT + (i % 11 = 0)::INT] AS language,
                   len(string_split(main_text, ' '))::INT AS word_count, main_text,
                   TIMESTAMPTZ '2026-01-01 00:00:00+00' AS fetch_time,
                   'synthetic.warc.gz' AS warc_file, i AS warc_offset
            FROM (
                SELECT i, 'https://site' || (i % 20000) || '.test/p/' || i AS url,
                       'site' || (i % 20000) || '.test' AS host,
                       'site' || (i % 20000) || '.test' AS domain,
                       words(4 + i % 5) AS title, words(60 + (i * 7919) % 181) AS main_text
                FROM range({pages}) t(i))
            ORDER BY domain, url)
        TO '{generation / 'texts.parquet'}' (FORMAT parquet, COMPRESSION zstd,
                                             ROW_GROUP_SIZE 100000)""")
    seconds = time.perf_counter() - started
    for table, columns in (
            ("pages", "NULL::VARCHAR AS url, NULL::VARCHAR AS domain, NULL::VARCHAR AS title, "
                      "NULL::VARCHAR AS language, NULL::INTEGER AS outlinks, NULL::VARCHAR AS "
                      "ip, NULL::TIMESTAMPTZ AS first_seen, NULL::TIMESTAMPTZ AS fetch_time"),
            ("links", "NULL::VARCHAR AS source, NULL::VARCHAR AS target, NULL::VARCHAR AS "
                      "source_domain, NULL::VARCHAR AS target_domain, NULL::TIMESTAMPTZ AS "
                      "lost_date, NULL::VARCHAR AS lost_reason, NULL::VARCHAR AS kind, "
                      "NULL::VARCHAR AS source_title, NULL::VARCHAR AS source_language, "
                      "NULL::INTEGER AS source_outlinks, NULL::VARCHAR AS source_ip"),
            ("fetches", "NULL::VARCHAR AS url, NULL::INTEGER AS status, NULL::VARCHAR AS "
                        "error, NULL::TIMESTAMPTZ AS fetch_time")):
        con.execute(f"COPY (SELECT {columns} WHERE false) TO "
                    f"'{generation / (table + '.parquet')}' (FORMAT parquet)")
    con.close()
    manifest = {"schema_version": SCHEMA_VERSION,
                "tables": ["pages", "links", "fetches", "texts"],
                "counts": {"texts": pages}, "snapshots": []}
    (generation / "manifest.json").write_text(json.dumps(manifest) + "\n")
    return seconds


def _ilike(con: duckdb.DuckDBPyConnection, texts: Path, query: str) -> tuple[int, int]:
    """The yardstick: the matches of a query by ILIKE, the first 50 and their number."""
    where, params = [], []
    for part in _terms(query):
        field, _, value = part.rpartition(":")
        negate = value.startswith("-")
        value = value.lstrip("-")
        if field == "lang":
            where.append("language = ?")
            params.append(value)
            continue
        column = "title" if field == "title" else "(title || ' ' || main_text)"
        where.append(f"{'NOT ' if negate else ''}{column} ILIKE ?")
        params.append(f"%{value.strip(chr(34))}%")
    sql = " AND ".join(where)
    if " OR " in query:  # "a OR b": either word
        a, b = query.split(" OR ")
        sql = "(title || ' ' || main_text) ILIKE ? OR (title || ' ' || main_text) ILIKE ?"
        params = [f"%{a}%", f"%{b}%"]
    rows = con.execute(f"SELECT url, count(*) OVER () FROM read_parquet('{texts}') "
                       f"WHERE {sql} LIMIT 50", params).fetchall()
    return len(rows), int(rows[0][1]) if rows else 0


def _terms(query: str) -> list[str]:
    if query.startswith('"'):
        return [query]
    return query.split()


def _timings(run, repeat: int) -> list[float]:
    run()
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        found.append(time.perf_counter() - started)
    return found


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() \
        else path.stat().st_size


def bench_search(pages: int, repeat: int, keep: Path | None) -> None:
    root = keep or Path(tempfile.mkdtemp(prefix="linkscope-search-"))
    index = root / "index"
    generation = index / "generations" / "g000001"
    if not (generation / SEARCH_DIR / "meta.json").is_file():
        shutil.rmtree(index, ignore_errors=True)
        generation.mkdir(parents=True)
        writing = write_texts(generation, pages)
        con = duckdb.connect()
        started, started_cpu = time.perf_counter(), time.process_time()
        counts = update_search(con, None, generation)
        building = time.perf_counter() - started
        building_cpu = time.process_time() - started_cpu
        con.close()
        (index / "CURRENT").write_text("g000001\n")
        print(f"wrote {pages:,} synthetic pages' texts in {writing:.1f} s; full-text index "
              f"built in {building:.1f} s ({counts['search_docs']:,} documents, "
              f"{pages / building:,.0f} pages/s; {building_cpu:.1f} s of CPU; "
              f"{building / writing:.2f}x the time the texts took to write)")
    texts = generation / "texts.parquet"
    con = duckdb.connect()
    raw = con.execute(f"SELECT sum(strlen(main_text)), count(*) FROM read_parquet('{texts}')"
                      ).fetchall()[0]
    con.close()
    count = int(raw[1])
    print(f"{count:,} pages; main text {raw[0] / count:,.0f} bytes a page raw, texts.parquet "
          f"{_size(texts) / count:,.0f} bytes a page (zstd), full-text index "
          f"{_size(generation / SEARCH_DIR) / count:,.0f} bytes a page")
    yard = duckdb.connect()
    ours_all, yard_all = [], []
    with open_index(index) as reader:
        print(f"{'query':28} {'matches':>9} {'search p50/p95 ms':>18} "
              f"{'ILIKE p50/p95 ms':>17} {'ratio':>6}")
        for query in QUERIES:
            result = search(reader, query, limit=50)
            ours = _timings(lambda q=query: search(reader, q, limit=50), repeat)
            theirs = _timings(lambda q=query: _ilike(yard, texts, q), max(3, repeat // 4))
            ours_all += ours
            yard_all += theirs
            print(f"{query:28} {result.total:>9,} "
                  f"{statistics.median(ours) * 1000:8.1f} /{_p95(ours) * 1000:7.1f} "
                  f"{statistics.median(theirs) * 1000:8.0f} /{_p95(theirs) * 1000:6.0f} "
                  f"{statistics.median(theirs) / statistics.median(ours):6.0f}x")
    print(f"all queries: search p50 {statistics.median(ours_all) * 1000:.1f} ms, p95 "
          f"{_p95(ours_all) * 1000:.1f} ms; ILIKE scan p50 "
          f"{statistics.median(yard_all) * 1000:.0f} ms, p95 {_p95(yard_all) * 1000:.0f} ms")
    if keep is None:
        shutil.rmtree(root, ignore_errors=True)


def bench_ingest(sites: int) -> None:
    """The full-text index's share of an ingest of the sample web (two epochs)."""
    from linkscope.samples.archive import write_sample_warc
    from linkscope.samples.build import write_sample_web
    from linkscope.samples.generate import WebConfig
    from linkscope.store import ingest

    root = Path(tempfile.mkdtemp(prefix="linkscope-search-ingest-"))
    try:
        for epoch in (0, 1):
            web = root / f"web{epoch}"
            write_sample_web(web, WebConfig(sites=sites, seed=7, port=8790, epoch=epoch))
            warcs = write_sample_warc(web, root / f"warc{epoch}")
            report = ingest(root / "index", [str(p) for p in warcs], workers=1)
            share = report.timings["search"] / report.seconds
            generation = root / "index" / "generations" / report.generation
            texts = generation / "texts.parquet"
            print(f"epoch {epoch}: {report.counts['texts']:,} pages with text of "
                  f"{report.counts['pages']:,}; ingest {report.seconds:.1f} s, of which the "
                  f"full-text index {report.timings['search']:.2f} s ({share:.1%}; "
                  f"{report.counts['search_added']:,} added, "
                  f"{report.counts['search_deleted']:,} deleted); texts.parquet "
                  f"{_size(texts) / report.counts['texts']:,.0f} bytes a page, index "
                  f"{_size(generation / SEARCH_DIR) / report.counts['texts']:,.0f} bytes a page")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the synthetic index here (and reuse it when there)")
    parser.add_argument("--ingest", action="store_true",
                        help="measure the index's share of a sample-web ingest instead")
    parser.add_argument("--sites", type=int, default=200)
    args = parser.parse_args()
    if args.ingest:
        bench_ingest(args.sites)
    else:
        bench_search(args.pages, args.repeat, args.keep)
    print("reproduce: .venv/bin/python benchmarks/search.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
