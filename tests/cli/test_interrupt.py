"""Ctrl-C: an interrupted command says what it kept and prints the command that goes on, and
running that command finishes the job."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from linkscope.samples import WebConfig, write_sample_web
from linkscope.samples.archive import write_sample_warc
from linkscope.store import ingest, open_index
from tests.conftest import free_port

LINKSCOPE = [sys.executable, "-m", "linkscope"]


@pytest.fixture(scope="module")
def warc_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 90-site web as about 40 WARC files: sources enough to stop half-way through."""
    base = tmp_path_factory.mktemp("interrupt")
    write_sample_web(base / "web", WebConfig(sites=90, seed=5, port=free_port(),
                                             pages_per_site=8))
    files = write_sample_warc(base / "web", base / "warc", max_bytes=1 << 17)
    assert len(files) >= 20
    return base / "warc"


def interrupt_when(command: list[str], ready: Callable[[], bool]
                   ) -> subprocess.CompletedProcess[str]:
    """Run `command` in a session of its own, press Ctrl-C (SIGINT to the process group, as a
    terminal does) once `ready()` holds, and collect what it printed."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.005)
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGINT)
    out, err = child.communicate(timeout=120)
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def resume_command(err: str, expected: str) -> list[str]:
    """The command in the one `linkscope: interrupted:` line, checked against `expected`."""
    lines = [line for line in err.splitlines() if line.startswith("linkscope: interrupted: ")]
    assert len(lines) == 1, err
    found = re.search(r"run `([^`]+)`", lines[0])
    assert found is not None, lines[0]
    assert found.group(1) == expected, lines[0]
    words = shlex.split(found.group(1))
    assert words[0] == "linkscope"
    return LINKSCOPE + words[1:]


def test_interrupted_ingest_says_what_it_kept_and_its_command_finishes(
        warc_dir: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    expected = ingest(reference, [str(p) for p in sorted(warc_dir.glob("*.warc.gz"))],
                      workers=1).counts
    index = tmp_path / "idx"
    sources = len(list(warc_dir.glob("*.warc.gz")))
    command = LINKSCOPE + ["--index", str(index), "ingest", str(warc_dir), "--workers", "2"]
    result = interrupt_when(command, lambda: any(index.glob("runs/*/parts/*.done")))
    assert result.returncode == 130, result.stderr
    kept = re.search(r"interrupted: (\d+) of (\d+) sources read and kept;", result.stderr)
    assert kept is not None, result.stderr
    assert 1 <= int(kept.group(1)) <= int(kept.group(2)) == sources
    assert int(kept.group(1)) == len(list(index.glob("runs/*/parts/*.done")))
    assert not (index / "CURRENT").exists()  # nothing half-built is served
    again = resume_command(result.stderr, f"linkscope --index {index} ingest {warc_dir} "
                                          f"--workers 2")
    rerun = subprocess.run(again, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "ranked" in rerun.stdout
    with open_index(index) as reader:
        links = reader.con.execute("SELECT count(*) FROM links").fetchone()
        dupes = reader.con.execute(
            "SELECT count(*) FROM (SELECT source, target, kind, anchor, placement, position "
            "FROM links GROUP BY ALL HAVING count(*) > 1)").fetchone()
        assert "rank" in reader.manifest
    assert links == (expected["links"],) and dupes == (0,)
    assert not list(index.glob("runs/*"))  # the run was finished and cleared


def test_interrupted_rank_leaves_the_index_as_it_was(tmp_path: Path, warc_dir: Path) -> None:
    index = tmp_path / "idx"
    ingest(index, [str(p) for p in sorted(warc_dir.glob("*.warc.gz"))][:3], workers=1)
    command = LINKSCOPE + ["--index", str(index), "rank"]
    result = interrupt_when(command, lambda: any(index.glob("generations/.tmp-*")))
    if result.returncode == 0:
        pytest.skip("the ranking finished before Ctrl-C reached it")  # a small index, fast
    assert result.returncode == 130, result.stderr
    assert "nothing changed, the index still serves g000001" in result.stderr
    again = resume_command(result.stderr, f"linkscope --index {index} rank")
    assert subprocess.run(again, capture_output=True, timeout=300).returncode == 0
    with open_index(index) as reader:
        assert reader.generation.name == "g000002" and "rank" in reader.manifest
