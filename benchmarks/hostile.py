"""Hostile pages: extraction within the default limits against the same page without limits.

The yardstick is the same extraction with every limit off (`ExtractLimits(0, 0, 0, 0)`),
which is what the code did before the limits: its time grows with the square of N, so N is
kept at 20,000 for it (100,000 took 30 s to 150 s a page). CPU time of this process, one run.

    python benchmarks/hostile.py            # N = 20,000
    python benchmarks/hostile.py 100000     # bounded only: the unbounded runs would take minutes
"""

from __future__ import annotations

import sys
import time

from linkscope.extract import DEFAULT_LIMITS, ExtractLimits, extract_page, fastwalk
from linkscope.records import FetchedPage

UNBOUNDED = ExtractLimits(0, 0, 0, 0)


def cases(n: int) -> dict[str, str]:
    link = "<a href=/x>x</a>"
    return {
        f"{n:,} attributes on one element": "<div " + " ".join(f"a{k}=x" for k in range(n))
                                             + f">{link}</div>",
        f"{n:,} nested <div>": "<div>" * n + link,
        f"{n:,} nested <ul><li>": "<ul><li>" * n + link,
        f"{n:,} <span> then {n:,} unmatched </div>": "<span>" * n + "</div>" * n + link,
    }


def cpu_seconds(html: str, limits: ExtractLimits) -> tuple[float, int, tuple[str, ...]]:
    page = FetchedPage("http://a.test/", 200, (), html.encode())
    started = time.process_time()
    result = extract_page(page, limits=limits)
    return time.process_time() - started, len(result.links), result.page.truncated


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    path = "C tree pass" if fastwalk.FAST else f"pure Python ({fastwalk.why_slow})"
    print(f"extraction of hostile pages, CPU seconds, one run; {path}")
    for name, html in cases(n).items():
        bounded, links, truncated = cpu_seconds(html, DEFAULT_LIMITS)
        line = f"{name:45s} {len(html) / 1e6:5.2f} MB  limits {bounded:6.3f} s " \
               f"({links} link, truncated {','.join(truncated)})"
        if n <= 20_000:
            unbounded, _, _ = cpu_seconds(html, UNBOUNDED)
            line += f"  no limits {unbounded:6.2f} s  ratio {unbounded / bounded:6.0f}x"
        print(line, flush=True)
    print(f"reproduce: python benchmarks/hostile.py {n}")


if __name__ == "__main__":
    main()
