"""Fixtures shared by the whole suite: the sample web, built once a session and served on
loopback, and the location of the shared real-world data."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkscope.samples import BackgroundServer, WebConfig, write_sample_web

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 (the sample web binds it on its other addresses too)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when that data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present: {path} (CI has it; see ../shared/data/README.md)")
    return path


@pytest.fixture(scope="session")
def sample_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def sample_web(tmp_path_factory: pytest.TempPathFactory, sample_port: int) -> Path:
    """A small sample web (40 sites) at epoch 0."""
    directory = tmp_path_factory.mktemp("web") / "epoch0"
    write_sample_web(directory, WebConfig(sites=40, seed=3, port=sample_port, pages_per_site=6))
    return directory


@pytest.fixture(scope="session")
def sample_web_epoch1(tmp_path_factory: pytest.TempPathFactory, sample_port: int) -> Path:
    """The same web one epoch later."""
    directory = tmp_path_factory.mktemp("web") / "epoch1"
    write_sample_web(directory, WebConfig(sites=40, seed=3, port=sample_port, pages_per_site=6,
                                          epoch=1))
    return directory


@pytest.fixture(scope="session")
def served_web(sample_web: Path) -> Iterator[BackgroundServer]:
    """The epoch-0 sample web served on its loopback addresses (slow pages capped at 2 s)."""
    with BackgroundServer(sample_web, max_delay=2.0) as server:
        yield server


@pytest.fixture(scope="session")
def sample_warcs(sample_web: Path, sample_web_epoch1: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    """The two epochs of the sample web as WARC files, as a full polite crawl would write them."""
    from linkscope.samples.archive import write_sample_warc

    out = tmp_path_factory.mktemp("warcs")
    return (write_sample_warc(sample_web, out / "epoch0"),
            write_sample_warc(sample_web_epoch1, out / "epoch1"))
