"""linkscope.rank.pagerank against published values and against networkx, edge cases included."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkscope.errors import ConvergenceError, UsageError
from linkscope.rank import compute_pagerank, compute_transition, pagerank, solve_pagerank
from linkscope.rank.graph import check_edges
from linkscope.rank.pagerank import prefetch_distance

# Langville and Meyer's 6-node example, as networkx's own tests use it (nodes 1-6 here 0-5; node 2,
# here 1, is dangling), with the values those tests publish for alpha 0.9.
TEXTBOOK = [(1, 2), (1, 3), (3, 1), (3, 2), (3, 5), (4, 5), (4, 6), (5, 4), (5, 6), (6, 4)]
TEXTBOOK_SCORES = [0.03721197, 0.05395735, 0.04150565, 0.37508082, 0.20599833, 0.28624589]


def arrays(edges: list[tuple[int, int]], shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    return (np.array([s - shift for s, _ in edges], dtype=np.int64),
            np.array([t - shift for _, t in edges], dtype=np.int64))


def networkx_scores(graph: nx.DiGraph, n: int, damping: float = 0.85, tol: float = 1e-12,
                    weight: str | None = "weight") -> np.ndarray:
    """networkx's pagerank on the same L1 tolerance (networkx scales its tol by n)."""
    graph.add_nodes_from(range(n))
    ranked = nx.pagerank(graph, alpha=damping, tol=tol / n, max_iter=10_000, weight=weight)
    return np.array([ranked[i] for i in range(n)])


def test_textbook_graph_matches_published_values() -> None:
    sources, targets = arrays(TEXTBOOK, shift=1)
    scores = pagerank(sources, targets, 6, damping=0.9, tol=1e-12)
    assert scores == pytest.approx(TEXTBOOK_SCORES, abs=1e-8)
    assert scores.dtype == np.float64
    assert scores.sum() == pytest.approx(1.0, abs=1e-15)


def test_power_takes_the_same_steps_as_networkx_with_its_tolerance_scaled_by_n() -> None:
    sources, targets = arrays(TEXTBOOK, shift=1)
    graph = nx.DiGraph([(s - 1, t - 1) for s, t in TEXTBOOK])
    for tol_networkx in (1e-3, 1e-6, 1e-9):
        theirs = nx.pagerank(graph, alpha=0.85, tol=tol_networkx)
        ours = pagerank(sources, targets, 6, tol=6 * tol_networkx, max_iter=100, method="power")
        assert ours == pytest.approx([theirs[i] for i in range(6)], abs=1e-15)


@pytest.mark.parametrize("tol", [1e-3, 1e-6, 1e-9])
def test_gauss_seidel_lands_within_the_tolerance_bound_of_networkx(tol: float) -> None:
    # both results lie within tol * d / (1 - d) of the exact scores, so within twice that apart
    sources, targets = arrays(TEXTBOOK, shift=1)
    graph = nx.DiGraph([(s - 1, t - 1) for s, t in TEXTBOOK])
    theirs = nx.pagerank(graph, alpha=0.85, tol=tol / 6)
    ours = pagerank(sources, targets, 6, tol=tol)
    assert np.abs(ours - [theirs[i] for i in range(6)]).sum() < 2 * tol * 0.85 / 0.15


def test_empty_graph_gives_empty_scores() -> None:
    scores = pagerank(np.zeros(0, np.int32), np.zeros(0, np.int32), 0)
    assert scores.shape == (0,) and scores.dtype == np.float64


def test_nodes_without_links_share_uniformly() -> None:
    result = compute_pagerank([], [], 4)
    assert result.scores == pytest.approx([0.25] * 4, abs=1e-15)
    assert result.iterations == 1


def test_dangling_mass_is_spread_uniformly() -> None:
    # 0 -> 1, 1 is dangling; by hand: x1 = 0.15/2 + 0.85 * (x0 + x1/2), x0 = 0.15/2 + 0.85 * x1/2
    scores = pagerank([0], [1], 2, tol=1e-14)
    x1 = (0.075 + 0.85 * 0.075) / (1 - 0.425 - 0.85 * 0.425)
    assert scores == pytest.approx([1 - x1, x1], abs=1e-12)


@pytest.mark.parametrize("edges", [
    [(0, 0)],
    [(0, 0), (0, 1), (1, 2), (2, 0)],
    [(0, 1), (1, 1), (1, 2), (2, 2), (3, 3)],
])
def test_self_loops_as_networkx(edges: list[tuple[int, int]]) -> None:
    sources, targets = arrays(edges)
    n = int(max(max(e) for e in edges)) + 1
    expected = networkx_scores(nx.DiGraph(edges), n)
    assert pagerank(sources, targets, n, tol=1e-12) == pytest.approx(expected, abs=1e-11)


def test_duplicate_links_add_up_like_a_multidigraph() -> None:
    edges = [(0, 1), (0, 1), (0, 2), (1, 2), (2, 0), (2, 0), (2, 0), (2, 1)]
    sources, targets = arrays(edges)
    ours = pagerank(sources, targets, 3, tol=1e-12)
    assert ours == pytest.approx(networkx_scores(nx.MultiDiGraph(edges), 3), abs=1e-11)
    # deduplicated first, they match networkx's DiGraph, which keeps one edge a pair
    unique = sorted(set(edges))
    deduped = pagerank(*arrays(unique), 3, tol=1e-12)
    assert deduped == pytest.approx(networkx_scores(nx.DiGraph(edges), 3), abs=1e-11)
    assert not np.allclose(ours, deduped)


def test_weights_split_the_vote_in_proportion() -> None:
    edges = [(0, 1, 3.0), (0, 2, 1.0), (1, 2, 0.5), (2, 0, 2.0), (2, 3, 0.25), (3, 3, 1.0)]
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(edges)
    sources, targets = arrays([(s, t) for s, t, _ in edges])
    weights = [w for _, _, w in edges]
    ours = pagerank(sources, targets, 4, weights=weights, tol=1e-12)
    assert ours == pytest.approx(networkx_scores(graph, 4), abs=1e-11)
    # scaling one node's weights changes nothing: only proportions count
    scaled = np.array(weights) * np.array([10, 10, 1, 1, 1, 1])
    rescaled = pagerank(sources, targets, 4, weights=scaled, tol=1e-12)
    assert rescaled == pytest.approx(ours, abs=1e-12)


def test_zero_weight_links_pass_nothing_and_a_node_with_only_those_is_dangling() -> None:
    with_zero = pagerank([0, 0, 1], [1, 2, 0], 3, weights=[1.0, 0.0, 0.0], tol=1e-12)
    without = pagerank([0], [1], 3, tol=1e-12)
    assert with_zero == pytest.approx(without, abs=1e-15)


def test_not_converging_in_the_budget_raises() -> None:
    sources, targets = arrays(TEXTBOOK, shift=1)
    with pytest.raises(ConvergenceError) as caught:
        pagerank(sources, targets, 6, max_iter=5)
    assert caught.value.iterations == 5
    assert caught.value.residual > 1e-9
    assert "max_iter" in str(caught.value)
    with pytest.raises(ConvergenceError):
        pagerank(sources, targets, 6, max_iter=0)


def test_iterations_stay_within_the_contraction_bound() -> None:
    sources, targets = arrays(TEXTBOOK, shift=1)
    result = compute_pagerank(sources, targets, 6, tol=1e-9)
    assert result.residual < 1e-9
    assert result.iterations <= np.log(1e-9 / 2) / np.log(0.85) + 1


def reference_map(sources: np.ndarray, targets: np.ndarray, n: int, weights: np.ndarray | None,
                  damping: float, x: np.ndarray) -> np.ndarray:
    """G(x) in plain numpy, straight from the formula in docs/metrics.md."""
    w = np.ones(sources.size) if weights is None else np.asarray(weights, dtype=np.float64)
    out_weight = np.bincount(sources, weights=w, minlength=n)
    share = np.divide(w, out_weight[sources], out=np.zeros_like(w), where=w > 0)
    votes = np.bincount(targets, weights=share * x[sources], minlength=n)
    dangling = x[out_weight == 0].sum()
    return np.asarray(damping * votes + (damping * dangling + 1 - damping) / n)


@pytest.mark.parametrize("method", ["gauss-seidel", "power"])
def test_the_residual_is_that_of_the_pagerank_map(method: str) -> None:
    # the result is G(x) for an x with |G(x) - x| < tol, so one more step moves it by under d * tol
    edges = [*TEXTBOOK, (2, 2), (2, 2), (6, 6), (5, 1)]
    sources, targets = arrays(edges, shift=1)
    weights = np.linspace(0.5, 2.0, len(edges))
    result = compute_pagerank(sources, targets, 6, weights, tol=1e-10, method=method)
    assert 0 < result.residual < 1e-10
    step = reference_map(sources, targets, 6, weights, 0.85, result.scores)
    assert np.abs(step - result.scores).sum() < 0.85 * 1e-10 + 1e-15


def test_gauss_seidel_solves_self_loops_rather_than_iterating_on_them() -> None:
    # pages whose only link is to themselves, each linked from a page of its own that also links
    # to a dangling page: the power iteration moves a self-looping page's error only by a factor d
    # a step; Gauss-Seidel solves such a page exactly once its in-link's value is known
    edges = ([(i, i) for i in range(20)] + [(i + 20, i) for i in range(20)]
             + [(i + 20, 40) for i in range(20)])
    sources, targets = arrays(edges)
    power = compute_pagerank(sources, targets, 41, method="power")
    seidel = compute_pagerank(sources, targets, 41)
    assert power.iterations > 20
    assert seidel.iterations <= 3
    assert np.abs(seidel.scores - power.scores).sum() < 2 * 1e-9 * 0.85 / 0.15


def test_gauss_seidel_not_converging_reports_the_true_residual() -> None:
    sources, targets = arrays(TEXTBOOK, shift=1)
    with pytest.raises(ConvergenceError) as caught:
        compute_pagerank(sources, targets, 6, tol=1e-12, max_iter=3)
    assert caught.value.iterations == 3
    assert 1e-12 < caught.value.residual < 1.0


@pytest.mark.parametrize(("kwargs", "where"), [
    ({"sources": [0], "targets": [1], "n_nodes": 2, "method": "jacobi"}, "method"),
    ({"sources": [0], "targets": [3], "n_nodes": 3}, "targets"),
    ({"sources": [-1], "targets": [0], "n_nodes": 3}, "sources"),
    ({"sources": [0, 1], "targets": [0], "n_nodes": 3}, "targets"),
    ({"sources": [0.5], "targets": [0], "n_nodes": 3}, "sources"),
    ({"sources": [0], "targets": [1], "n_nodes": -1}, "n_nodes"),
    ({"sources": [0], "targets": [1], "n_nodes": 2, "weights": [-1.0]}, "weights"),
    ({"sources": [0], "targets": [1], "n_nodes": 2, "weights": [np.nan]}, "weights"),
    ({"sources": [0], "targets": [1], "n_nodes": 2, "weights": [1.0, 2.0]}, "weights"),
    ({"sources": [0], "targets": [1], "n_nodes": 2, "damping": 1.0}, "damping"),
    ({"sources": [0], "targets": [1], "n_nodes": 2, "tol": 0.0}, "tol"),
    ({"sources": [0], "targets": [1], "n_nodes": 2, "max_iter": -1}, "max_iter"),
])
def test_bad_arguments_name_the_parameter(kwargs: dict[str, object], where: str) -> None:
    with pytest.raises(UsageError) as caught:
        pagerank(**kwargs)  # type: ignore[arg-type]
    assert caught.value.where == where


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    n = draw(st.integers(1, 12))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))
    return n, edges


@settings(max_examples=60, deadline=None)
@given(graphs(), st.sampled_from([0.0, 0.5, 0.85, 0.95]),
       st.sampled_from(["gauss-seidel", "power"]))
def test_random_graphs_agree_with_networkx(graph: tuple[int, list[tuple[int, int]]],
                                           damping: float, method: str) -> None:
    n, edges = graph
    sources, targets = arrays(sorted(set(edges)))
    ours = pagerank(sources, targets, n, damping=damping, tol=1e-12, method=method)
    expected = networkx_scores(nx.DiGraph(edges), n, damping=damping)
    assert np.abs(ours - expected).sum() < 1e-10
    assert ours.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.data(), st.sampled_from([0.5, 0.85, 0.95]))
def test_random_weighted_multigraphs_agree_with_networkx(
        graph: tuple[int, list[tuple[int, int]]], data: st.DataObject, damping: float) -> None:
    # duplicates, self-loops and zero weights included; networkx's MultiDiGraph adds weights up
    n, edges = graph
    weights = data.draw(st.lists(st.sampled_from([0.0, 0.1, 0.3, 1.0, 2.5]),
                                 min_size=len(edges), max_size=len(edges)))
    multi = nx.MultiDiGraph()
    multi.add_weighted_edges_from((s, t, w) for (s, t), w in zip(edges, weights, strict=True))
    expected = networkx_scores(multi, n, damping=damping)
    sources, targets = arrays(edges)
    for method in ("gauss-seidel", "power"):
        ours = pagerank(sources, targets, n, weights=weights, damping=damping, tol=1e-12,
                        method=method)
        assert np.abs(ours - expected).sum() < 1e-10
        assert ours.sum() == pytest.approx(1.0, abs=1e-12)


def test_prefetching_sweeps_give_the_same_bits_on_a_graph_without_locality() -> None:
    # random links between 150,000 nodes: nearly all far apart, so the sweeps prefetch; prefetching
    # only moves data into cache, so the scores are identical to the last bit without it
    rng = np.random.default_rng(3)
    n, m = 150_000, 600_000
    sources = rng.integers(0, n, m).astype(np.int32)
    targets = rng.integers(0, n, m).astype(np.int32)
    weights = rng.choice([0.1, 0.3, 1.0], m)
    for w in (None, weights):
        src, dst, checked = check_edges(sources, targets, n, w)
        transition = compute_transition(src, dst, n, checked, 0.85)
        assert prefetch_distance(transition) > 0
        near = dataclasses.replace(transition, far_links=0)
        assert prefetch_distance(near) == 0
        for method in ("gauss-seidel", "power"):
            fetched = solve_pagerank(transition, 0.85, 1e-10, 1000, method)
            plain = solve_pagerank(near, 0.85, 1e-10, 1000, method)
            assert np.array_equal(fetched.scores, plain.scores)
            assert fetched.iterations == plain.iterations
        step = reference_map(sources, targets, n, w, 0.85, fetched.scores)
        assert np.abs(step - fetched.scores).sum() < 0.85 * 1e-10 + 1e-14


@pytest.mark.parametrize("weighted", [False, True])
def test_the_same_links_in_any_order_give_the_same_scores_to_the_bit(weighted: bool) -> None:
    """Reproducible results: the edges of a ranking come in whatever order the database
    returns them, and floating-point sums depend on order; the build sorts each row, so the
    scores, out-weights and inflows are identical, bit for bit, for any order of the links."""
    from linkscope.rank.graph import check_edges, compute_inflow

    rng = np.random.default_rng(7)
    n = 3000
    pairs = np.unique(rng.integers(0, n, size=(40_000, 2)), axis=0)
    pairs = pairs[np.r_[rng.zipf(1.6, len(pairs)) < 50]]  # some rows long, most short
    weights = rng.choice([1.0, 0.3, 0.2, 0.1], size=len(pairs)) if weighted else None
    outcomes = []
    for seed in (1, 2):
        order = np.random.default_rng(seed).permutation(len(pairs))
        src, dst, w = check_edges(pairs[order, 0], pairs[order, 1], n,
                                  None if weights is None else weights[order])
        transition = compute_transition(src, dst, n, w, 0.85)
        scores = solve_pagerank(transition, 0.85, 1e-12, 1000).scores
        outcomes.append((scores, transition.out_weight, compute_inflow(transition, scores)))
    for first, second in zip(*outcomes, strict=True):
        assert np.array_equal(first, second)
