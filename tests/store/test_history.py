"""Link history across two dated snapshots of the sample web, against its ground truth."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from linkscope.store import ingest, open_index
from tests.samples.truthfiles import truth


@pytest.fixture(scope="module")
def two_snapshots(tmp_path_factory: pytest.TempPathFactory,
                  sample_warcs: tuple[list[Path], list[Path]]) -> Path:
    index = tmp_path_factory.mktemp("history") / "idx"
    ingest(index, [str(p) for p in sample_warcs[0]], workers=1)
    ingest(index, [str(p) for p in sample_warcs[1]], workers=1)
    return index


def crawled(web: Path) -> set[str]:
    """Pages a polite crawl fetched (what the archives hold)."""
    return {p["url"] for p in truth(web, "pages") if not p["robots_disallowed"] and not p["delay"]}


def test_lost_links_and_reasons_match_truth(two_snapshots: Path, sample_web: Path,
                                            sample_web_epoch1: Path) -> None:
    fetched = crawled(sample_web)
    expected = {(c["source"], c["target"], c["anchor"], c["kind"], c["reason"])
                for c in truth(sample_web_epoch1, "changes")
                if c["change"] == "lost" and c["source"] in fetched}
    with open_index(two_snapshots) as index:
        found = set(index.con.execute(
            "SELECT source, target, anchor, kind, lost_reason FROM links "
            "WHERE lost_date IS NOT NULL AND kind <> 'canonical'").fetchall())
        dates = index.con.execute("SELECT DISTINCT CAST(lost_date AS DATE) FROM links "
                                  "WHERE lost_date IS NOT NULL").fetchall()
    assert found == expected
    assert Counter(r[4] for r in found).keys() == {"removed", "nofollow", "page_gone",
                                                   "page_redirected", "noindex"}
    assert [str(d[0]) for d in dates] == ["2026-01-31"]


def test_new_links_match_truth(two_snapshots: Path, sample_web_epoch1: Path) -> None:
    fetched = crawled(sample_web_epoch1)
    expected = {(c["source"], c["target"], c["anchor"], c["kind"])
                for c in truth(sample_web_epoch1, "changes")
                if c["change"] == "new" and c["source"] in fetched and c["kind"] != "canonical"}
    with open_index(two_snapshots) as index:
        found = set(index.con.execute(
            "SELECT source, target, anchor, kind FROM links WHERE kind <> 'canonical' AND "
            "first_seen = TIMESTAMPTZ '2026-01-31 12:00:00+00'").fetchall())
    assert expected and found == expected


def test_links_of_pages_not_refetched_stay_as_they_were(
        tmp_path: Path, sample_web_epoch1: Path,
        sample_warcs: tuple[list[Path], list[Path]]) -> None:
    from linkscope.samples.archive import write_sample_warc

    changed = Counter(c["source"].split("/")[2].split(":")[0]
                      for c in truth(sample_web_epoch1, "changes") if c["change"] == "lost")
    host = changed.most_common(1)[0][0]
    partial = write_sample_warc(sample_web_epoch1, tmp_path / "partial", only_hosts={host})
    index = tmp_path / "idx"
    ingest(index, [str(p) for p in sample_warcs[0]], workers=1)
    ingest(index, [str(p) for p in partial], workers=1)
    with open_index(index) as reader:
        lost_hosts = {r[0] for r in reader.con.execute(
            "SELECT DISTINCT source_host FROM links WHERE lost_date IS NOT NULL").fetchall()}
        stale = reader.con.execute(
            "SELECT count(*) FROM links WHERE source_host <> ? AND lost_date IS NULL AND "
            "CAST(last_seen AS DATE) = DATE '2026-01-01'", [host]).fetchone()[0]
    assert lost_hosts == {host}
    assert stale > 1000  # every other site's links are still live, as first seen


def test_first_and_last_seen(two_snapshots: Path) -> None:
    with open_index(two_snapshots) as index:
        rows = dict(index.con.execute(
            "SELECT CAST(first_seen AS DATE) || '/' || CAST(last_seen AS DATE), count(*) "
            "FROM links GROUP BY 1").fetchall())
    assert set(rows) == {"2026-01-01/2026-01-31", "2026-01-01/2026-01-01",
                         "2026-01-31/2026-01-31"}


def test_a_fetch_ingested_under_two_snapshots_keeps_the_latest_snapshot(
        tmp_path: Path, sample_warcs: tuple[list[Path], list[Path]]) -> None:
    """Issue 12: the fetches row of a record ingested under two snapshots took the crawl_id of
    one of them at random (2 of 3 identical runs differed); it is the latest, as for pages."""
    sources = [str(p) for p in sample_warcs[0]]
    seen = []
    for attempt in range(3):
        index = tmp_path / f"idx{attempt}"
        first = ingest(index, sources, workers=1, crawl_id="snapshot-a")
        ingest(index, sources, workers=1, crawl_id="snapshot-b")
        with open_index(index) as reader:
            by_snapshot = reader.con.execute(
                "SELECT crawl_id, count(*) FROM fetches GROUP BY ALL").fetchall()
            pages = reader.con.execute("SELECT DISTINCT crawl_id FROM pages").fetchall()
        seen.append(by_snapshot)
        assert by_snapshot == [("snapshot-b", first.counts["fetches"])]
        assert pages == [("snapshot-b",)]
    assert seen[0] == seen[1] == seen[2]
