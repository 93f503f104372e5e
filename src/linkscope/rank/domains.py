"""DR's counting: the domain graph that domain PageRank runs on. Pure; no I/O.

From the followed links between pages, each given as the pair (source domain, target domain):

- links inside a domain are dropped: a site cannot raise itself;
- a source domain counts once for each domain it links to, however many links it has there;
- a domain's vote is split equally among all the domains it links to.

That is PageRank (``pagerank.py``) on the deduplicated, unweighted graph of distinct domain pairs.
Nofollow, ugc and sponsored links must be filtered out by the caller, which knows the rel flags.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from linkscope.errors import UsageError
from linkscope.rank.graph import check_edges, index_dtype
from linkscope.rank.pagerank import DEFAULT_MAX_ITER, pagerank


def compute_domain_edges(
    src_domain_ids: npt.ArrayLike, dst_domain_ids: npt.ArrayLike, n_domains: int
) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.integer]]:
    """The distinct (source, target) domain pairs of the links, internal ones dropped, sorted."""
    src, dst, _ = check_edges(src_domain_ids, dst_domain_ids, n_domains, None)
    external = src != dst
    src, dst = src[external], dst[external]
    if n_domains > 2**31:
        raise UsageError("at most 2**31 domains", where="n_domains")
    pairs = np.unique(src.astype(np.int64) * n_domains + dst)
    dtype = index_dtype(n_domains)
    return (pairs // n_domains).astype(dtype), (pairs % n_domains).astype(dtype)


def compute_domain_rank(
    src_domain_ids: npt.ArrayLike,
    dst_domain_ids: npt.ArrayLike,
    n_domains: int,
    damping: float = 0.85,
    tol: float = 1e-9,
    max_iter: int = DEFAULT_MAX_ITER,
) -> npt.NDArray[np.float64]:
    """DR's raw score for every domain ``0 .. n_domains - 1`` (float64, summing to 1).

    One entry of the two arrays per followed link, naming its source and target domain. Rate the
    result with ``compute_rating`` for the 0-100 DR.
    """
    src, dst = compute_domain_edges(src_domain_ids, dst_domain_ids, n_domains)
    return pagerank(src, dst, n_domains, damping=damping, tol=tol, max_iter=max_iter)
