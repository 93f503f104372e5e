"""PageRank on edge arrays: the numerical core of UR and DR. Pure; no I/O.

The score vector ``x`` (one entry a node, summing to 1) is the fixed point of the PageRank map

    G(x) = d * P^T x  +  (d * sum(x[dangling]) + 1 - d) / n

where ``P[j, i]`` is the share of ``j``'s vote given to ``i`` (its link weight over its total
out-weight), ``d`` the damping and ``n`` the number of nodes: a dangling node's mass, like the
teleport mass, is spread uniformly. This is networkx's ``pagerank`` with ``personalization=None``
and ``dangling=None``.

Convergence is measured as networkx measures it, in L1, but without its scaling by ``n``: an iterate
``x`` has converged when one more step moves it by less than ``tol``, ``sum|G(x) - x| < tol``, and
the step is then taken and returned. networkx stops when that L1 change is below ``n *
tol_networkx``, so ``tol = n * tol_networkx`` gives the same stopping rule (networkx's default
``tol=1e-6`` is an L1 change of 0.3 on a graph of 300,000 nodes; our default 1e-9 is absolute).
``G`` contracts L1 distances by ``d``, so the distance to the exact fixed point is below ``tol * d /
(1 - d)`` and at most ``ln(tol / 2) / ln(d) + 1`` steps are needed (133 at ``d = 0.85``, ``tol =
1e-9``).

The solver is the power iteration from the uniform vector, step for step networkx's scipy
implementation, on a compact matrix (``graph.py``): int32 indices, float64 values with the damping
folded in, the dangling nodes' columns left out. float64 throughout: float32 stalls near an L1 step
of 2e-8. Faster-converging schemes were measured on cnr-2000 and lost on time with the building
blocks numpy and scipy offer (``docs/benchmarks.md``, "Ranking"): the linear system ``y = d P^T y +
1/n`` by Jacobi over the live nodes (more steps), Gauss-Seidel through SuperLU's triangular solve
(57 steps instead of 102, but each twice as dear), GMRES and BiCGSTAB (70-96 products, but
orthogonalization costs more than the products saved), Anderson mixing and quadratic extrapolation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from linkscope.errors import ConvergenceError, UsageError
from linkscope.rank.graph import Transition, check_edges, compute_transition

DEFAULT_MAX_ITER = 1000


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
) -> npt.NDArray[np.float64]:
    """PageRank of the graph whose ``i``-th link goes from ``sources[i]`` to ``targets[i]``.

    Nodes are ``0 .. n_nodes - 1``; a node in no link still gets a score. ``weights`` (non-negative)
    split a node's vote over its out-links in proportion; without them each link counts 1. Duplicate
    links add up (networkx's MultiDiGraph; dedupe first for its DiGraph). A self-loop is an out-link
    like any other: the node keeps that share of its own vote. ``tol`` is an absolute L1 change (see
    the module docstring for networkx's ``n``-scaled one). Returns float64 scores summing to 1; an
    empty array when ``n_nodes`` is 0. Raises ``UsageError`` on bad arguments and
    ``ConvergenceError`` when ``max_iter`` steps do not reach ``tol``.
    """
    return compute_pagerank(sources, targets, n_nodes, weights, damping, tol, max_iter).scores


def compute_pagerank(
    sources: npt.ArrayLike,
    targets: npt.ArrayLike,
    n_nodes: int,
    weights: npt.ArrayLike | None = None,
    damping: float = 0.85,
    tol: float = 1e-9,
    max_iter: int = DEFAULT_MAX_ITER,
) -> PageRankResult:
    """``pagerank``, also reporting the iterations taken and the last residual."""
    check_parameters(damping, tol, max_iter)
    src, dst, w = check_edges(sources, targets, n_nodes, weights)
    if n_nodes == 0:
        return PageRankResult(np.zeros(0), 0, 0.0)
    transition = compute_transition(src, dst, n_nodes, w, damping)
    del src, dst, w
    return solve_pagerank(transition, damping, tol, max_iter)


def check_parameters(damping: float, tol: float, max_iter: int) -> None:
    """UsageError naming the first parameter out of range."""
    if not 0.0 <= damping < 1.0:
        raise UsageError(f"must lie in [0, 1), got {damping!r}", where="damping")
    if not tol > 0.0:
        raise UsageError(f"must be positive, got {tol!r}", where="tol")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 0:
        raise UsageError(f"must be a non-negative integer, got {max_iter!r}", where="max_iter")


def solve_pagerank(
    transition: Transition, damping: float, tol: float, max_iter: int
) -> PageRankResult:
    """Iterate on a built transition matrix (``compute_transition`` with the same ``damping``)."""
    x, iterations, residual = iterate_power(transition, damping, tol, max_iter)
    x /= x.sum()
    return PageRankResult(scores=x[transition.new_id], iterations=iterations, residual=residual)


def iterate_power(
    transition: Transition, damping: float, tol: float, max_iter: int
) -> tuple[npt.NDArray[np.float64], int, float]:
    """Power iteration over all nodes (live first), from the uniform vector."""
    n, live = transition.n_nodes, transition.n_live
    x = np.full(n, 1.0 / n)
    change = np.empty(n)
    residual = float("inf")
    for step in range(1, max_iter + 1):
        following = transition.full @ x[:live]
        following += (damping * x[live:].sum() + 1.0 - damping) / n
        np.subtract(following, x, out=change)
        np.abs(change, out=change)
        residual = float(change.sum())
        x = following
        if residual < tol:
            return x, step, residual
    raise not_converged(max_iter, residual, tol)


def not_converged(max_iter: int, residual: float, tol: float) -> ConvergenceError:
    return ConvergenceError(
        f"PageRank did not converge in {max_iter} iterations (L1 residual {residual:.3g}, "
        f"tolerance {tol:.3g})",
        iterations=max_iter, residual=residual, where="max_iter",
        hint="raise max_iter or tol",
    )
