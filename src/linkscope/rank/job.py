"""`linkscope rank`: UR for every URL, DR for every domain, and the value of every link, written
into a new generation of the index. The mathematics is pure (pagerank.py, rating.py,
domains.py); this module is the job around it: it reads the served generation's link table with
DuckDB, hands arrays to the pure functions, and writes the metric tables.

The graphs (docs/metrics.md says why each choice was made):

- UR: nodes are URLs with http and https merged; edges are the live, followed links of kind
  text, image or redirect, one edge per (source, target) pair (the heaviest placement wins),
  self-links dropped; an edge's weight is its placement's weight (PLACEMENT_WEIGHTS), and a
  page with a redirect gives its whole vote to the redirect's target.
- DR: nodes are registrable domains; one unweighted edge per pair of distinct domains joined by
  at least one live followed link of those kinds.
- Link value: the UR a link passes, d * UR(source) * weight / total weight of the source's edges,
  on every link row of the pair; 0 for links that pass nothing (unfollowed, lost, other kinds).

The links table is rewritten with `value` and its source page's title, language, outlinks, IP,
UR and DR, so that the reports read one table sorted by target.

Two ways in: `rank_index` ranks the served generation into a new one (`linkscope rank`), and
`rank_staging` ranks a generation that a build (ingest, crawl) has written but not yet
published, so that the index never serves a generation whose scores are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from linkscope.rank import RANK_VERSION
from linkscope.rank.domains import compute_domain_rank
from linkscope.rank.graph import check_edges, compute_inflow, compute_transition
from linkscope.rank.pagerank import DEFAULT_MAX_ITER, PageRankResult, solve_pagerank
from linkscope.rank.rating import compute_rating
from linkscope.settings import DAMPING, PLACEMENT_WEIGHTS, RANK_TOLERANCE, Settings
from linkscope.store.catalog import write_catalog
from linkscope.store.fulltext import link_search
from linkscope.store.generations import IndexDir, final_path
from linkscope.store.merge import MEMORY_LIMIT
from linkscope.store.summaries import SUMMARY_TABLES, write_summaries

PASSING_KINDS = ("text", "image", "redirect")
PARQUET = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)"
METRIC_TABLES = ("url_metrics", "domain_metrics", *SUMMARY_TABLES)
# The steps of a ranking, in order, as reported to a `Step` callback (progress bars).
STEPS = ("link graph", "UR", "DR", "link values", "summaries")
Step = Callable[[str], None]


@dataclass
class RankParams:
    damping: float = DAMPING
    tol: float = RANK_TOLERANCE
    weights: tuple[tuple[str, float], ...] = tuple(PLACEMENT_WEIGHTS.items())

    @classmethod
    def from_settings(cls, settings: Settings) -> RankParams:
        return cls(settings.damping, settings.rank_tolerance, settings.weights())


@dataclass
class RankReport:
    generation: str
    urls: int
    domains: int
    edges: int
    domain_edges: int
    ur_iterations: int
    seconds: float


def _weights_sql(params: RankParams) -> str:
    cases = " ".join(f"WHEN '{p}' THEN {w}" for p, w in params.weights)
    return f"CASE placement {cases} ELSE 0.1 END"


def compute_metrics(con: duckdb.DuckDBPyConnection, links: str, pages: str, out: Path,
                    params: RankParams, step: Step | None = None) -> dict[str, Any]:
    """Write url_metrics, domain_metrics and links-with-value Parquet files into `out`; call
    `step` with the name of each of STEPS as it begins."""
    step = step or (lambda name: None)
    kinds = ", ".join(f"'{k}'" for k in PASSING_KINDS)
    step(STEPS[0])
    con.execute(f"""
        CREATE TEMP TABLE passing AS
        SELECT source, target, source_domain, target_domain, kind,
               regexp_replace(source, '^https?:', '') AS skey,
               regexp_replace(target, '^https?:', '') AS tkey,
               {_weights_sql(params)} AS weight
        FROM {links}
        WHERE lost_date IS NULL AND follow AND kind IN ({kinds})""")
    # A page with a redirect link gives its whole vote to the redirect target.
    con.execute("""
        CREATE TEMP TABLE edges AS
        WITH redirecting AS (SELECT DISTINCT skey FROM passing WHERE kind = 'redirect')
        SELECT skey, tkey, max(weight) AS weight FROM passing
        WHERE skey <> tkey AND (kind = 'redirect' OR skey NOT IN (SELECT skey FROM redirecting))
        GROUP BY skey, tkey""")
    con.execute(f"""
        CREATE TEMP TABLE nodes AS
        SELECT key, (row_number() OVER (ORDER BY key) - 1)::INTEGER AS id FROM (
            SELECT skey AS key FROM edges UNION SELECT tkey FROM edges
            UNION SELECT regexp_replace(url, '^https?:', '') FROM {pages})""")
    arrays = con.execute("""
        SELECT s.id AS src, t.id AS dst, e.weight FROM edges e
        JOIN nodes s ON s.key = e.skey JOIN nodes t ON t.key = e.tkey""").fetchnumpy()
    n_nodes = int(con.execute("SELECT count(*) FROM nodes").fetchall()[0][0])
    step(STEPS[1])
    src, dst, weights = check_edges(arrays["src"], arrays["dst"], n_nodes, arrays["weight"])
    transition = compute_transition(src, dst, n_nodes, weights, params.damping)
    del src, dst, weights
    result = (solve_pagerank(transition, params.damping, params.tol, DEFAULT_MAX_ITER)
              if n_nodes else PageRankResult(np.zeros(0), 0, 0.0))
    ur_raw = result.scores
    ur = compute_rating(ur_raw) if n_nodes else np.zeros(0)
    # Both sums come from the graph's rows, in one order whatever order the edges came in, so
    # that the same index always gives the same values: each page's out-weight, and what it
    # receives by links (the sum of the values of the edges into it: value_share's base).
    out_weight = transition.out_weight
    in_value = compute_inflow(transition, ur_raw)
    del transition
    con.register("node_scores", pa.table({"id": np.arange(n_nodes, dtype=np.int32),
                                          "ur_raw": ur_raw, "ur": ur, "out_weight": out_weight,
                                          "in_value": in_value}))
    con.execute("""
        CREATE TEMP TABLE key_metrics AS
        SELECT n.key, s.ur_raw, s.ur, s.out_weight, s.in_value
        FROM nodes n JOIN node_scores s USING (id)""")
    con.execute(f"""
        COPY (SELECT u.url, k.ur_raw, k.ur, k.out_weight, '{RANK_VERSION}' AS rank_version FROM (
                  SELECT url FROM {pages} UNION SELECT source FROM {links}
                  UNION SELECT target FROM {links}) u
              JOIN key_metrics k ON k.key = regexp_replace(u.url, '^https?:', '')
              ORDER BY u.url)
        TO '{out / 'url_metrics.parquet'}' {PARQUET}""")
    step(STEPS[2])
    domains = _domain_rank(con, params, out)
    step(STEPS[3])
    con.execute(f"""
        COPY (
            SELECT l.*, CASE WHEN e.weight IS NULL OR k.out_weight = 0 THEN 0.0
                             ELSE {params.damping} * k.ur_raw * e.weight / k.out_weight
                        END AS value,
                   CASE WHEN e.weight IS NULL OR k.out_weight = 0 OR NOT tk.in_value > 0
                        THEN 0.0
                        ELSE {params.damping} * k.ur_raw * e.weight / k.out_weight / tk.in_value
                   END AS value_share,
                   pg.title AS source_title, pg.language AS source_language,
                   pg.outlinks AS source_outlinks, pg.ip AS source_ip, sk.ur AS source_ur,
                   dm.dr AS source_dr
            FROM {links} l
            LEFT JOIN {pages} pg ON pg.url = l.source
            LEFT JOIN key_metrics sk ON sk.key = regexp_replace(l.source, '^https?:', '')
            LEFT JOIN read_parquet('{out / 'domain_metrics.parquet'}') dm
                   ON dm.domain = l.source_domain
            LEFT JOIN (SELECT DISTINCT skey, tkey, source, target FROM passing) p
                   ON p.source = l.source AND p.target = l.target
                  AND l.lost_date IS NULL AND l.follow AND l.kind IN ({kinds})
            LEFT JOIN edges e ON e.skey = p.skey AND e.tkey = p.tkey
            LEFT JOIN key_metrics k ON k.key = p.skey
            LEFT JOIN key_metrics tk ON tk.key = p.tkey
            ORDER BY l.target_domain, l.target, l.source, l.position)
        TO '{out / 'links.parquet'}' {PARQUET}""")
    dangling = float(ur_raw[out_weight == 0].sum()) if n_nodes else 0.0
    step(STEPS[4])
    write_summaries(con, out)  # pre-aggregated tables for the reports (store/summaries.py)
    return {"urls": n_nodes, "edges": len(arrays["src"]), "ur_iterations": result.iterations,
            "ur_residual": result.residual, "ur_dangling_mass": dangling, **domains}


def _domain_rank(con: duckdb.DuckDBPyConnection, params: RankParams, out: Path
                 ) -> dict[str, Any]:
    con.execute("""
        CREATE TEMP TABLE domains AS
        SELECT domain, (row_number() OVER (ORDER BY domain) - 1)::INTEGER AS id FROM (
            SELECT source_domain AS domain FROM passing WHERE source_domain IS NOT NULL
            UNION SELECT target_domain FROM passing WHERE target_domain IS NOT NULL)""")
    arrays = con.execute("""
        SELECT s.id AS src, t.id AS dst FROM (
            SELECT DISTINCT source_domain, target_domain FROM passing
            WHERE source_domain <> target_domain) p
        JOIN domains s ON s.domain = p.source_domain
        JOIN domains t ON t.domain = p.target_domain""").fetchnumpy()
    n = int(con.execute("SELECT count(*) FROM domains").fetchall()[0][0])
    raw = compute_domain_rank(arrays["src"], arrays["dst"], n, damping=params.damping,
                              tol=params.tol)
    dr = compute_rating(raw) if n else np.zeros(0)
    con.register("domain_scores", pa.table({"id": np.arange(n, dtype=np.int32), "dr_raw": raw,
                                            "dr": dr}))
    con.execute(f"""
        COPY (SELECT d.domain, s.dr_raw, s.dr,
                     coalesce(r.ref_domains, 0) AS ref_domains,
                     coalesce(o.linked_domains, 0) AS linked_domains,
                     '{RANK_VERSION}' AS rank_version
              FROM domains d JOIN domain_scores s USING (id)
              LEFT JOIN (SELECT target_domain AS domain, count(DISTINCT source_domain)
                         AS ref_domains FROM passing WHERE source_domain <> target_domain
                         GROUP BY 1) r USING (domain)
              LEFT JOIN (SELECT source_domain AS domain, count(DISTINCT target_domain)
                         AS linked_domains FROM passing WHERE source_domain <> target_domain
                         GROUP BY 1) o USING (domain)
              ORDER BY d.domain)
        TO '{out / 'domain_metrics.parquet'}' {PARQUET}""")
    has_out = np.zeros(n, dtype=bool)
    has_out[arrays["src"]] = True
    return {"domains": n, "domain_edges": len(arrays["src"]),
            "dr_dangling_mass": float(raw[~has_out].sum()) if n else 0.0}


def rank_index(index: Path, params: RankParams | None = None,
               step: Step | None = None) -> RankReport:
    """Compute the metrics of the served generation into a new generation, and switch it in."""
    params = params or RankParams()
    started = time.perf_counter()
    store = IndexDir(index)
    with store.writing():
        current = store.require_current()
        staging = store.staging()
        for table in ("pages", "fetches", "texts"):
            if (current / f"{table}.parquet").is_file():
                os.link(current / f"{table}.parquet", staging / f"{table}.parquet")
        link_search(current, staging)
        figures = _rank_into(current / "links.parquet", current / "pages.parquet", staging,
                             store.manifest(current), params, step)
        generation = store.publish(staging, write_catalog)
    return _report(generation.name, figures, started)


def rank_staging(staging: Path, params: RankParams | None = None,
                 step: Step | None = None) -> RankReport:
    """Rank a generation that a build has written into `staging` and not yet published.

    The build calls this just before it switches the index to the new generation (the hook
    `store.ingest(..., before_publish=...)`), holding the writer's lock: its unranked links
    table is set aside, the ranked one written in its place, and the manifest completed, so that
    readers go from one ranked generation to the next. Interrupted, it leaves only the staging
    directory, which the next build removes.
    """
    params = params or RankParams()
    started = time.perf_counter()
    unranked = staging / ".unranked"
    unranked.mkdir(exist_ok=True)
    (staging / "links.parquet").replace(unranked / "links.parquet")
    manifest = json.loads((staging / "manifest.json").read_text())
    figures = _rank_into(unranked / "links.parquet", staging / "pages.parquet", staging,
                         manifest, params, step)
    shutil.rmtree(unranked)
    return _report(final_path(staging).name, figures, started)


def served_params(index: Path, fallback: RankParams | None = None) -> RankParams:
    """The parameters the served generation was ranked with (`fallback`, else the defaults,
    if it was not ranked or the index is empty): a build ranks its new generation the same
    way."""
    store = IndexDir(index)
    current = store.current()
    ranked = store.manifest(current).get("rank") if current is not None else None
    defaults = fallback or RankParams()
    if not ranked:
        return defaults
    # a placement the served generation had no weight for (one added since, such as WAT's
    # `unknown`) takes its default weight, not the fallback of a placement nobody named
    weights = {**dict(defaults.weights), **(ranked.get("placement_weights") or {})}
    return RankParams(damping=float(ranked.get("damping", defaults.damping)),
                      tol=float(ranked.get("tol", defaults.tol)),
                      weights=tuple(weights.items()))


def _rank_into(links: Path, pages: Path, staging: Path, manifest: dict[str, Any],
               params: RankParams, step: Step | None) -> dict[str, Any]:
    """Rank the `links` and `pages` Parquet files into `staging` (metric tables, ranked links)
    and write its manifest: `manifest` with the tables, counts and ranking filled in."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute(f"SET temp_directory = '{staging / '.spill'}'")
        figures = compute_metrics(con, f"read_parquet('{links}')", f"read_parquet('{pages}')",
                                  staging, params, step)
        counts = {}
        texts = ("texts",) if (staging / "texts.parquet").is_file() else ()
        for table in ("pages", "links", "fetches", *texts) + METRIC_TABLES:
            counts[table] = int(con.execute(
                f"SELECT count(*) FROM read_parquet('{staging / (table + '.parquet')}')"
            ).fetchall()[0][0])
    finally:
        con.close()
    manifest.update({
        "tables": ["pages", "links", "fetches", *texts, *METRIC_TABLES],
        "counts": counts,
        "rank": {"version": RANK_VERSION, "damping": params.damping, "tol": params.tol,
                 "placement_weights": dict(params.weights),
                 "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                 **figures},
    })
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(staging / ".spill", ignore_errors=True)
    return figures


def _report(generation: str, figures: dict[str, Any], started: float) -> RankReport:
    return RankReport(generation, figures["urls"], figures["domains"], figures["edges"],
                      figures["domain_edges"], figures["ur_iterations"],
                      time.perf_counter() - started)
