"""Builds publish ranked generations: after `linkscope ingest` the reports show UR and DR at
once, and the index never serves a generation whose scores are missing; with --no-rank it
does, and says so."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkscope.cli import main
from linkscope.store import IndexDir
from tests.conftest import shared_data

# A real Common Crawl WARC (16 pages from 15 hosts); this page has the index's top UR.
TARGET = "http://044545.com/kj/kj.html"


def real_warc() -> str:
    return str(shared_data("warc", "resiliparse", "warcfile.warc.gz"))


def overview(index: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["--index", str(index), "overview", TARGET, "--format", "json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def manifests(index: Path) -> dict[str, dict[str, object]]:
    store = IndexDir(index)
    return {g.name: store.manifest(g) for g in sorted(store.generations.glob("g*"))}


def test_ingest_publishes_a_ranked_generation(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", real_warc(), "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert "ranked" in out and "note:" not in err
    # one generation was published, and it was ranked: no unranked one came first
    assert list(manifests(index)) == ["g000001"] and "rank" in manifests(index)["g000001"]
    report = overview(index, capsys)
    row = report["rows"][0]  # type: ignore[index]
    assert report["ranked"] is True
    assert row["ur"] > 50 and row["dr"] is not None


def test_no_rank_publishes_unranked_and_says_so(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", real_warc(), "--workers", "1",
                 "--no-rank"]) == 0
    out, err = capsys.readouterr()
    assert "ranked" not in out
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert notes == [f"note: generation not ranked (--no-rank): reports lack UR, DR and link "
                     f"values until `linkscope --index {index} rank` runs"]
    report = overview(index, capsys)
    row = report["rows"][0]  # type: ignore[index]
    assert report["ranked"] is False and row["ur"] is None and row["dr"] is None
    assert main(["--index", str(index), "rank"]) == 0  # the command the note names
    capsys.readouterr()
    assert overview(index, capsys)["ranked"] is True


def test_a_reader_never_sees_an_unranked_generation(tmp_path: Path,
                                                    sample_warcs: tuple[list[Path], list[Path]]
                                                    ) -> None:
    """Two snapshots ingested by the CLI in a child process, the served generation watched
    from outside all along: every generation CURRENT named was ranked when it was named."""
    index = tmp_path / "idx"
    seen: set[str] = set()
    for warcs in sample_warcs:
        child = subprocess.Popen([sys.executable, "-m", "linkscope", "--index", str(index),
                                  "ingest", *map(str, warcs), "--workers", "1"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while child.poll() is None:
            current = IndexDir(index).current() if (index / "CURRENT").exists() else None
            if current is not None:
                seen.add(current.name)
                assert "rank" in IndexDir(index).manifest(current), current.name
            time.sleep(0.005)  # a look every few milliseconds; the child needs the CPU more
        out, err = child.communicate()
        assert child.returncode == 0, err
        assert "ranked" in out
    written = manifests(index)
    assert list(written) == ["g000001", "g000002"]  # nothing was published unranked between
    assert all("rank" in manifest for manifest in written.values())
    assert seen <= set(written)
