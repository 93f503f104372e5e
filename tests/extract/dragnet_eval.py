"""Scoring placement on Dragnet's pages: content and comment links by the stricter label.

Dragnet's set (../shared/data/html/dragnet, see its SOURCE.txt) holds 299 news and blog pages
of about 2012 and, for each, the main content as people copied it out of the page; where the
page had comments, they follow a line holding COMMENTS_MARKER (or one of the variants that
people typed). A link of the page is:

- content when its anchor and the text beside it occur in the part before the marker,
- comment when they occur in the part after it,
- other (boilerplate) otherwise,

by the stricter label of placement_eval.py (`strict_region`). Links without anchor text are
left out: they cannot be judged. Content and comment are scored separately (precision, recall,
F1 of linkscope's `content` and of its `comment`), and trafilatura is scored on the same links
(its main text and its comments) as the yardstick.

Run `python -m tests.extract.dragnet_eval` from the project root for the figures (`--errors`
lists the misplaced links of each page, for looking into them).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tests.extract.placement_eval import (
    DATA,
    Placed,
    PlacedPredictor,
    Score,
    placed_links,
    squeeze,
    strict_region,
    trafilatura_placed,
)

DRAGNET = DATA / "html" / "dragnet"
COMMENTS_MARKER = "!@#$%^&*()  COMMENTS"
# the marker as people typed it: 9 of its 199 lines differ ("!@#$%^&*() COMMENTS", "  #$%^&*()
# COMMENTS", "!@#$%^&**()  COMMENTS"...)
_MARKER_LINE = re.compile(r"^[ \t!@#$%^&*()]+COMMENTS[ \t\r]*$", re.MULTILINE)


def page_url(page_id: str) -> str:
    """Dragnet's pages carry no URL: links resolve against this one (SOURCE.txt)."""
    return f"http://fakehost/dragnet/{page_id}.html"


def read_corrected(path: Path) -> tuple[str, str]:
    """The content and the comments people copied out of one page (UTF-8, else the
    windows-1252 that a few of the files are in)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("windows-1252", "replace")
    marker = _MARKER_LINE.search(text)
    if marker is None:
        return text, ""
    return text[:marker.start()], text[marker.end():]


def dragnet_pages() -> Iterator[tuple[str, bytes, str, str]]:
    """(id, HTML body, content, comments) of each page, comments "" when it had none."""
    for path in sorted((DRAGNET / "html").glob("*.html")):
        page_id = path.stem
        content, comments = read_corrected(DRAGNET / "corrected" / f"{page_id}.txt")
        yield page_id, path.read_bytes(), content, comments


def judge_page(placed: Placed, content: str, comments: str) -> list[tuple[str, str, str, str]]:
    """(target, anchor, truth, placement) of each link: truth is content, comment or other."""
    article, thread = squeeze(content), squeeze(comments)
    return [(target, anchor, strict_region(anchor, context, article, thread), placement)
            for target, anchor, context, placement in placed]


def score_dragnet(predict: PlacedPredictor = placed_links) -> dict[str, Score]:
    """Scores of `content` and of `comment` over all of Dragnet's pages."""
    scores = {"content": Score(), "comment": Score()}
    for page_id, body, content, comments in dragnet_pages():
        for _target, _anchor, truth, placement in judge_page(
                predict(page_url(page_id), body), content, comments):
            for region, score in scores.items():
                score.add(placement == region, truth == region)
    return scores


def print_errors() -> None:
    """Each page's misplaced content and comment links, and the totals by (truth, placement)."""
    totals: Counter[tuple[str, str]] = Counter()
    for page_id, body, content, comments in dragnet_pages():
        judged = judge_page(placed_links(page_url(page_id), body), content, comments)
        wrong = [(truth, placement, anchor) for _t, anchor, truth, placement in judged
                 if (truth in ("content", "comment") or placement in ("content", "comment"))
                 and truth != placement
                 and not (truth == "other" and placement not in ("content", "comment"))]
        totals.update((truth, placement) for truth, placement, _ in wrong)
        if wrong:
            print(f"{page_id}: {len(wrong)} of {len(judged)}")
            for truth, placement, anchor in wrong[:12]:
                print(f"    truth {truth:8} placed {placement:8} {anchor[:60]!r}")
    for (truth, placement), count in totals.most_common():
        print(f"{count:6}  truth {truth:8} placed {placement}")


def main() -> None:
    if not DRAGNET.is_dir():
        sys.exit(f"shared data absent: {DRAGNET}")
    if "--errors" in sys.argv[1:]:
        print_errors()
        return
    for label, predict in (("linkscope", placed_links), ("trafilatura", trafilatura_placed)):
        for region, score in score_dragnet(predict).items():
            print(f"dragnet {region:8} {label:12} {score.figures()} "
                  f"tp={score.tp} fp={score.fp} fn={score.fn} tn={score.tn}")
    print(f"reproduce: {sys.executable} -m tests.extract.dragnet_eval")


if __name__ == "__main__":
    main()
