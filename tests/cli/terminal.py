"""Running linkscope with its standard error on a pseudo-terminal, as a person at a terminal
would, to see what it draws there."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

BAR = "━"  # what rich draws a progress bar with


def run_on_terminal(argv: list[str], timeout: float = 120) -> tuple[int, str, str]:
    """Run `linkscope ARGV` with standard error on a 100-column pseudo-terminal and standard
    output on a pipe; return the exit code, the terminal's bytes (decoded) and the output."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    child = subprocess.Popen([sys.executable, "-m", "linkscope", *argv], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=secondary, env=env)
    os.close(secondary)
    screen = bytearray()
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # EIO: every writer of the terminal has closed it
            break
        if not data:
            break
        screen += data
    os.close(primary)
    out, _ = child.communicate(timeout=timeout)
    return child.returncode, screen.decode(errors="replace"), out.decode(errors="replace")
