"""Shared fixtures for the WARC tests: the real archives of ../shared/data/warc."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "warc"


@pytest.fixture(scope="session")
def warc_data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"real WARC data absent: {DATA} (see ../shared/data/README.md)")
    return DATA
