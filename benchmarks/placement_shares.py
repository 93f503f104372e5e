"""How links of real pages split over the placements, and what one weighs on average: the
figure behind the weight of the placement `unknown` (docs/metrics.md).

Every real page of ../shared/data/html (readability's 130 test pages, Dragnet's 299, the
article-extraction benchmark's 181) goes through `extract_page`; its links of kind text or
image are counted by placement. Printed: the share of each placement, the expected weight of
a link drawn from all of them (the shares times the default weights), and the mean and median
over pages of a page's average link weight.

Run: .venv/bin/python benchmarks/placement_shares.py
"""

from __future__ import annotations

import gzip
import statistics
from collections import Counter
from pathlib import Path

from linkscope.extract import extract_page
from linkscope.records import FetchedPage, LinkKind
from linkscope.settings import PLACEMENT_WEIGHTS

HTML = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"
SETS = (("readability/test-pages/*/source.html", "http://fakehost/test/page.html"),
        ("dragnet/html/*.html", "http://dragnet.test/page.html"),
        ("article-extraction-benchmark/html/*.html.gz", "http://article.test/page.html"))


def main() -> None:
    weights = {name: w for name, w in PLACEMENT_WEIGHTS.items() if name != "unknown"}
    shares: Counter[str] = Counter()
    page_means: list[float] = []
    pages = 0
    for pattern, url in SETS:
        for path in sorted(HTML.glob(pattern)):
            body = path.read_bytes()
            if path.suffix == ".gz":
                body = gzip.decompress(body)
            page = FetchedPage(url, 200, (("Content-Type", "text/html"),), body)
            found = Counter(str(link.placement) for link in extract_page(page).links
                            if link.kind in (LinkKind.TEXT, LinkKind.IMAGE))
            pages += 1
            if found:
                shares.update(found)
                page_means.append(sum(weights[p] * n for p, n in found.items())
                                  / sum(found.values()))
    total = sum(shares.values())
    print(f"{pages} pages, {total:,} links of kind text or image")
    print("  shares: " + ", ".join(f"{p} {n / total:.3f}" for p, n in shares.most_common()))
    expected = sum(weights[p] * n for p, n in shares.items()) / total
    print(f"  expected weight of a link: {expected:.3f}")
    print(f"  a page's average link weight: mean {statistics.mean(page_means):.3f}, "
          f"median {statistics.median(page_means):.3f}")
    print("command: .venv/bin/python benchmarks/placement_shares.py")


if __name__ == "__main__":
    main()
