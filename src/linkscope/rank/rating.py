"""Raw scores to the 0-100 ratings that UR and DR show: a logarithmic scale over the whole set.

    rating = 100 * ln(score / lowest) / ln(highest / lowest)

``lowest`` and ``highest`` are the smallest and largest score of the set being rated (every page for
UR, every domain for DR). Each rating point multiplies the raw score by the same factor, ``(highest
/ lowest) ** (1 / 100)``, so a point costs link authority in proportion to what one already has:
going from 70 to 71 needs ``(highest / lowest) ** 0.6`` times the extra authority that going from 10
to 11 does. PageRank scores spread over orders of magnitude (a power law), and a linear scale would
leave all but a handful of pages at 0. The nodes nobody links to share the lowest score (teleport
plus dangling mass) and rate 0; the top node rates 100. Ratings are floats; round them for display.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from linkscope.errors import UsageError


def compute_rating(raw_scores: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Each score's place on the logarithmic 0-100 scale spanned by the set's lowest and highest.

    An empty input gives an empty array; a set whose scores are all equal rates 0 throughout (nobody
    stands out). Scores must be finite and positive (PageRank scores always are); otherwise
    UsageError.
    """
    scores = np.asarray(raw_scores, dtype=np.float64).reshape(-1)
    if scores.size == 0:
        return np.zeros(0)
    if not (np.isfinite(scores).all() and scores.min() > 0.0):
        raise UsageError("must be finite and positive", where="raw_scores")
    lowest, highest = float(scores.min()), float(scores.max())
    span = np.log(highest / lowest)
    if span <= 0.0:
        return np.zeros(scores.size)
    rating = np.log(scores / lowest)
    rating *= 100.0 / span
    np.clip(rating, 0.0, 100.0, out=rating)  # rounding at the two ends
    return rating
