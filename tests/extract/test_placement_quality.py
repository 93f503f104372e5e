"""Quality gate: placement of `content` links on real pages must not fall below the baseline.

The figures (precision, recall, F1 of `content`) are pinned in placement_baseline.json; a drop
of more than TOLERANCE fails. The yardstick (trafilatura's main content) is scored in the same
run and printed beside ours (`pytest -s`), so the comparison stays honest. To refresh the
baseline after an improvement: `python tests/extract/placement_eval.py --write-baseline`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.dragnet_eval import DRAGNET, score_dragnet
from tests.extract.placement_eval import (
    BENCHMARK,
    READABILITY,
    score_benchmark,
    score_benchmark_strict,
    score_readability,
    trafilatura_links,
)

BASELINE = Path(__file__).with_name("placement_baseline.json")
TOLERANCE = 0.005

pytestmark = pytest.mark.skipif(
    not (READABILITY.is_dir() and BENCHMARK.is_dir()),
    reason=f"shared test data absent: {READABILITY.parent}",
)


@pytest.mark.parametrize(("name", "scorer"), [("readability", score_readability),
                                              ("benchmark", score_benchmark)])
def test_content_placement_holds_its_baseline(name, scorer) -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))[name]["linkscope"]
    score = scorer()
    yardstick = scorer(trafilatura_links)
    print(f"\n{name}: linkscope {score.figures()}  trafilatura {yardstick.figures()}")
    figures = score.figures()
    for key in ("precision", "recall", "f1"):
        assert figures[key] >= pinned[key] - TOLERANCE, (name, key, figures, pinned)


def test_strict_content_placement_holds_its_baseline_and_leads_trafilatura() -> None:
    """The article benchmark by the stricter label (docs/extraction.md): linkscope's figures
    hold and its F1 stays ahead of trafilatura's, as pinned in the same baseline run."""
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))["benchmark_strict"]
    figures = score_benchmark_strict().figures()
    print(f"\nbenchmark, stricter label: {figures}")
    for key in ("precision", "recall", "f1"):
        assert figures[key] >= pinned["linkscope"][key] - TOLERANCE, (key, figures, pinned)
    assert figures["f1"] > pinned["trafilatura"]["f1"], (figures, pinned["trafilatura"])


@pytest.mark.skipif(not DRAGNET.is_dir(), reason=f"shared test data absent: {DRAGNET}")
def test_dragnet_content_and_comments_hold_their_baseline() -> None:
    """Dragnet's pages (dragnet_eval.py): content and comment links by the stricter label hold
    their pinned figures, and each F1 stays ahead of trafilatura's pinned one."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    scores = score_dragnet()
    for region, score in scores.items():
        pinned = baseline[f"dragnet_{region}"]
        figures = score.figures()
        print(f"\ndragnet {region}: {figures}  trafilatura {pinned['trafilatura']}")
        for key in ("precision", "recall", "f1"):
            assert figures[key] >= pinned["linkscope"][key] - TOLERANCE, (region, key, figures)
        assert figures["f1"] > pinned["trafilatura"]["f1"], (region, figures, pinned)


def test_placement_on_the_sample_web_holds_its_baseline() -> None:
    """The sample web's truth is exact: every placement's precision and recall is pinned."""
    from tests.extract.sample_eval import score_sample_webs

    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))["sample_web"]["linkscope"]
    figures = score_sample_webs()["all"]
    print(f"\nsample web: {figures}")
    for placement, values in pinned.items():
        for key, value in values.items():
            if key != "links":
                assert figures[placement][key] >= value - TOLERANCE, (placement, key, figures)
