"""Authority metrics on the link graph: PageRank, the 0-100 rating scale, and DR's domain counting.

Pure functions on numpy arrays (no I/O), so the local pipeline and Spark jobs can share them.
The formulas, parameters and defaults are in ``docs/metrics.md``.
"""

from linkscope.rank.domains import compute_domain_edges, compute_domain_rank
from linkscope.rank.graph import Transition, compute_transition
from linkscope.rank.pagerank import PageRankResult, compute_pagerank, pagerank, solve_pagerank
from linkscope.rank.rating import compute_rating

# Stored with every score: bump it when a formula, a default or the convergence rule changes.
RANK_VERSION = "2"

__all__ = [
    "RANK_VERSION",
    "PageRankResult",
    "Transition",
    "compute_domain_edges",
    "compute_domain_rank",
    "compute_pagerank",
    "compute_rating",
    "compute_transition",
    "pagerank",
    "solve_pagerank",
]
