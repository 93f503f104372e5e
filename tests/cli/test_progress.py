"""Progress bars: drawn on a terminal, never when standard error is a pipe or with --quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkscope.cli import main
from tests.cli.terminal import BAR, run_on_terminal
from tests.conftest import free_port, shared_data


def commands(tmp_path: Path) -> list[list[str]]:
    """samples build, ingest of a real WARC, and rank, each a few seconds at most."""
    warc = str(shared_data("warc", "resiliparse", "warcfile.warc.gz"))
    index = str(tmp_path / "idx")
    return [["samples", "build", str(tmp_path / "web"), "--sites", "12", "--port",
             str(free_port())],
            ["--index", index, "ingest", warc, "--workers", "1"],
            ["--index", index, "rank"]]


def test_no_bars_when_standard_error_is_not_a_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in commands(tmp_path):
        assert main(argv) == 0, argv
        out, err = capsys.readouterr()
        assert out.strip(), argv  # the summary lines are there
        assert BAR not in err and "\x1b[" not in err and "\r" not in err, (argv, err)


def test_quiet_draws_no_bar_on_a_terminal(tmp_path: Path) -> None:
    for argv in commands(tmp_path):
        code, screen, out = run_on_terminal(argv + ["--quiet"])
        assert code == 0, (argv, screen)
        assert out.strip() and BAR not in screen, (argv, screen)


def test_bars_are_drawn_on_a_terminal(tmp_path: Path) -> None:
    """The other side of the two tests above: without --quiet, a terminal gets the bars."""
    expected = ["building sample web", "reading sources", "ranking"]
    for argv, description in zip(commands(tmp_path), expected, strict=True):
        code, screen, out = run_on_terminal(argv)
        assert code == 0, (argv, screen)
        assert BAR in screen and description in screen, (argv, screen)
        assert BAR not in out  # the bars go to standard error only
