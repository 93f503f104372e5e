"""An index of the sample web (both epochs, ranked), built once a session, and clients of it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from linkscope.api import create_app
from linkscope.rank.job import rank_index
from linkscope.store import ingest


@dataclass
class SampleIndex:
    index: Path  # both epochs ingested, then ranked
    epoch0: Path  # a copy taken after the first epoch, before ranking
    truth: Path  # the second epoch's truth files


@pytest.fixture(scope="session")
def sample_index(sample_warcs: tuple[list[Path], list[Path]], sample_web_epoch1: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> SampleIndex:
    root = tmp_path_factory.mktemp("api-index")
    index = root / "index"
    ingest(index, [str(p) for p in sample_warcs[0]], workers=1)
    shutil.copytree(index, root / "epoch0")
    ingest(index, [str(p) for p in sample_warcs[1]], workers=1)
    rank_index(index)
    return SampleIndex(index, root / "epoch0", sample_web_epoch1 / "truth")


@pytest.fixture(scope="session")
def client(sample_index: SampleIndex) -> Iterator[TestClient]:
    app = create_app(sample_index.index)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
