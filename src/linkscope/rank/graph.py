"""Edge arrays to the transition matrix PageRank iterates on: checked, compact, no loops over edges.

The matrix is stored as the transpose of the usual row-stochastic matrix, in CSR: row ``i`` holds
the in-links of node ``i``, and the entry for the link ``j -> i`` is ``damping * w(j -> i) / W(j)``,
where ``W(j)`` is the total weight of ``j``'s out-links. One matrix-vector product then gives every
node the damped votes it receives. Duplicate links stay separate entries, so their weights add up.

Nodes are renumbered so that the *live* nodes (total out-weight above zero) come first and the
dangling nodes after them, each group in its original order (locality is kept). A dangling node has
no out-links, so no entry refers to it: the matrix has ``n_live`` columns, and its product is taken
with the live part of the score vector; the dangling part only contributes its sum.

Memory, per link: 4 bytes of column index and 8 of float64 value once built (int64 indices only past
2**31 links), and at most about 16 while sorting (an int64 permutation and an int32 key).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from linkscope.errors import UsageError

INT32_MAX = np.iinfo(np.int32).max


@dataclass(frozen=True, slots=True)
class Transition:
    """The damped, transposed transition matrix of a graph, live nodes first.

    ``full`` is ``n_nodes x n_live``: every node's in-links, all of which come from live nodes.
    ``new_id[old]`` is a node's position in that order.
    """

    full: sp.csr_array
    new_id: npt.NDArray[np.integer]
    n_live: int

    @property
    def n_nodes(self) -> int:
        return int(self.full.shape[0])


def index_dtype(n: int) -> type[np.signedinteger]:
    """The smallest index type that holds ``n``: int32 below 2**31, int64 above."""
    return np.int32 if n <= INT32_MAX else np.int64


def check_edges(
    sources: npt.ArrayLike,
    targets: npt.ArrayLike,
    n_nodes: int,
    weights: npt.ArrayLike | None,
) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.integer], npt.NDArray[np.float64] | None]:
    """The edge arrays as flat arrays of a compact integer type, or UsageError naming the fault.

    Edges of weight zero are dropped here: they carry no vote, and a node left with no positive
    out-weight is dangling, as in networkx.
    """
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, int | np.integer) or n_nodes < 0:
        raise UsageError(f"must be a non-negative integer, got {n_nodes!r}", where="n_nodes")
    src = np.asarray(sources).reshape(-1)
    dst = np.asarray(targets).reshape(-1)
    for name, array in (("sources", src), ("targets", dst)):
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise UsageError(f"must hold integer node ids, got dtype {array.dtype}", where=name)
    if src.shape != dst.shape:
        raise UsageError(f"{src.size} sources but {dst.size} targets", where="targets")
    dtype = index_dtype(int(n_nodes))
    for name, array in (("sources", src), ("targets", dst)):
        if array.size and (int(array.min()) < 0 or int(array.max()) >= n_nodes):
            raise UsageError(f"node ids must lie in [0, {n_nodes})", where=name)
    src = src.astype(dtype, copy=False)
    dst = dst.astype(dtype, copy=False)
    if weights is None:
        return src, dst, None
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.shape != src.shape:
        raise UsageError(f"{w.size} weights for {src.size} edges", where="weights")
    if w.size and not (np.isfinite(w).all() and w.min() >= 0.0):
        raise UsageError("must be finite and non-negative", where="weights")
    if w.size and not w.all():
        keep = w > 0
        src, dst, w = src[keep], dst[keep], w[keep]
    return src, dst, w


def compute_transition(
    sources: npt.NDArray[np.integer],
    targets: npt.NDArray[np.integer],
    n_nodes: int,
    weights: npt.NDArray[np.float64] | None,
    damping: float,
) -> Transition:
    """The transition matrix of checked edge arrays (see ``check_edges``), live nodes first."""
    n = int(n_nodes)
    dtype = index_dtype(n)
    out_weight = np.bincount(sources, weights=weights, minlength=n).astype(np.float64, copy=False)
    live = out_weight > 0
    n_live = int(np.count_nonzero(live))
    new_id = np.empty(n, dtype=dtype)
    new_id[live] = np.arange(n_live, dtype=dtype)
    new_id[~live] = np.arange(n_live, n, dtype=dtype)
    vote = damping / out_weight[live]  # per unit of weight, indexed by new id
    del out_weight, live

    key = new_id[targets]  # rows: targets in the new numbering
    indptr = np.zeros(n + 1, dtype=index_dtype(max(n, sources.size)))
    np.cumsum(np.bincount(key, minlength=n), out=indptr[1:])
    order = np.argsort(key, kind="stable")
    del key
    columns = sources[order]
    np.take(new_id, columns, out=columns, mode="clip")  # in place; every id was checked
    if weights is None:
        del order
        values = vote[columns]
    else:
        values = weights[order]
        del order
        values *= vote[columns]
    full = sp.csr_array((values, columns, indptr), shape=(n, n_live), copy=False)
    return Transition(full=full, new_id=new_id, n_live=n_live)
