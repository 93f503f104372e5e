"""The CLI skeleton: help, version, global options, and one-line errors for bad input."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from linkscope import __version__
from linkscope.cli import main
from linkscope.cli.app import state
from linkscope.extract import fastwalk
from tests.conftest import free_port


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in ("demo", "samples"):
        assert command in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"linkscope {__version__}"
    assert lines[1].startswith("parser: selectolax ") and "(lexbor " in lines[1]
    assert lines[2].startswith("URLs: ada-url ")
    assert lines[3] in ("extraction: C tree pass (_walk over selectolax's lexbor)",
                        f"extraction: pure Python, about 3x slower ({fastwalk.why_slow})")


def test_index_option_and_environment(capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LINKSCOPE_INDEX", str(tmp_path / "from-env"))
    run(["samples", "--help"], capsys)
    assert state.settings.index == tmp_path / "from-env"
    run(["--index", str(tmp_path / "from-flag"), "samples", "--help"], capsys)
    assert state.settings.index == tmp_path / "from-flag"


def test_bad_environment_value_is_one_line(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKSCOPE_DEBUG", "perhaps")
    code, _, err = run(["samples", "--help"], capsys)
    assert code == 2
    assert err.strip() == "linkscope: error: LINKSCOPE_DEBUG: expected a boolean, got 'perhaps'"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["nosuch"], "No such command 'nosuch'"),
        (["samples", "build"], "Missing argument 'DIRECTORY'"),
        (["samples", "build", "{tmp}/w", "--sites", "0"], "sites must be at least 1"),
        (["samples", "build", "{tmp}/w", "--sites", "many"], "Invalid value for '--sites'"),
        (["samples", "build", "{tmp}/w", "--port", "70000"], "port must be between"),
        (["samples", "build", "{tmp}/full"], "holds no sample web"),
        (["samples", "serve", "{tmp}/absent"], "no sample web here"),
        (["samples", "serve", "{tmp}/full"], "no sample web here"),
        (["demo", "--sites", "-3", "--directory", "{tmp}/d"], "sites must be at least 1"),
    ],
)
def test_bad_input_gives_one_line(argv: list[str], expected: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    code, _, err = run([a.replace("{tmp}", str(tmp_path)) for a in argv], capsys)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("linkscope: error: ") and expected in lines[0]
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"  # nothing else lost


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "linkscope", "--debug", "samples", "serve",
                             str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "SampleWebError" in result.stderr


def test_console_script_exit_code(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "linkscope", "samples", "serve",
                             str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_samples_build_then_serve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = str(free_port())
    code, out, _ = run(["samples", "build", str(tmp_path / "w"), "--sites", "12", "--port",
                        port], capsys)
    assert code == 0 and "built 12 sites" in out
    code, out, _ = run(["samples", "serve", str(tmp_path / "w"), "--duration", "0.3"], capsys)
    assert code == 0 and f"port {port}" in out and "curl --resolve" in out


def test_demo_runs_the_main_job_and_serves_the_site_explorer(tmp_path: Path) -> None:
    """`linkscope demo` end to end in its own process: build, serve, crawl, index, rank, and the
    Site Explorer answering on loopback while the demo runs."""
    ui_port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "linkscope", "demo", "--directory", str(tmp_path), "--sites",
         "15", "--port", str(free_port()), "--ui-port", str(ui_port), "--duration", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        page = ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/", timeout=2) as r:
                    page = r.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert "linkscope" in page.lower(), "the Site Explorer did not answer"
    finally:
        process.terminate()
        out, err = process.communicate(timeout=60)
    for expected in ("sample web: 15 sites", "ranked", "Site Explorer: http://127.0.0.1:"):
        assert expected in out, out + err
    assert (tmp_path / "index" / "CURRENT").exists()
    # the banner's figures are the overview's (it once said 70 referring domains beside 73)
    banner = out[out.index("highest DR"):out.index("try: ")].splitlines()[2:]
    assert banner
    from linkscope.reports import overview
    from linkscope.store import open_index

    with open_index(tmp_path / "index") as reader:
        for line in banner:
            domain, _, ref_domains, backlinks = line.split()
            row = overview(reader, domain).rows[0]
            assert (int(ref_domains.replace(",", "")), int(backlinks.replace(",", ""))) == (
                row.referring_domains, row.backlinks), line
