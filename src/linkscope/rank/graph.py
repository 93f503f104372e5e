"""Edge arrays to the in-link lists PageRank sweeps over: checked, compact, built in one pass.

The graph is stored by target, in compressed sparse row form: row ``i`` lists the sources of the
links into ``i`` (``indptr[i]:indptr[i + 1]`` of ``sources``). A node's vote per unit of link
weight is ``vote[j] = damping / W(j)``, where ``W(j)`` is the total weight of ``j``'s out-links, so
the damped share that the link ``j -> i`` passes is ``weight * vote[j]``; without weights every
link weighs 1 and no per-link value is stored at all. Duplicate links stay separate entries, so
their weights add up. Self-loops are not entries: ``loop[i] = damping * w(i -> i) / W(i)`` is the
share of its own vote a node keeps, which Gauss-Seidel solves for exactly instead of iterating on.
A dangling node (``W = 0``) has ``vote`` 0: no entry refers to it.

Nodes keep their numbering, so the locality of a crawl-ordered graph is kept: 99% of cnr-2000's
links join nodes less than 65,536 ids apart, so a sweep finds most sources in cache. The build
counts the links that do not (``far_links``); where they are many (a graph without crawl order,
such as the benchmark's synthetic web, where 31% are), the sweeps prefetch the sources of the
in-links a little ahead (``pagerank.py``).

The build is a counting sort compiled by numba: one pass counts each target's in-links, one
scatters the sources into place, both O(links); a last pass sorts each (short) row by source,
so that every floating-point sum is taken in one order whatever order the edges came in.
Memory, per link: 4 bytes of source index (8 past 2**31 nodes) and, with weights, 8 of
float64 weight; per node 8 bytes each of ``indptr``, ``vote``, ``loop`` and ``out_weight``,
and 8 more while building.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

from linkscope.errors import UsageError

INT32_MAX = np.iinfo(np.int32).max
SHORT_ROW = 32  # rows up to this long are sorted in place by insertion
FAR = 1 << 16  # a link is far when its ends lie this many ids apart or more (512 KB of float64)

F = TypeVar("F", bound=Callable[..., Any])
Index = npt.NDArray[np.integer]
Vector = npt.NDArray[np.float64]


def compiled(function: F) -> F:
    """Compile with numba, caching the machine code on disk beside the module (``__pycache__``):
    the first call in a fresh environment compiles (about a second a function), later processes
    load it."""
    return cast(F, numba.njit(cache=True, nogil=True)(function))


@dataclass(frozen=True, slots=True)
class Transition:
    """A graph's in-links with the damping folded into each node's vote (see the module docstring).

    ``weights`` is None for an unweighted graph (every link weighs 1). ``far_links`` counts the
    in-links whose source lies ``FAR`` ids or more from their target.
    """

    indptr: npt.NDArray[np.int64]
    sources: npt.NDArray[np.integer]
    weights: npt.NDArray[np.float64] | None
    vote: npt.NDArray[np.float64]
    loop: npt.NDArray[np.float64]
    far_links: int
    out_weight: npt.NDArray[np.float64]  # each node's total out-link weight, self-loops included

    @property
    def n_nodes(self) -> int:
        return int(self.vote.size)


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
    out-weight is dangling, as in networkx. Every id is checked to lie in ``[0, n_nodes)``: the
    compiled build does not check bounds.
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
    src = np.ascontiguousarray(src, dtype=dtype)
    dst = np.ascontiguousarray(dst, dtype=dtype)
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
    return src, dst, np.ascontiguousarray(w)


def compute_transition(
    sources: npt.NDArray[np.integer],
    targets: npt.NDArray[np.integer],
    n_nodes: int,
    weights: npt.NDArray[np.float64] | None,
    damping: float,
) -> Transition:
    """The in-links of checked edge arrays (see ``check_edges``), with each node's damped vote."""
    n = int(n_nodes)
    weighted = weights is not None
    link_weights = weights if weights is not None else np.zeros(0)
    out_weight = np.zeros(n)
    loop = np.zeros(n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    far_links = count_links(sources, targets, link_weights, weighted, loop, indptr)
    in_sources = np.empty(int(indptr[n]), dtype=sources.dtype)
    in_weights = np.empty(in_sources.size if weighted else 0)
    place_links(sources, targets, link_weights, weighted, indptr, in_sources, in_weights)
    order_rows(indptr, in_sources, in_weights, weighted, out_weight)
    out_weight += loop
    vote = np.zeros(n)
    np.divide(damping, out_weight, out=vote, where=out_weight > 0)
    loop *= vote
    return Transition(indptr=indptr, sources=in_sources,
                      weights=in_weights if weighted else None, vote=vote, loop=loop,
                      far_links=int(far_links), out_weight=out_weight)


@compiled
def count_links(
    sources: Index, targets: Index, weights: Vector, weighted: bool, loop: Vector,
    indptr: npt.NDArray[np.int64],
) -> int:
    """Self-loop weights, and ``indptr`` (in-links a target, self-loops left out); returns the
    number of far links."""
    far = 0
    for e in range(sources.size):
        s = sources[e]
        t = targets[e]
        if s == t:
            loop[s] += weights[e] if weighted else 1.0
        else:
            indptr[t + 1] += 1
            if abs(s - t) >= FAR:
                far += 1
    for i in range(indptr.size - 1):
        indptr[i + 1] += indptr[i]
    return far


@compiled
def place_links(
    sources: Index, targets: Index, weights: Vector, weighted: bool,
    indptr: npt.NDArray[np.int64], in_sources: Index, in_weights: Vector,
) -> None:
    """Scatter each link's source (and weight) into its target's row, keeping the edges' order."""
    fill = indptr[:-1].copy()
    for e in range(sources.size):
        s = sources[e]
        t = targets[e]
        if s != t:
            at = fill[t]
            in_sources[at] = s
            if weighted:
                in_weights[at] = weights[e]
            fill[t] = at + 1


@compiled
def order_rows(
    indptr: npt.NDArray[np.int64], in_sources: Index, in_weights: Vector, weighted: bool,
    out_weight: Vector,
) -> None:
    """Sort each target's in-links by source, then sum each node's out-weight row by row.

    The edges arrive in whatever order the query that made them returned them (DuckDB's
    parallel joins do not keep one), and floating-point sums depend on their order: in that
    order, two rankings of the same index differed in the last bits. Sorted, every sum is taken
    in one order, so the same links always give the same scores (and sweeps read sources in
    increasing order). Both sorts are stable, so duplicate links keep their order: an
    insertion sort for the many short rows, a merge sort for the few long ones."""
    for i in range(indptr.size - 1):
        start = indptr[i]
        end = indptr[i + 1]
        if end - start > SHORT_ROW:
            order = np.argsort(in_sources[start:end], kind="mergesort")
            in_sources[start:end] = in_sources[start:end][order]
            if weighted:
                in_weights[start:end] = in_weights[start:end][order]
            for a in range(start, end):
                out_weight[in_sources[a]] += in_weights[a] if weighted else 1.0
            continue
        for a in range(start + 1, end):
            s = in_sources[a]
            w = in_weights[a] if weighted else 0.0
            b = a - 1
            while b >= start and in_sources[b] > s:
                in_sources[b + 1] = in_sources[b]
                if weighted:
                    in_weights[b + 1] = in_weights[b]
                b -= 1
            in_sources[b + 1] = s
            if weighted:
                in_weights[b + 1] = w
        for a in range(start, end):
            out_weight[in_sources[a]] += in_weights[a] if weighted else 1.0


def compute_inflow(transition: Transition, scores: Vector) -> Vector:
    """What each node receives by its in-links: the sum over them of ``weight * vote[source]
    * scores[source]`` (a link's value, when ``scores`` are the PageRank), in the rows' order,
    so the same graph always gives the same sums."""
    weighted = transition.weights is not None
    weights = transition.weights if transition.weights is not None else np.zeros(0)
    inflow = np.zeros(transition.n_nodes)
    sum_rows(transition.indptr, transition.sources, weights, weighted,
             transition.vote * scores, inflow)
    return inflow


@compiled
def sum_rows(indptr: npt.NDArray[np.int64], in_sources: Index, in_weights: Vector,
             weighted: bool, given: Vector, out: Vector) -> None:
    """``out[i]`` = the sum over row ``i`` of ``weight * given[source]``."""
    for i in range(indptr.size - 1):
        total = 0.0
        for a in range(indptr[i], indptr[i + 1]):
            total += (in_weights[a] if weighted else 1.0) * given[in_sources[a]]
        out[i] = total
