"""Read a sample web's ground truth in tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def truth(directory: Path, name: str) -> list[dict[str, Any]]:
    return read_jsonl(directory / "truth" / f"{name}.jsonl")
