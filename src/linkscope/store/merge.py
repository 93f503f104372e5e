"""Merge one ingest run into the index: the next generation's tables, with link history.

A run's part files hold what its sources yielded (RUN_PAGES, RUN_LINKS, RUN_FETCHES). The merge
keeps one fetch per URL (the latest), compares each re-fetched page with the previous generation,
and writes the new tables with DuckDB, sorted for the queries that read them:

- a link is identified by (source, target, kind, anchor, placement); repeats of one identity on
  one page are kept once, with their number in `occurrences`;
- first_seen and last_seen are the dates (the run's --crawl-date, else each fetch's own time) of
  the first and last fetch of the source page that held the link;
- a live link absent from a newer fetch of its page is lost at that fetch's date, with the
  reason read from the fetch: page_gone (4xx, 5xx or no answer), page_redirected (3xx),
  noindex (the page turned noindex or canonical to another URL), else removed; a link still
  present but no longer followed is lost with reason nofollow; a lost link seen again is live;
- a page never fetched again keeps its links as they were; a fetch older than what the index
  holds only moves first_seen back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

LINK_IDENTITY = ("source", "target", "kind", "anchor", "placement")
PARQUET = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)"

# Columns of the links table, in order (docs/index-format.md).
LINK_COLUMNS = (
    "source", "source_host", "source_domain", "target", "target_host", "target_domain",
    "anchor", "context", "rel", "nofollow", "ugc", "sponsored", "follow", "placement", "kind",
    "position", "occurrences", "first_seen", "last_seen", "lost_date", "lost_reason",
    "crawl_id", "warc_file", "warc_offset",
)
_ATTRS = [c for c in LINK_COLUMNS if c not in LINK_IDENTITY + (
    "first_seen", "last_seen", "lost_date", "lost_reason")]


def _files(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _empty_like(con: duckdb.DuckDBPyConnection, name: str, like: str) -> None:
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {like} LIMIT 0")


MEMORY_LIMIT = "2GB"  # DuckDB spills to the run directory beyond it


def merge_run(con: duckdb.DuckDBPyConnection, parts: Path, previous: Path | None, out: Path,
              crawl_date: date | None) -> dict[str, int]:
    """Write pages, links and fetches Parquet files of the next generation into `out`."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{parts.parent / 'spill'}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    seen = "CAST(? AS TIMESTAMPTZ)"
    when = [crawl_date]
    for table in ("pages", "links", "fetches"):
        files = sorted(parts.glob(f"*.{table}.parquet"))
        source = f"read_parquet({_files(files)})" if files else None
        if source:
            con.execute(f"CREATE TEMP VIEW part_{table} AS SELECT * FROM {source}")
        else:
            from linkscope.store import schema

            arrow = {"pages": schema.RUN_PAGES, "links": schema.RUN_LINKS,
                     "fetches": schema.RUN_FETCHES}[table].empty_table()
            con.register(f"empty_{table}", arrow)
            _empty_like(con, f"part_{table}", f"empty_{table}")
    if previous is not None:
        for table in ("pages", "links", "fetches"):
            con.execute(f"CREATE TEMP VIEW prev_{table} AS SELECT * FROM "
                        f"read_parquet('{previous / (table + '.parquet')}')")
    else:
        con.execute("CREATE TEMP TABLE prev_pages AS SELECT *, fetch_time AS first_seen "
                    "FROM part_pages LIMIT 0")
        con.execute("CREATE TEMP TABLE prev_fetches AS SELECT * FROM part_fetches LIMIT 0")
        con.execute(f"""CREATE TEMP TABLE prev_links AS SELECT {', '.join(
            c if c not in ('occurrences', 'first_seen', 'last_seen', 'lost_date', 'lost_reason')
            else {'occurrences': '1::INTEGER AS occurrences',
                  'lost_reason': 'NULL::VARCHAR AS lost_reason'}.get(c, f'fetch_time AS {c}')
            for c in LINK_COLUMNS)} FROM part_links LIMIT 0""")

    # One page per URL: the latest fetch of the run; its links only.
    con.execute(f"""
        CREATE TEMP TABLE run_pages AS
        SELECT * EXCLUDE (rn), coalesce({seen}, fetch_time) AS seen FROM (
            SELECT *, row_number() OVER (PARTITION BY url ORDER BY fetch_time DESC,
                   warc_file DESC, warc_offset DESC) AS rn FROM part_pages) WHERE rn = 1""", when)
    con.execute(f"""
        CREATE TEMP TABLE run_links AS
        SELECT * EXCLUDE (rn, n), n AS occurrences FROM (
            SELECT l.*, coalesce({seen}, l.fetch_time) AS seen,
                   row_number() OVER (w ORDER BY l.position) AS rn, count(*) OVER w AS n
            FROM part_links l SEMI JOIN run_pages p ON l.source = p.url
                 AND l.warc_file IS NOT DISTINCT FROM p.warc_file
                 AND l.warc_offset IS NOT DISTINCT FROM p.warc_offset
            WINDOW w AS (PARTITION BY {', '.join('l.' + c for c in LINK_IDENTITY)}))
            WHERE rn = 1""", when)
    # What the run's latest fetch of each URL says, against the page as the index had it.
    con.execute(f"""
        CREATE TEMP TABLE run_state AS
        WITH f AS (
            SELECT url, status, coalesce({seen}, fetch_time) AS seen,
                   row_number() OVER (PARTITION BY url ORDER BY fetch_time DESC,
                   warc_file DESC, warc_offset DESC) AS rn FROM part_fetches)
        SELECT f.url, f.status, f.seen,
               coalesce(p.noindex OR (p.canonical IS NOT NULL AND p.canonical <> p.url), false)
                   AS hidden,
               coalesce(o.noindex OR (o.canonical IS NOT NULL AND o.canonical <> o.url), false)
                   AS was_hidden
        FROM f LEFT JOIN run_pages p ON p.url = f.url LEFT JOIN prev_pages o ON o.url = f.url
        WHERE f.rn = 1""", when)
    identity = " AND ".join(f"o.{c} = n.{c}" for c in LINK_IDENTITY)
    newer = "(n.seen >= o.last_seen)"
    attrs = ", ".join(f"CASE WHEN o.source IS NULL OR {newer} THEN n.{c} ELSE o.{c} END AS {c}"
                      for c in _ATTRS)
    gone_reason = """CASE WHEN s.status IS NULL OR s.status >= 400 THEN 'page_gone'
                          WHEN s.status BETWEEN 300 AND 399 THEN 'page_redirected'
                          WHEN s.hidden AND NOT s.was_hidden THEN 'noindex'
                          ELSE 'removed' END"""
    con.execute(f"""
        CREATE TEMP TABLE merged_links AS
        SELECT {', '.join('coalesce(n.' + c + ', o.' + c + ') AS ' + c for c in LINK_IDENTITY)},
               {attrs},
               CASE WHEN o.source IS NULL THEN n.seen
                    WHEN n.source IS NULL THEN o.first_seen
                    ELSE least(o.first_seen, n.seen) END AS first_seen,
               CASE WHEN o.source IS NULL THEN n.seen
                    WHEN n.source IS NULL THEN o.last_seen
                    ELSE greatest(o.last_seen, n.seen) END AS last_seen,
               CASE WHEN o.source IS NULL THEN NULL
                    WHEN n.source IS NULL THEN
                        CASE WHEN s.url IS NULL OR s.seen < o.last_seen
                                  OR o.lost_date IS NOT NULL THEN o.lost_date
                             ELSE s.seen END
                    WHEN NOT {newer} THEN o.lost_date
                    WHEN o.lost_date IS NULL AND s.hidden AND NOT s.was_hidden THEN n.seen
                    WHEN o.lost_date IS NULL AND o.follow AND NOT n.follow THEN n.seen
                    WHEN o.lost_reason = 'nofollow' AND NOT n.follow THEN o.lost_date
                    WHEN o.lost_reason = 'noindex' AND s.hidden THEN o.lost_date
                    ELSE NULL END AS lost_date,
               CASE WHEN o.source IS NULL THEN NULL
                    WHEN n.source IS NULL THEN
                        CASE WHEN s.url IS NULL OR s.seen < o.last_seen
                                  OR o.lost_date IS NOT NULL THEN o.lost_reason
                             ELSE {gone_reason} END
                    WHEN NOT {newer} THEN o.lost_reason
                    WHEN o.lost_date IS NULL AND s.hidden AND NOT s.was_hidden THEN 'noindex'
                    WHEN o.lost_date IS NULL AND o.follow AND NOT n.follow THEN 'nofollow'
                    WHEN o.lost_reason = 'nofollow' AND NOT n.follow THEN 'nofollow'
                    WHEN o.lost_reason = 'noindex' AND s.hidden THEN 'noindex'
                    ELSE NULL END AS lost_reason
        FROM prev_links o FULL OUTER JOIN run_links n ON {identity}
        LEFT JOIN run_state s ON s.url = coalesce(n.source, o.source)""")
    con.execute(f"""COPY (SELECT {', '.join(LINK_COLUMNS)} FROM merged_links
                          ORDER BY target_domain, target, source, position)
                    TO '{out / 'links.parquet'}' {PARQUET}""")
    page_columns = [d[0] for d in con.execute("SELECT * FROM part_pages LIMIT 0").description]
    con.execute(f"""
        COPY (
            SELECT {', '.join('n.' + c for c in page_columns)},
                   CASE WHEN o.url IS NULL THEN n.seen ELSE least(o.first_seen, n.seen) END
                       AS first_seen
            FROM run_pages n LEFT JOIN prev_pages o ON o.url = n.url
            WHERE o.url IS NULL OR n.fetch_time >= o.fetch_time
            UNION ALL
            SELECT o.* REPLACE (CASE WHEN n.url IS NULL THEN o.first_seen
                                     ELSE least(o.first_seen, n.seen) END AS first_seen)
            FROM prev_pages o LEFT JOIN run_pages n ON o.url = n.url
            WHERE n.url IS NULL OR n.fetch_time < o.fetch_time
            ORDER BY domain, url)
        TO '{out / 'pages.parquet'}' {PARQUET}""")
    # A record read again (same URL, time, WARC file and offset) is one fetch; it takes the
    # latest snapshot's row, as pages and links do. (DISTINCT ON kept either, at random.)
    con.execute(f"""
        COPY (SELECT * EXCLUDE (newest, rn) FROM (
                  SELECT *, row_number() OVER (PARTITION BY url, fetch_time, warc_file,
                         warc_offset ORDER BY newest DESC) AS rn FROM (
                      SELECT *, false AS newest FROM prev_fetches
                      UNION ALL BY NAME SELECT *, true AS newest FROM part_fetches))
              WHERE rn = 1
              ORDER BY domain, url, fetch_time, warc_file, warc_offset)
        TO '{out / 'fetches.parquet'}' {PARQUET}""")
    _merge_texts(con, parts, previous, out)
    counts = {}
    for table in ("pages", "links", "fetches", "texts"):
        counts[table] = int(con.execute(
            f"SELECT count(*) FROM read_parquet('{out / (table + '.parquet')}')").fetchall()[0][0])
    counts["live_links"] = int(con.execute(
        "SELECT count(*) FROM merged_links WHERE lost_date IS NULL").fetchall()[0][0])
    counts["run_pages"] = int(con.execute("SELECT count(*) FROM run_pages").fetchall()[0][0])
    counts["run_links"] = int(con.execute("SELECT count(*) FROM run_links").fetchall()[0][0])
    return counts


def _merge_texts(con: duckdb.DuckDBPyConnection, parts: Path, previous: Path | None,
                 out: Path) -> None:
    """texts.parquet: the text of each page row the new pages table holds, where it has one.

    A page the run fetched again takes the run's text (or none: a page now 404 or not HTML
    has no text); a page it did not fetch keeps the previous generation's. Run pages are
    matched to their texts by URL and WARC record, as links are."""
    from linkscope.store import schema

    files = sorted(parts.glob("*.texts.parquet"))
    if files:
        con.execute(f"CREATE TEMP VIEW part_texts AS SELECT * FROM read_parquet({_files(files)})")
    else:
        con.register("empty_texts", schema.RUN_TEXTS.empty_table())
        _empty_like(con, "part_texts", "empty_texts")
    old = previous / "texts.parquet" if previous is not None else None
    if old is not None and old.is_file():
        con.execute(f"CREATE TEMP VIEW prev_texts AS SELECT * FROM read_parquet('{old}')")
    else:
        con.execute("CREATE TEMP TABLE prev_texts AS SELECT 0::UBIGINT AS url_key, * "
                    "FROM part_texts LIMIT 0")
    con.execute(f"""
        COPY (SELECT hash(url) AS url_key, * FROM (
            SELECT t.* FROM part_texts t JOIN run_pages n ON t.url = n.url
                AND t.warc_file IS NOT DISTINCT FROM n.warc_file
                AND t.warc_offset IS NOT DISTINCT FROM n.warc_offset
                AND t.fetch_time IS NOT DISTINCT FROM n.fetch_time
                LEFT JOIN prev_pages o ON o.url = n.url
            WHERE o.url IS NULL OR n.fetch_time >= o.fetch_time
            UNION ALL
            SELECT t.* EXCLUDE (url_key) FROM prev_texts t JOIN prev_pages o ON o.url = t.url
                LEFT JOIN run_pages n ON n.url = o.url
            WHERE n.url IS NULL OR n.fetch_time < o.fetch_time)
            ORDER BY domain, url)
        TO '{out / 'texts.parquet'}' {PARQUET}""")
