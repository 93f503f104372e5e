"""Generations: a build killed at any moment leaves the served generation intact, readers keep
the generation they opened, and re-running the killed ingest finishes the job without
duplicates; killing its main process alone ends its workers and frees the index lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from linkscope.errors import StoreError
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
    assert f"from {len(many_warcs)} sources" in result.stdout or done_before == 0
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


LINK_IDENTITY = "SELECT source, target, kind, anchor, placement FROM links"


def link_identities(index: Path) -> list[tuple[str, ...]]:
    with open_index(index) as reader:
        return sorted(reader.con.execute(LINK_IDENTITY).fetchall())


@pytest.fixture(scope="module")
def many_reference(many_warcs: list[Path], tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[dict[str, int], list[tuple[str, ...]]]:
    """The counts and link identities of an uninterrupted ingest of `many_warcs`."""
    index = tmp_path_factory.mktemp("reference") / "idx"
    counts = ingest(index, [str(p) for p in many_warcs], workers=1).counts
    return counts, link_identities(index)


def still_running(process: psutil.Process) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for whoever adopted it to reap it)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "term"])
def test_killing_the_main_process_alone_ends_its_workers_and_frees_the_lock(
        tmp_path: Path, many_warcs: list[Path],
        many_reference: tuple[dict[str, int], list[tuple[str, ...]]], signum: int) -> None:
    """Issue 12: the workers of a killed ingest ran on forever holding the index lock, and every
    later build failed with "another build is writing this index"."""
    index = tmp_path / "idx"
    command = [sys.executable, "-m", "linkscope", "--index", str(index), "ingest",
               *map(str, many_warcs), "--workers", "2"]
    main = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[psutil.Process] = []
    try:
        # mid-run: both workers started and a source read, not yet all of them
        while not workers or not list(index.glob("runs/*/parts/*.done")):
            assert main.poll() is None, "the ingest ended before it could be killed"
            workers = psutil.Process(main.pid).children()
            workers = workers if len(workers) >= 2 else []
            time.sleep(0.01)
        os.kill(main.pid, signum)  # the main process alone, not its process group
        main.wait()
        deadline = time.monotonic() + 10
        while any(map(still_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w.pid for w in workers if still_running(w)], "workers outlived their parent"
    finally:
        for worker in workers:
            if still_running(worker):
                worker.kill()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    (said,) = [line for line in rerun.stderr.splitlines() if line.strip()]
    assert f"took over the lock of build pid {main.pid}, which died holding it" in said
    counts, identities = many_reference
    assert count_links(index) == ("g000001", counts["links"])
    assert link_identities(index) == identities  # nothing lost, nothing twice
    with open_index(index) as reader:
        assert reader.con.execute("SELECT count(*) FROM pages").fetchone()[0] == counts["pages"]
        assert reader.con.execute("SELECT count(*) FROM fetches").fetchone()[0] == counts[
            "fetches"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_lock_left_by_a_dead_build_is_taken_over_saying_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = IndexDir(tmp_path / "idx")
    store.path.mkdir()
    gone = dead_pid()
    (store.path / "lock").write_text(f"{gone}\n")  # what a killed build leaves
    with store.writing():
        assert (store.path / "lock").read_text() == f"{os.getpid()}\n"
        with pytest.raises(StoreError, match=f"another build is writing this index \\(pid "
                                             f"{os.getpid()}\\)"), store.writing():
            pass
    assert [r.getMessage() for r in caplog.records] == [
        f"{store.path}: took over the lock of build pid {gone}, which died holding it; an "
        "interrupted ingest resumes where it stopped"]
    assert (store.path / "lock").read_text() == ""  # released cleanly: nothing to take over
    caplog.clear()
    with store.writing():
        pass
    assert not caplog.records


def test_a_lock_held_by_what_a_dead_build_left_names_the_fix(tmp_path: Path) -> None:
    store = IndexDir(tmp_path / "idx")
    with store.writing():
        (store.path / "lock").write_text(f"{dead_pid()}\n")  # the holder died, a child holds on
        with pytest.raises(StoreError, match="has ended, but a process it started still holds"
                           ), store.writing():
            pass
