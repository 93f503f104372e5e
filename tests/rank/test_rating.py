"""The 0-100 rating: logarithmic, relative to the whole set."""

from __future__ import annotations

import numpy as np
import pytest

from linkscope.errors import UsageError
from linkscope.rank import compute_rating


def test_lowest_rates_0_highest_100_and_each_point_is_one_factor() -> None:
    scores = np.array([1e-6, 1e-5, 1e-4, 1e-3, 1e-2])
    assert compute_rating(scores) == pytest.approx([0, 25, 50, 75, 100])


def test_a_point_high_up_costs_more_raw_score_than_one_low_down() -> None:
    lowest, highest = 1e-7, 1e-2
    def score_at(rating: float) -> float:
        return lowest * (highest / lowest) ** (rating / 100)
    ratings = compute_rating([lowest, score_at(10), score_at(11), score_at(70), score_at(71),
                              highest])
    assert ratings[1:5] == pytest.approx([10, 11, 70, 71])
    assert score_at(71) - score_at(70) > 100 * (score_at(11) - score_at(10))


def test_order_is_kept_and_range_is_0_to_100() -> None:
    scores = np.random.default_rng(1).pareto(1.5, 1000) + 1e-3
    ratings = compute_rating(scores)
    assert ratings.min() == 0.0 and ratings.max() == 100.0
    assert np.array_equal(np.argsort(scores, kind="stable"), np.argsort(ratings, kind="stable"))


def test_degenerate_sets() -> None:
    assert compute_rating([]).shape == (0,)
    assert compute_rating([0.25] * 4).tolist() == [0.0] * 4
    assert compute_rating([1.0]).tolist() == [0.0]


@pytest.mark.parametrize("bad", [[0.0, 1.0], [-1.0, 1.0], [np.inf, 1.0], [np.nan]])
def test_non_positive_or_non_finite_scores_are_refused(bad: list[float]) -> None:
    with pytest.raises(UsageError):
        compute_rating(bad)
