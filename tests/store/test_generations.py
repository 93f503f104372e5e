"""Generations: a build killed at any moment leaves the served generation intact, readers keep
the generation they opened, and re-running the killed ingest finishes the job without
duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkscope.samples import WebConfig, write_sample_web
from linkscope.samples.archive import write_sample_warc
from linkscope.store import IndexDir, ingest, open_index
from tests.conftest import free_port


@pytest.fixture(scope="module")
def many_warcs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A 90-site web as WARC files of about 512 KB each (several sources to resume over)."""
    base = tmp_path_factory.mktemp("bigweb")
    write_sample_web(base / "web", WebConfig(sites=90, seed=5, port=free_port(),
                                             pages_per_site=8))
    return write_sample_warc(base / "web", base / "warc", max_bytes=1 << 19)


def count_links(index: Path) -> tuple[str, int]:
    with open_index(index) as reader:
        return reader.generation.name, reader.con.execute("SELECT count(*) FROM links"
                                                          ).fetchone()[0]


def test_kill_during_build_then_read_then_resume(tmp_path: Path, sample_warcs: tuple,
                                                 many_warcs: list[Path]) -> None:
    assert len(many_warcs) >= 4
    reference = tmp_path / "reference"
    ingest(reference, [str(p) for p in sample_warcs[0]], workers=1)
    expected = ingest(reference, [str(p) for p in many_warcs], workers=1).counts

    index = tmp_path / "idx"
    first = ingest(index, [str(p) for p in sample_warcs[0]], workers=1)
    served = ("g000001", first.counts["links"])
    command = [sys.executable, "-m", "linkscope", "--index", str(index), "ingest",
               *map(str, many_warcs), "--workers", "2"]
    for delay in (0.4, 1.2, 2.5):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        now = count_links(index)
        assert now == served or (now[0] == "g000002" and now[1] == expected["links"])
    done_before = len(list((index / "runs").glob("*/parts/*.done")))
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert count_links(index)[1] == expected["links"]
    # the re-run read only the sources the killed runs had not finished (or, if a kill came
    # after the switch, ingested everything again as a new snapshot: same links, no duplicates)
    assert f"from {len(many_warcs)} source(s)" in result.stdout or done_before == 0
    with open_index(index) as reader:
        dupes = reader.con.execute(
            "SELECT count(*) FROM (SELECT source, target, kind, anchor, placement FROM links "
            "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
    assert dupes == 0
    assert not list((index / "generations").glob(".tmp-*"))


def test_reader_keeps_its_generation(tmp_path: Path, sample_warcs: tuple) -> None:
    index = tmp_path / "idx"
    ingest(index, [str(p) for p in sample_warcs[0]], workers=1)
    with open_index(index) as reader:
        before = reader.con.execute("SELECT count(*), max(last_seen) FROM links").fetchone()
        ingest(index, [str(p) for p in sample_warcs[1]], workers=1)
        assert IndexDir(index).require_current().name == "g000002"
        assert reader.generation.name == "g000001"
        assert reader.con.execute("SELECT count(*), max(last_seen) FROM links"
                                  ).fetchone() == before
