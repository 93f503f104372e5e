"""Ctrl-C in the middle of a crawl of the sample web: the crawl says what it kept and how to go
on, and going on gives the index an uninterrupted crawl gives. Bars: on a terminal only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.terminal import BAR, run_on_terminal
from tests.cli.test_interrupt import interrupt_when, resume_command
from tests.crawl.conftest import Crawled, Web
from tests.crawl.test_crawl import fetches, link_set
from tests.crawl.test_resume_recrawl import options, page_set


def test_interrupted_crawl_says_what_it_kept_and_its_command_finishes(
        web: Web, crawled: Crawled, tmp_path: Path) -> None:
    web.serve(0)
    index = tmp_path / "idx"
    command = [sys.executable, "-m", "linkscope", "--index", str(index), "crawl", *web.seeds(),
               "--scope", "domain", *options(web)]

    def a_third_crawled() -> bool:
        logs = list(index.glob("crawls/*/crawl.log"))
        return bool(logs) and logs[0].stat().st_size > 12_000

    result = interrupt_when(command, a_third_crawled)
    assert result.returncode == 130, result.stderr
    directory = next(index.glob("crawls/*"))
    lines = [line for line in result.stderr.splitlines() if "interrupted" in line]
    assert len(lines) == 1 and lines[0].startswith(
        f"linkscope: interrupted: crawl {directory.name}: "), result.stderr
    assert f"URLs fetched and kept in {directory}, " in lines[0]
    assert not (index / "CURRENT").exists()
    again = resume_command(result.stderr, f"linkscope --index {index} crawl --resume")
    rerun = subprocess.run(again, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "(resumed)" in rerun.stdout and "ranked" in rerun.stdout
    assert page_set(index) == page_set(crawled.index)
    assert link_set(index) == link_set(crawled.index)
    assert set(fetches(index)) == set(fetches(crawled.index))  # asserts one fetch per URL


def test_crawl_and_recrawl_bars_only_on_a_terminal_without_quiet(
        web: Web, crawled: Crawled, tmp_path: Path) -> None:
    web.serve(0)
    seed = web.seeds()[0]
    crawl = ["crawl", seed, "--max-pages", "15", *options(web)]
    code, screen, out = run_on_terminal(["--index", str(tmp_path / "a"), *crawl])
    assert code == 0 and "crawl crawl-" in out, screen
    assert BAR in screen and "crawling" in screen
    code, screen, out = run_on_terminal(["--index", str(tmp_path / "b"), *crawl, "--quiet"])
    assert code == 0 and "crawl crawl-" in out, screen
    assert BAR not in screen
    index = tmp_path / "c"
    shutil.copytree(crawled.index, index)
    code, screen, out = run_on_terminal(["--index", str(index), "recrawl", "--max-pages", "10",
                                         *options(web), "--quiet"])
    assert code == 0 and "recrawl-" in out, screen
    assert BAR not in screen
