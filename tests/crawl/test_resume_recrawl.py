"""A crawl killed mid-way and resumed; a recrawl after the web changed; the CLI's errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkscope.cli import main
from linkscope.crawl import find_unfinished
from linkscope.store import open_index
from linkscope.warc import iter_fetched_pages
from tests.crawl.conftest import Crawled, Web
from tests.crawl.test_crawl import fetches, link_set
from tests.samples.truthfiles import truth

FAST = ["--hosts", "{hosts}", "--allow-private", "--per-host-delay", "0", "--timeout", "0.5",
        "--retries", "1", "--max-crawl-delay", "0.01", "--concurrency", "16"]


def options(web: Web) -> list[str]:
    return [a.replace("{hosts}", str(web.hosts)) for a in FAST]


def page_set(index: Path) -> set[tuple[str, int | None]]:
    with open_index(index) as reader:
        return set(reader.con.execute("SELECT url, status FROM pages").fetchall())


def test_killed_crawl_resumes_to_the_same_index(web: Web, crawled: Crawled,
                                                tmp_path: Path) -> None:
    web.serve(0)
    index = tmp_path / "idx"
    argv = [sys.executable, "-m", "linkscope", "--index", str(index), "crawl", *web.seeds(),
            "--scope", "domain", *options(web)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    log = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        logs = list(index.glob("crawls/*/crawl.log"))
        log = logs[0] if logs else None
        if log is not None and log.stat().st_size > 12_000:  # about a third of the pages
            break
        time.sleep(0.02)
    assert child.poll() is None, child.stderr.read() if child.stderr else ""
    child.send_signal(signal.SIGKILL)
    child.wait()
    directory = find_unfinished(index)
    assert directory is not None and list(directory.glob("warc/*.open"))
    code = main(["--index", str(index), "crawl", "--resume"])
    assert code == 0
    assert find_unfinished(index) is None
    assert page_set(index) == page_set(crawled.index)
    assert link_set(index) == link_set(crawled.index)
    fetched = fetches(index)  # asserts one fetch per URL
    assert set(fetched) == set(fetches(crawled.index))
    records = [r.url for r in iter_fetched_pages(sorted(str(p) for p in
                                                        directory.glob("warc/*.warc.gz")))]
    assert len(records) == len(set(records)) == len(fetched)  # no record kept twice


def test_recrawl_finds_new_and_lost_links(web: Web, crawled: Crawled, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "idx"
    shutil.copytree(crawled.index, index)
    before = link_set(index)
    web.serve(1)
    code = main(["--index", str(index), "recrawl", *options(web)])
    assert code == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert "recrawl-" in out and "ranked" in out
    assert "━" not in err  # standard error is not a terminal here: no progress bar
    with open_index(index) as reader:
        assert "rank" in reader.manifest  # ranked before it was served
    refetched = {u for u, (status, _, _) in fetches(index, "recrawl-").items()
                 if status is not None}
    assert len(refetched) > 300
    changes = truth(web.epoch1, "changes")
    expected_lost = {(c["source"], c["target"], c["anchor"], c["kind"], c["reason"])
                     for c in changes if c["change"] == "lost" and c["source"] in refetched
                     and c["kind"] != "canonical"}
    with open_index(index) as reader:
        lost = set(reader.con.execute(
            "SELECT source, target, anchor, kind, lost_reason FROM links "
            "WHERE lost_date IS NOT NULL AND kind <> 'canonical'").fetchall())
    assert expected_lost and lost == expected_lost
    assert {r[4] for r in lost} == {"removed", "nofollow", "page_gone", "page_redirected",
                                    "noindex"}
    expected_new = {(c["source"], c["target"], c["anchor"], c["kind"]) for c in changes
                    if c["change"] == "new" and c["source"] in refetched
                    and c["kind"] != "canonical"}
    new = {link for link in link_set(index) - before if link[3] != "canonical"}
    assert expected_new and new == expected_new


@pytest.mark.parametrize(("args", "expected"), [
    (["crawl", "http://a.test/", "--scope", "planet"], "--scope: expected site, domain or"),
    (["crawl", "http://a.test/", "--hosts", "{tmp}/nohosts"], "--hosts: no such file"),
    (["crawl", "a.test/page"], "SEED: not an http(s) URL: 'a.test/page'"),
    (["crawl", "ftp://a.test/"], "not an http(s) URL"),
    (["crawl"], "give at least one SEED"),
    (["crawl", "--resume"], "--resume: no unfinished crawl"),
    (["recrawl"], "no index"),
])
def test_bad_input_is_one_line(args: list[str], expected: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--index", str(tmp_path / "idx")] + [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1, err
    assert err[0].startswith("linkscope: error: ") and expected in err[0], err[0]


def test_loopback_is_refused_without_allow_private(web: Web, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    seed = web.seeds()[0]
    code = main(["crawl", seed, "--index", str(tmp_path / "idx"), "--hosts", str(web.hosts)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"linkscope: error: {seed}: refused: ") and "127." in err[0]
    assert "--allow-private" in err[0]
    assert not (tmp_path / "idx" / "crawls").exists()
