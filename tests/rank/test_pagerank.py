"""linkscope.rank.pagerank against published values and against networkx, edge cases included."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkscope.errors import ConvergenceError, UsageError
from linkscope.rank import compute_pagerank, pagerank

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


def test_same_steps_as_networkx_with_its_tolerance_scaled_by_n() -> None:
    sources, targets = arrays(TEXTBOOK, shift=1)
    graph = nx.DiGraph([(s - 1, t - 1) for s, t in TEXTBOOK])
    for tol_networkx in (1e-3, 1e-6, 1e-9):
        theirs = nx.pagerank(graph, alpha=0.85, tol=tol_networkx)
        ours = pagerank(sources, targets, 6, tol=6 * tol_networkx, max_iter=100)
        assert ours == pytest.approx([theirs[i] for i in range(6)], abs=1e-15)


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


@pytest.mark.parametrize(("kwargs", "where"), [
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
@given(graphs(), st.sampled_from([0.0, 0.5, 0.85, 0.95]))
def test_random_graphs_agree_with_networkx(graph: tuple[int, list[tuple[int, int]]],
                                           damping: float) -> None:
    n, edges = graph
    sources, targets = arrays(sorted(set(edges)))
    ours = pagerank(sources, targets, n, damping=damping, tol=1e-12)
    expected = networkx_scores(nx.DiGraph(edges), n, damping=damping)
    assert np.abs(ours - expected).sum() < 1e-10
    assert ours.sum() == pytest.approx(1.0, abs=1e-12)
