"""Scoring placement on real pages with ground truth: precision, recall and F1 of `content`.

Two sets (see ../shared/data/README.md):

- readability: a link of source.html is content when its resolved href and its anchor text are
  those of a link of expected.html (Readability.js's main content); other links are not.
- article-extraction-benchmark: a link is content when its anchor text occurs in the page's
  articleBody (links with no anchor text are left out: they cannot be judged).

The stricter label (docs/extraction.md) reads the same kind of truth more strictly: a link is
content only when its anchor *and* STRICT_CONTEXT characters of the page's text beside it
(before, after or both) occur together in the article text, compared without spaces, case or the
typographer's quotes and dashes. It is scored on the article benchmark here and on Dragnet's
pages (dragnet_eval.py), whose truth also holds the comments.

The yardstick is what a user would pick instead: trafilatura's main content, where a link is
content when trafilatura keeps it (same target and anchor) in its extracted text.

Run `python tests/extract/placement_eval.py` for the figures of both, with the yardstick.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from linkscope.extract import extract_page
from linkscope.records import FetchedPage, LinkKind, Placement
from linkscope.urls import clean_href, normalize, resolve

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
READABILITY = DATA / "html" / "readability" / "test-pages"
BENCHMARK = DATA / "html" / "article-extraction-benchmark"
READABILITY_URL = "http://fakehost/test/page.html"
_SPACES = re.compile(r"\s+")

# (target, anchor) -> content? for each link of one page
Judged = list[tuple[str, str, bool]]
# (target, anchor, context, placement) for each link of one page
Placed = list[tuple[str, str, str, str]]
STRICT_CONTEXT = 10  # characters of the page's text beside the anchor that must match too
# the typographer's characters mapped to what people type when they copy text out
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                        "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-",
                        "\u2212": "-", "\u2026": "...", "\u00a0": " "})
_ANY_SPACE = re.compile(r"\s+")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Text as the stricter label compares it: no spaces, lower case, plain quotes and dashes."""
    plain = unicodedata.normalize("NFKC", text).translate(_PLAIN).lower()
    return _ANY_SPACE.sub("", plain)


def strictly_in(anchor: str, context: str, article: str) -> bool:
    """Whether a link's anchor occurs in `article` (squeezed) together with STRICT_CONTEXT
    characters of its context, before it, after it or both (fewer only where the page's text
    runs out)."""
    word, around = squeeze(anchor), squeeze(context)
    if not word or word not in article:
        return False
    size = len(word)
    need = max(0, min(STRICT_CONTEXT, len(around) - size))
    start = around.find(word)
    while start >= 0:
        for before in range(need + 1):  # characters taken before the anchor, the rest after
            lo, hi = start - before, start + size + need - before
            if lo >= 0 and hi <= len(around) and around[lo:hi] in article:
                return True
        start = around.find(word, start + 1)
    return False


def strict_region(anchor: str, context: str, content: str, comments: str = "") -> str:
    """"content", "comment" or "other" for one link, by the stricter label (texts squeezed)."""
    if strictly_in(anchor, context, content):
        return "content"
    if comments and strictly_in(anchor, context, comments):
        return "comment"
    return "other"


def html_links(html: str, base: str) -> list[tuple[str, str]]:
    """(normalized target, anchor) of each <a href> of an HTML fragment, anchors as linkscope's."""
    found = []
    for node in LexborHTMLParser(html).css("a[href]"):
        resolved = resolve(clean_href(node.attributes.get("href") or ""), base)
        target = normalize(resolved) if resolved else None
        if target is None:
            continue
        anchor = collapse(node.text())
        if not anchor:
            image = node.css_first("img")
            anchor = collapse(image.attributes.get("alt") or "") if image is not None else ""
        found.append((target, anchor[:300]))
    return found


def judged_links(url: str, body: bytes) -> list[tuple[str, str, bool]]:
    """linkscope's links of kind text and image: (target, anchor, placed in content)."""
    fetched = FetchedPage(url, 200, (("content-type", "text/html"),), body)
    return [
        (link.target, link.anchor, link.placement == Placement.CONTENT)
        for link in extract_page(fetched).links
        if link.kind in (LinkKind.TEXT, LinkKind.IMAGE)
    ]


def placed_links(url: str, body: bytes) -> Placed:
    """linkscope's text links with an anchor: (target, anchor, context, placement).

    Image links are left out of the stricter label: their anchor is the image's alt text,
    which text copied out of a page never holds (on Dragnet's pages not one of 2,538 image
    links with alt text passes the label, wherever they sit), so the label cannot judge them.
    """
    fetched = FetchedPage(url, 200, (("content-type", "text/html"),), body)
    return [
        (link.target, link.anchor, link.context, link.placement.value)
        for link in extract_page(fetched).links
        if link.kind == LinkKind.TEXT and link.anchor
    ]


def readability_pages() -> Iterator[tuple[str, bytes, set[tuple[str, str]]]]:
    for folder in sorted(READABILITY.iterdir()):
        expected = (folder / "expected.html").read_text(encoding="utf-8")
        truth = set(html_links(expected, READABILITY_URL))
        yield folder.name, (folder / "source.html").read_bytes(), truth


def benchmark_pages() -> Iterator[tuple[str, str, bytes, str]]:
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        body = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
        yield page_id, truth[page_id]["url"], body, collapse(truth[page_id]["articleBody"])


Predictor = Callable[[str, bytes], list[tuple[str, str, bool]]]


def score_readability(predict: Predictor = judged_links) -> Score:
    score = Score()
    for _name, body, truth in readability_pages():
        for target, anchor, content in predict(READABILITY_URL, body):
            score.add(content, (target, anchor) in truth)
    return score


def score_benchmark(predict: Predictor = judged_links) -> Score:
    score = Score()
    for _page_id, url, body, article in benchmark_pages():
        for _target, anchor, content in predict(url, body):
            if anchor:
                score.add(content, anchor in article)
    return score


PlacedPredictor = Callable[[str, bytes], Placed]


def score_benchmark_strict(predict: PlacedPredictor = placed_links) -> Score:
    """Content on the article benchmark by the stricter label."""
    score = Score()
    for _page_id, url, body, article in benchmark_pages():
        squeezed = squeeze(article)
        for _target, anchor, context, placement in predict(url, body):
            score.add(placement == "content",
                      strict_region(anchor, context, squeezed) == "content")
    return score


def trafilatura_placed(url: str, body: bytes) -> Placed:
    """The yardstick for the stricter label: linkscope's links, "content" when trafilatura
    keeps them (same target and anchor) in its main text, "comment" when in the comments it
    extracts, else "other"."""
    import trafilatura  # the dev extra

    kept: dict[str, set[tuple[str, str]]] = {"content": set(), "comment": set()}
    try:
        found = trafilatura.bare_extraction(body, url=url, include_links=True,
                                            include_comments=True, with_metadata=False)
    except Exception:  # trafilatura can raise on real pages (see STACK.md): no content then
        found = None
    if found is not None and not isinstance(found, dict):
        for region, element in (("content", found.body), ("comment", found.commentsbody)):
            if element is None:
                continue
            for ref in element.iter("ref"):
                resolved = resolve(clean_href(ref.get("target") or ""), url)
                target = normalize(resolved) if resolved else None
                if target is not None:
                    kept[region].add((target, collapse("".join(ref.itertext()))[:300]))
    placed: Placed = []
    for target, anchor, context, _ in placed_links(url, body):
        region = ("content" if (target, anchor) in kept["content"]
                  else "comment" if (target, anchor) in kept["comment"] else "other")
        placed.append((target, anchor, context, region))
    return placed


def trafilatura_links(url: str, body: bytes) -> list[tuple[str, str, bool]]:
    """The yardstick: linkscope's links, content when trafilatura keeps them in its main text."""
    import trafilatura  # the dev extra; imported here so the module loads without it

    kept: set[tuple[str, str]] = set()
    try:
        html = trafilatura.extract(body.decode("utf-8", "replace"), url=url, include_links=True,
                                   include_images=True, output_format="html")
    except Exception:  # trafilatura can raise on real pages (see STACK.md): no content then
        html = None
    if html:
        kept = set(html_links(html, url))
    kept_targets = {target for target, _ in kept}
    return [
        (target, anchor, (target, anchor) in kept or (not anchor and target in kept_targets))
        for target, anchor, _ in judged_links(url, body)
    ]


def main() -> None:
    from tests.extract.dragnet_eval import score_dragnet

    figures: dict[str, dict[str, dict[str, float]]] = {}

    def show(name: str, label: str, score: Score) -> None:
        figures.setdefault(name, {})[label] = score.figures()
        print(f"{name:18} {label:12} {score.figures()} "
              f"tp={score.tp} fp={score.fp} fn={score.fn} tn={score.tn}")

    for name, scorer in (("readability", score_readability), ("benchmark", score_benchmark)):
        for label, predict in (("linkscope", judged_links), ("trafilatura", trafilatura_links)):
            show(name, label, scorer(predict))
    for label, placer in (("linkscope", placed_links), ("trafilatura", trafilatura_placed)):
        show("benchmark_strict", label, score_benchmark_strict(placer))
    for label, placer in (("linkscope", placed_links), ("trafilatura", trafilatura_placed)):
        for region, score in score_dragnet(placer).items():
            show(f"dragnet_{region}", label, score)
    from tests.extract.sample_eval import score_sample_webs

    sample = score_sample_webs()
    figures["sample_web"] = {"linkscope": sample["all"]}  # type: ignore[dict-item]
    for key, placements in sample.items():
        print(f"sample web   {key:9} " + "  ".join(
            f"{name} {v.get('precision', v.get('accuracy'))}/{v.get('recall', '')}"
            for name, v in placements.items()))
    print(f"reproduce: {sys.executable} tests/extract/placement_eval.py")
    if "--write-baseline" in sys.argv:
        path = Path(__file__).with_name("placement_baseline.json")
        path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests` as a package
    main()
