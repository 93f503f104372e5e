"""PageRank on edge arrays: the numerical core of UR and DR. Pure; no I/O.

The score vector ``x`` (one entry a node, summing to 1) is the fixed point of the PageRank map

    G(x) = d * P^T x  +  (d * sum(x[dangling]) + 1 - d) / n

where ``P[j, i]`` is the share of ``j``'s vote given to ``i`` (its link weight over its total
out-weight), ``d`` the damping and ``n`` the number of nodes: a dangling node's mass, like the
teleport mass, is spread uniformly. This is networkx's ``pagerank`` with ``personalization=None``
and ``dangling=None``.

Convergence is measured as networkx measures it, in L1, but without its scaling by ``n``: an iterate
``x`` has converged when one more step of ``G`` moves it by less than ``tol``, ``sum|G(x) - x| <
tol``, and that step is then taken and returned. networkx stops when that L1 change is below ``n *
tol_networkx``, so ``tol = n * tol_networkx`` gives its stopping rule (networkx's default
``tol=1e-6`` is an L1 change of 0.3 on a graph of 300,000 nodes; our default 1e-9 is absolute).
``G`` contracts L1 distances by ``d``, so the returned vector is within ``tol * d / (1 - d)`` of the
exact fixed point, whichever solver found ``x``.

Two solvers find ``x``, both compiled sweeps over the in-links (``graph.py``) in float64 (float32
stalls near an L1 step of 2e-8):

- ``"gauss-seidel"`` (the default) solves the linear system ``y = d P~^T y + (1 - d) / n``, where
  ``P~`` is ``P`` with the dangling rows left at zero; its solution is proportional to the PageRank
  vector, ``x = y / sum(y)``. A sweep updates the nodes in order, each from the newest values of its
  in-links, and a node's self-loop share is solved for exactly rather than iterated on (without
  that, a page whose only link is to itself converges only at the rate ``d``). After a sweep that
  changed ``y`` by ``delta`` in L1, the linear residual is at most ``d * delta`` (it is the part of
  the sweep that used old values), and the PageRank residual of ``x = y / sum(y)`` at most twice
  that over ``sum(y)``. Once that bound is below ``tol``, one step of ``G`` from ``x`` measures
  the true residual ``sum|G(x) - x|`` and, when it is below ``tol``, gives the result: the
  criterion and the returned vector mean what they mean for the power iteration. On cnr-2000 this
  takes 60 sweeps and one step where the power iteration takes 102 steps.
- ``"power"``: the power iteration from the uniform vector, step for step networkx's
  implementation (to rounding), kept as the reference.

``max_iter`` counts sweeps (or steps). Faster-converging schemes built from numpy and scipy were
measured on cnr-2000 and lost on time (``docs/benchmarks.md``, "Ranking"); successive
over-relaxation stalls or diverges on it, and symmetric sweeps take more work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from linkscope.errors import ConvergenceError, UsageError
from linkscope.rank.graph import (
    Index,
    Transition,
    Vector,
    check_edges,
    compiled,
    compute_transition,
)

DEFAULT_MAX_ITER = 1000
METHODS = ("gauss-seidel", "power")
PREFETCH_AHEAD = 128  # in-links
PREFETCH_FAR_SHARE = 0.05  # of links far apart (graph.FAR), above which sweeps prefetch


@dataclass(frozen=True, slots=True)
class PageRankResult:
    """Scores in the caller's node order (float64, summing to 1), with how they were reached."""

    scores: npt.NDArray[np.float64]
    iterations: int
    residual: float


def pagerank(
    sources: npt.ArrayLike,
    targets: npt.ArrayLike,
    n_nodes: int,
    weights: npt.ArrayLike | None = None,
    damping: float = 0.85,
    tol: float = 1e-9,
    max_iter: int = DEFAULT_MAX_ITER,
    *,
    method: str = "gauss-seidel",
) -> npt.NDArray[np.float64]:
    """PageRank of the graph whose ``i``-th link goes from ``sources[i]`` to ``targets[i]``.

    Nodes are ``0 .. n_nodes - 1``; a node in no link still gets a score. ``weights`` (non-negative)
    split a node's vote over its out-links in proportion; without them each link counts 1. Duplicate
    links add up (networkx's MultiDiGraph; dedupe first for its DiGraph). A self-loop is an out-link
    like any other: the node keeps that share of its own vote. ``tol`` is an absolute L1 change (see
    the module docstring for networkx's ``n``-scaled one). Returns float64 scores summing to 1; an
    empty array when ``n_nodes`` is 0. ``method`` picks the solver (the module docstring): both
    meet the same criterion. Raises ``UsageError`` on bad arguments and ``ConvergenceError`` when
    ``max_iter`` sweeps do not reach ``tol``.
    """
    return compute_pagerank(sources, targets, n_nodes, weights, damping, tol, max_iter,
                            method=method).scores


def compute_pagerank(
    sources: npt.ArrayLike,
    targets: npt.ArrayLike,
    n_nodes: int,
    weights: npt.ArrayLike | None = None,
    damping: float = 0.85,
    tol: float = 1e-9,
    max_iter: int = DEFAULT_MAX_ITER,
    *,
    method: str = "gauss-seidel",
) -> PageRankResult:
    """``pagerank``, also reporting the iterations taken and the last residual."""
    check_parameters(damping, tol, max_iter, method)
    src, dst, w = check_edges(sources, targets, n_nodes, weights)
    if n_nodes == 0:
        return PageRankResult(np.zeros(0), 0, 0.0)
    transition = compute_transition(src, dst, n_nodes, w, damping)
    del src, dst, w
    return solve_pagerank(transition, damping, tol, max_iter, method)


def check_parameters(damping: float, tol: float, max_iter: int,
                     method: str = "gauss-seidel") -> None:
    """UsageError naming the first parameter out of range."""
    if not 0.0 <= damping < 1.0:
        raise UsageError(f"must lie in [0, 1), got {damping!r}", where="damping")
    if not tol > 0.0:
        raise UsageError(f"must be positive, got {tol!r}", where="tol")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 0:
        raise UsageError(f"must be a non-negative integer, got {max_iter!r}", where="max_iter")
    if method not in METHODS:
        raise UsageError(f"must be one of {', '.join(METHODS)}, got {method!r}", where="method")


def solve_pagerank(
    transition: Transition, damping: float, tol: float, max_iter: int,
    method: str = "gauss-seidel",
) -> PageRankResult:
    """Iterate on a built transition (``compute_transition`` with the same ``damping``)."""
    check_parameters(damping, tol, max_iter, method)
    solver = iterate_gauss_seidel if method == "gauss-seidel" else iterate_power
    x, iterations, residual = solver(transition, damping, tol, max_iter)
    x /= x.sum()
    return PageRankResult(scores=x, iterations=iterations, residual=residual)


def iterate_gauss_seidel(
    transition: Transition, damping: float, tol: float, max_iter: int
) -> tuple[npt.NDArray[np.float64], int, float]:
    """Gauss-Seidel sweeps on the linear system, then one certifying step of ``G``."""
    t = transition
    n = t.n_nodes
    weighted, weights = (False, np.zeros(0)) if t.weights is None else (True, t.weights)
    ahead = prefetch_distance(t)
    base = (1.0 - damping) / n
    y = np.full(n, base)
    z = y * t.vote  # each node's damped vote per unit of link weight
    following = np.empty(n)
    total = float(y.sum())
    for sweep in range(1, max_iter + 1):
        delta, total = sweep_gauss_seidel(t.indptr, t.sources, weights, weighted, t.vote, t.loop,
                                          base, y, z, ahead)
        if 2.0 * damping * delta < tol * total:
            y /= total
            residual = step_power(t.indptr, t.sources, weights, weighted, t.vote, t.loop,
                                  damping, y, z, following, ahead)
            if residual < tol:
                return following, sweep, residual
            y *= total  # rounding kept the bound below the true residual: sweep on
            np.multiply(y, t.vote, out=z)
    y /= total
    residual = step_power(t.indptr, t.sources, weights, weighted, t.vote, t.loop, damping, y, z,
                          following, ahead)
    raise not_converged(max_iter, residual, tol)


def prefetch_distance(transition: Transition) -> int:
    """How many in-links ahead a sweep prefetches sources: 0 (none) on a graph with few far links.

    On the 20M-link synthetic web prefetching 128 ahead cut a sweep from 148 to 56 ms of CPU; on
    cnr-2000, whose sources are mostly in cache already, it cost 23% (4.4 to 5.4 ms).
    """
    links = transition.sources.size
    return PREFETCH_AHEAD if transition.far_links > PREFETCH_FAR_SHARE * links else 0


def iterate_power(
    transition: Transition, damping: float, tol: float, max_iter: int
) -> tuple[npt.NDArray[np.float64], int, float]:
    """Power iteration from the uniform vector: ``x <- G(x)`` until a step moves less than tol."""
    t = transition
    n = t.n_nodes
    weighted, weights = (False, np.zeros(0)) if t.weights is None else (True, t.weights)
    ahead = prefetch_distance(t)
    x = np.full(n, 1.0 / n)
    z = np.empty(n)
    following = np.empty(n)
    residual = float("inf")
    for step in range(1, max_iter + 1):
        residual = step_power(t.indptr, t.sources, weights, weighted, t.vote, t.loop, damping,
                              x, z, following, ahead)
        x, following = following, x
        if residual < tol:
            return x, step, residual
    raise not_converged(max_iter, residual, tol)


@compiled
def sweep_gauss_seidel(
    indptr: Index, sources: Index, weights: Vector, weighted: bool, vote: Vector, loop: Vector,
    base: float, y: Vector, z: Vector, ahead: int,
) -> tuple[float, float]:
    """One forward sweep in place; returns the L1 change of ``y`` and its new sum."""
    delta = 0.0
    total = 0.0
    for i in range(y.size):
        start, end = indptr[i], indptr[i + 1]
        if ahead:
            for k in range(start + ahead, min(end + ahead, sources.size)):
                prefetch(z, sources[k])
        even = 0.0  # two running sums, interleaved: 5-12% faster a sweep on cnr-2000 than one
        odd = 0.0
        k = start
        if weighted:
            while k + 1 < end:
                even += weights[k] * z[sources[k]]
                odd += weights[k + 1] * z[sources[k + 1]]
                k += 2
            if k < end:
                even += weights[k] * z[sources[k]]
        else:
            while k + 1 < end:
                even += z[sources[k]]
                odd += z[sources[k + 1]]
                k += 2
            if k < end:
                even += z[sources[k]]
        s = even + odd
        s = (s + base) / (1.0 - loop[i])
        delta += abs(s - y[i])
        total += s
        y[i] = s
        z[i] = s * vote[i]
    return delta, total


# step_power repeats sweep_gauss_seidel's in-link sum on purpose: a shared compiled helper, even
# with numba's inline="always", doubled the solve on cnr-2000 (0.45-0.52 s against 0.245 s).
@compiled
def step_power(
    indptr: Index, sources: Index, weights: Vector, weighted: bool, vote: Vector, loop: Vector,
    damping: float, x: Vector, z: Vector, following: Vector, ahead: int,
) -> float:
    """``following = G(x)`` for ``x`` summing to 1; returns ``sum|G(x) - x|``. ``z`` is scratch."""
    n = x.size
    dangling = 0.0
    for j in range(n):
        z[j] = x[j] * vote[j]
        if vote[j] == 0.0:
            dangling += x[j]
    base = (damping * dangling + 1.0 - damping) / n
    residual = 0.0
    for i in range(n):
        start, end = indptr[i], indptr[i + 1]
        if ahead:
            for k in range(start + ahead, min(end + ahead, sources.size)):
                prefetch(z, sources[k])
        even = 0.0  # two running sums, interleaved: 5-12% faster a sweep on cnr-2000 than one
        odd = 0.0
        k = start
        if weighted:
            while k + 1 < end:
                even += weights[k] * z[sources[k]]
                odd += weights[k + 1] * z[sources[k + 1]]
                k += 2
            if k < end:
                even += weights[k] * z[sources[k]]
        else:
            while k + 1 < end:
                even += z[sources[k]]
                odd += z[sources[k + 1]]
                k += 2
            if k < end:
                even += z[sources[k]]
        s = even + odd
        s += base + loop[i] * x[i]
        following[i] = s
        residual += abs(s - x[i])
    return residual


def prefetch_intrinsic(typingctx: Any, array: Any, index: Any) -> Any:
    """Ask the CPU to bring ``array[index]`` into cache (LLVM's prefetch: read, keep, data)."""
    signature = types.void(array, index)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        array_type = sig.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        pointer = cgutils.get_item_pointer(  # type: ignore[no-untyped-call]
            context, builder, array_type, view, [args[1]], wraparound=False)
        byte_pointer = ir.IntType(8).as_pointer()
        int32 = ir.IntType(32)
        function = cgutils.get_or_insert_function(  # type: ignore[no-untyped-call]
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
            "llvm.prefetch.p0")
        builder.call(function, [builder.bitcast(pointer, byte_pointer), int32(0), int32(3),
                                int32(1)])
        return context.get_dummy_value()

    return signature, codegen


prefetch = cast(Callable[[Vector, Any], None], intrinsic(prefetch_intrinsic))


def not_converged(max_iter: int, residual: float, tol: float) -> ConvergenceError:
    return ConvergenceError(
        f"PageRank did not converge in {max_iter} iterations (L1 residual {residual:.3g}, "
        f"tolerance {tol:.3g})",
        iterations=max_iter, residual=residual, where="max_iter",
        hint="raise max_iter or tol",
    )
