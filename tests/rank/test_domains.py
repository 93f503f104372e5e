"""DR's counting: internal links ignored, one vote a linked domain, split equally."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from linkscope.rank import compute_domain_edges, compute_domain_rank, pagerank


def test_internal_links_dropped_and_pairs_counted_once() -> None:
    src = [0, 0, 0, 0, 1, 1, 2, 2]
    dst = [0, 1, 1, 2, 1, 0, 2, 2]
    sources, targets = compute_domain_edges(src, dst, 3)
    assert list(zip(sources.tolist(), targets.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 0)]


def test_domain_rank_is_pagerank_on_distinct_external_pairs() -> None:
    src = [0, 0, 0, 0, 1, 1, 2, 2, 3]
    dst = [0, 1, 1, 2, 1, 0, 2, 2, 0]
    ours = compute_domain_rank(src, dst, 4, tol=1e-12)
    graph = nx.DiGraph([(0, 1), (0, 2), (1, 0), (3, 0)])
    theirs = nx.pagerank(graph, tol=1e-14, max_iter=1000)
    assert ours == pytest.approx([theirs[i] for i in range(4)], abs=1e-11)


def test_many_links_to_one_domain_count_as_one() -> None:
    once = compute_domain_rank([0, 0], [1, 2], 3)
    many = compute_domain_rank([0] * 50 + [0], [1] * 50 + [2], 3)
    assert many == pytest.approx(once, abs=1e-15)


def test_links_inside_a_domain_do_not_raise_it() -> None:
    base = compute_domain_rank([0, 1], [1, 2], 3)
    with_internal = compute_domain_rank([0, 1, 2, 2, 2], [1, 2, 2, 2, 2], 3)
    assert with_internal == pytest.approx(base, abs=1e-15)
    assert base == pytest.approx(pagerank([0, 1], [1, 2], 3), abs=1e-15)


def test_a_domain_splits_its_vote_equally() -> None:
    scores = compute_domain_rank([0, 0, 0], [1, 2, 2], 3)
    assert scores[1] == pytest.approx(scores[2], abs=1e-15)


def test_no_domains() -> None:
    assert compute_domain_rank(np.zeros(0, int), np.zeros(0, int), 0).shape == (0,)
