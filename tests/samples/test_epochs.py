"""Two epochs of the sample web: the changes are complete and consistent with both truths."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.samples.truthfiles import truth


def test_changes_cover_every_lost_reason(sample_web_epoch1: Path) -> None:
    changes = truth(sample_web_epoch1, "changes")
    reasons = Counter(c["reason"] for c in changes if c["change"] == "lost")
    for reason in ("removed", "nofollow", "page_gone", "page_redirected", "noindex"):
        assert reasons[reason] > 0, reason
    assert any(c["change"] == "new" for c in changes)


def test_changes_agree_with_both_truths(sample_web: Path, sample_web_epoch1: Path) -> None:
    def key(x: dict) -> tuple:  # type: ignore[type-arg]
        return (x["source"], x["target"], x["anchor"], x["kind"], x["placement"])

    before = {key(x): x for x in truth(sample_web, "links")}
    after = {key(x): x for x in truth(sample_web_epoch1, "links")}
    pages = {p["url"]: p for p in truth(sample_web_epoch1, "pages")}
    for change in truth(sample_web_epoch1, "changes"):
        k = key(change)
        if change["change"] == "new":
            assert k in after and k not in before
            continue
        assert k in before
        reason = change["reason"]
        if reason == "removed":
            assert k not in after and pages[change["source"]]["status"] == 200
        elif reason == "nofollow":
            assert before[k]["follow"] and not after[k]["follow"]
        elif reason == "page_gone":
            assert pages[change["source"]]["status"] >= 400
        elif reason == "page_redirected":
            assert pages[change["source"]]["status"] in (301, 302)
        else:
            assert reason == "noindex" and pages[change["source"]]["noindex"]
    # nothing else changed: every link in both epochs that is not reported keeps its follow
    lost = {key(c) for c in truth(sample_web_epoch1, "changes") if c["change"] == "lost"}
    for k, link in before.items():
        if k in after and k not in lost and link["kind"] != "canonical":
            assert after[k]["follow"] == link["follow"] or not link["follow"]
