"""Scoring placement on the sample web, whose truth is exact: precision and recall per placement.

The sample web (docs/sample-web.md) renders every page and records the true placement of every
link in the same step, with three templates: `semantic` tags, `named` divs (telling class names)
and `opaque` divs (nothing but structure and text, the sidebar before the content). Each link
linkscope extracts from a 200 HTML response is matched to a truth link of the same source,
kind, target and anchor, in document order; the pairs are scored per placement.

Redirect links (meta refresh) are left out: their placement says nothing (the truth calls them
content, linkscope header). Truth links that linkscope does not find count as misses.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from linkscope.extract import extract_page
from linkscope.records import FetchedPage, LinkKind, Placement
from linkscope.samples import WebConfig, write_sample_web

PLACEMENTS = [placement.value for placement in Placement]
SEEDS = (11, 12)  # two webs of SITES sites each
SITES = 60
MISSING = "missing"

# (truth, predicted) placement -> count
Confusion = Counter[tuple[str, str]]


def iter_responses(directory: Path) -> Iterator[tuple[str, FetchedPage]]:
    """(template, fetched page) of every 200 HTML response of a written sample web."""
    port = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))["port"]
    templates: dict[str, str] = {}
    for line in (directory / "truth" / "sites.jsonl").read_text(encoding="utf-8").splitlines():
        site = json.loads(line)
        for host in site["hosts"]:
            templates[host] = site["template"]
    with sqlite3.connect(directory / "web.sqlite") as db:
        rows = db.execute("SELECT host, path, status, headers, body FROM responses "
                          "WHERE status = 200 ORDER BY host, path").fetchall()
    for host, path, status, headers, body in rows:
        pairs = tuple((name, value) for name, value in json.loads(headers))
        if not any(name.lower() == "content-type" and value.startswith("text/html")
                   for name, value in pairs):
            continue
        url = f"http://{host}:{port}{path}"
        yield templates.get(host, "?"), FetchedPage(url, status, pairs, body)


def read_truth(directory: Path) -> dict[str, list[dict[str, str]]]:
    """Truth links by source URL, in document order."""
    truth: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in (directory / "truth" / "links.jsonl").read_text(encoding="utf-8").splitlines():
        link = json.loads(line)
        truth[link["source"]].append(link)
    for links in truth.values():
        links.sort(key=lambda link: link["position"])
    return truth


def score_web(directory: Path) -> dict[str, Confusion]:
    """Confusion counts per template (and "all") for one written sample web."""
    truth = read_truth(directory)
    confusion: dict[str, Confusion] = defaultdict(Counter)
    for template, fetched in iter_responses(directory):
        expected: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for link in truth.get(fetched.url, []):
            if link["kind"] != LinkKind.REDIRECT.value:
                expected[(link["kind"], link["target"], link["anchor"])].append(link["placement"])
        for link in extract_page(fetched).links:
            if link.kind == LinkKind.REDIRECT:
                continue
            queue = expected.get((link.kind.value, link.target, link.anchor))
            actual = queue.pop(0) if queue else MISSING
            for key in (template, "all"):
                confusion[key][(actual, link.placement.value)] += 1
        for queue in expected.values():
            for actual in queue:
                for key in (template, "all"):
                    confusion[key][(actual, MISSING)] += 1
    return confusion


def figures_of(confusion: Confusion) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per placement, and the share of links placed right."""
    result: dict[str, dict[str, float]] = {}
    for placement in PLACEMENTS:
        tp = confusion[(placement, placement)]
        predicted = sum(n for (_, got), n in confusion.items() if got == placement)
        actual = sum(n for (want, _), n in confusion.items() if want == placement)
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        result[placement] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                             "links": actual}
    total = sum(confusion.values())
    right = sum(n for (want, got), n in confusion.items() if want == got)
    result["all"] = {"accuracy": round(right / total, 4) if total else 0.0, "links": total}
    return result


def score_sample_webs(seeds: tuple[int, ...] = SEEDS) -> dict[str, dict[str, dict[str, float]]]:
    """Figures per template and overall, summed over sample webs of the given seeds."""
    confusion: dict[str, Confusion] = defaultdict(Counter)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            directory = Path(tmp) / f"web-{seed}"
            write_sample_web(directory, WebConfig(sites=SITES, seed=seed))
            for key, counts in score_web(directory).items():
                confusion[key].update(counts)
    return {key: figures_of(counts) for key, counts in sorted(confusion.items())}


def errors_of(seeds: tuple[int, ...] = SEEDS) -> Counter[tuple[str, str, str]]:
    """(template, truth, predicted) of every misplaced link: for looking into the errors."""
    errors: Counter[tuple[str, str, str]] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            directory = Path(tmp) / f"web-{seed}"
            write_sample_web(directory, WebConfig(sites=SITES, seed=seed))
            for key, counts in score_web(directory).items():
                if key != "all":
                    errors.update({(key, want, got): n for (want, got), n in counts.items()
                                   if want != got})
    return errors


if __name__ == "__main__":
    for key, figures in score_sample_webs().items():
        print(key, json.dumps(figures))
    for error, count in errors_of().most_common(20):
        print(count, error)
