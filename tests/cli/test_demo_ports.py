"""`make demo` beside servers already listening on its usual ports: it picks free ones and says
which; a port asked for and taken is a one-line error."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from linkscope.cli import main
from linkscope.cli.demo import UI_PORT, WEB_PORT
from tests.conftest import free_port


@contextmanager
def taken(port: int) -> Iterator[None]:
    """`port` listened on at 127.0.0.1 for the block (if something else holds it already, it
    is taken all the same)."""
    holder: socket.socket | None = socket.socket()
    assert holder is not None
    try:
        holder.bind(("127.0.0.1", port))
        holder.listen()
    except OSError:
        holder.close()
        holder = None
    try:
        yield
    finally:
        if holder is not None:
            holder.close()


def test_demo_picks_free_ports_when_its_usual_ones_are_taken(tmp_path: Path) -> None:
    with taken(WEB_PORT), taken(UI_PORT):
        process = subprocess.Popen(
            [sys.executable, "-m", "linkscope", "demo", "--directory", str(tmp_path),
             "--sites", "10", "--duration", "30"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None
        lines: list[str] = []
        try:
            for line in process.stdout:
                lines.append(line)
                if line.startswith("Site Explorer: http"):
                    break
            said = "".join(lines)
            web = re.search(rf"sample web: port {WEB_PORT} is in use, using port (\d+) instead",
                            said)
            ui = re.search(rf"Site Explorer: port {UI_PORT} is in use, using port (\d+) "
                           rf"instead", said)
            assert web and ui, said + (process.stderr.read() if process.stderr else "")
            assert f"loopback addresses, port {web.group(1)}" in said
            assert f"Site Explorer: http://127.0.0.1:{ui.group(1)}/" in said
            page = ""
            deadline = time.monotonic() + 30
            while not page and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{ui.group(1)}/",
                                                timeout=2) as response:
                        page = response.read().decode()
                except OSError:
                    time.sleep(0.2)
            assert "linkscope" in page.lower(), "the Site Explorer did not answer"
        finally:
            process.terminate()
            process.communicate(timeout=60)


@pytest.mark.parametrize("option", ["--port", "--ui-port"])
def test_a_taken_port_asked_for_is_a_one_line_error(
        option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    with taken(port):
        code = main(["demo", "--directory", str(tmp_path / "demo"), option, str(port)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [f"linkscope: error: {option}: port {port} is in use (choose "
                                 f"another, or leave {option} out to pick a free one)"]
    assert not (tmp_path / "demo").exists()  # refused before anything was built
