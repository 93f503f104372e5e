"""Which TCP port a server of the demo listens on: the one asked for, else the usual one when
it is free, else one the system has free, so that `make demo` runs beside anything already
listening on 8000 or 8790.

A port counts as taken when anything listens on it at any address: the sample web listens on
one loopback address per site (127.x.y.z), so the check binds the wildcard address (without
listening, and with SO_REUSEADDR, so that connections of an earlier run left in TIME_WAIT do
not count).
"""

from __future__ import annotations

import socket

import click

from linkscope.errors import UsageError


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def any_free_port() -> int:
    """A port free at every address just now (the system's pick)."""
    with socket.socket() as probe:
        probe.bind(("0.0.0.0", 0))
        return int(probe.getsockname()[1])


def choose_port(wanted: int | None, usual: int, option: str, what: str) -> int:
    """`wanted` if given (an error naming `option` if it is taken), else `usual` if it is
    free, else a free port; a line says so when the usual port was taken."""
    if wanted is not None:
        if not port_is_free(wanted):
            raise UsageError(f"port {wanted} is in use", where=option,
                             hint=f"choose another, or leave {option} out to pick a free one")
        return wanted
    if port_is_free(usual):
        return usual
    port = any_free_port()
    click.echo(f"{what}: port {usual} is in use, using port {port} instead (or choose one with "
               f"{option})")
    return port
