"""Explanations of UR and DR: the metric, the parts of its formula, and who contributes most.

A PageRank score is the sum of three parts: the teleport share (1 - d) / N, the share of the
dangling mass d * D / N (the votes of nodes that link nowhere, spread evenly), and one
contribution per incoming edge, d * score(source) * weight / total weight of the source's edges.
The contributions are read from the index, so the explanation adds up to the stored score
(up to the solver's tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linkscope.errors import UsageError
from linkscope.store.catalog import IndexReader
from linkscope.urls import normalize, registrable_domain, split_host


@dataclass
class Contributor:
    name: str  # a referring URL (UR) or domain (DR)
    contribution: float  # raw score passed
    share: float  # of the explained score
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Explanation:
    metric: str  # "UR" or "DR"
    target: str
    rating: float
    raw: float
    parts: dict[str, float]
    contributors: list[Contributor]
    formula: str
    counting: str

    def as_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "target": self.target, "rating": self.rating,
                "raw": self.raw, "parts": self.parts, "formula": self.formula,
                "counting": self.counting,
                "contributors": [vars(c) for c in self.contributors]}


def _rank_info(reader: IndexReader) -> dict[str, Any]:
    rank = reader.manifest.get("rank")
    if not rank:
        raise UsageError("the index has no metrics yet", where=str(reader.index),
                         hint="run `linkscope rank` first")
    info: dict[str, Any] = rank
    return info


def explain(reader: IndexReader, target: str, limit: int = 10) -> Explanation:
    """UR of a URL (a target starting with http:// or https://), else DR of a domain."""
    if target.startswith(("http://", "https://")):
        return explain_url(reader, target, limit)
    return explain_domain(reader, target, limit)


def explain_url(reader: IndexReader, url: str, limit: int = 10) -> Explanation:
    rank = _rank_info(reader)
    normal = normalize(url)
    if normal is None:
        raise UsageError(f"not an http(s) URL: {url!r}", where="target")
    key = normal.split(":", 1)[1]
    row = reader.con.execute("SELECT ur, ur_raw FROM url_metrics WHERE url = ?",
                             [normal]).fetchone()
    if row is None:
        raise UsageError(f"URL not in the index: {normal}", where="target")
    rating, raw = float(row[0]), float(row[1])
    d, n = float(rank["damping"]), int(rank["urls"])
    teleport = (1 - d) / n
    dangling = d * float(rank["ur_dangling_mass"]) / n
    rows = reader.con.execute("""
        SELECT source, any_value(value) AS value, any_value(placement), any_value(anchor),
               count(*) AS links
        FROM links
        WHERE target_domain IS NOT DISTINCT FROM ?
              AND regexp_replace(target, '^https?:', '') = ? AND value > 0
        GROUP BY source ORDER BY value DESC""", [registrable_domain(split_host(normal)), key]
    ).fetchall()
    inbound = sum(r[1] for r in rows)
    contributors = [Contributor(r[0], r[1], r[1] / raw, {"placement": r[2], "anchor": r[3],
                                                          "links": r[4]}) for r in rows[:limit]]
    return Explanation(
        "UR", normal, rating, raw,
        {"teleport": teleport, "dangling": dangling, "inbound_links": inbound,
         "sum": teleport + dangling + inbound, "followed_referring_pages": len(rows)},
        contributors,
        "UR_raw = (1-d)/N + d*D/N + sum over followed inbound links of "
        "d * UR_raw(source) * weight(placement) / total weight of the source's links; "
        "UR = 100 * ln(UR_raw / min) / ln(max / min)",
        f"d={d}, N={n} URLs (http and https merged), D = mass of URLs that link nowhere; "
        f"live followed links of kind text, image, redirect; one link per source-target pair; "
        f"placement weights {rank['placement_weights']}; version {rank['version']}")


def explain_domain(reader: IndexReader, domain: str, limit: int = 10) -> Explanation:
    rank = _rank_info(reader)
    domain = domain.strip().lower().rstrip(".")
    row = reader.con.execute("SELECT dr, dr_raw FROM domain_metrics WHERE domain = ?",
                             [domain]).fetchone()
    if row is None:
        raise UsageError(f"domain not in the index: {domain}", where="target")
    rating, raw = float(row[0]), float(row[1])
    d, n = float(rank["damping"]), int(rank["domains"])
    teleport = (1 - d) / n
    dangling = d * float(rank["dr_dangling_mass"]) / n
    rows = reader.con.execute("""
        SELECT m.domain, ? * m.dr_raw / m.linked_domains AS contribution, m.dr,
               m.linked_domains, r.links
        FROM (SELECT source_domain, count(*) AS links FROM links
              WHERE target_domain = ? AND source_domain <> target_domain AND follow
                    AND lost_date IS NULL AND kind IN ('text', 'image', 'redirect')
              GROUP BY source_domain) r
        JOIN domain_metrics m ON m.domain = r.source_domain
        ORDER BY contribution DESC""", [d, domain]).fetchall()
    inbound = sum(r[1] for r in rows)
    contributors = [Contributor(r[0], r[1], r[1] / raw, {"dr": r[2], "linked_domains": r[3],
                                                          "links": r[4]}) for r in rows[:limit]]
    return Explanation(
        "DR", domain, rating, raw,
        {"teleport": teleport, "dangling": dangling, "followed_referring_domains_part": inbound,
         "sum": teleport + dangling + inbound, "followed_referring_domains": len(rows)},
        contributors,
        "DR_raw = (1-d)/N + d*D/N + sum over referring domains of "
        "d * DR_raw(domain) / number of domains it links to; "
        "DR = 100 * ln(DR_raw / min) / ln(max / min)",
        f"d={d}, N={n} domains, D = mass of domains that link to no other domain; a domain "
        f"counts once for each domain it links to with at least one live followed link; "
        f"links inside a domain ignored; version {rank['version']}")
