"""The settings registry: every knob declared once, read from the environment with a one-line
error naming the variable, and the ranking's knobs recorded in each ranked generation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkscope.cli import main
from linkscope.errors import UsageError
from linkscope.settings import KNOBS, PLACEMENT_WEIGHTS, Settings
from linkscope.store import ingest
from linkscope.warc.write import WarcWriter


def test_each_knob_has_a_variable_a_default_and_help() -> None:
    names = [k.env for k in KNOBS]
    assert len(names) == len(set(names)) and all(n.startswith("LINKSCOPE_") for n in names)
    assert all(k.help.strip() for k in KNOBS)
    for knob in ("damping", "rank_tolerance", "placement_weights", "query_timeout",
                 "query_workers", "max_decoded_body", "extract_time_budget"):
        assert knob in {k.name for k in KNOBS}


def test_environment_values_are_parsed() -> None:
    settings = Settings.load({"LINKSCOPE_DAMPING": "0.9", "LINKSCOPE_QUERY_WORKERS": "8",
                              "LINKSCOPE_PLACEMENT_WEIGHTS": "content=2, footer=0"})
    assert settings.damping == 0.9 and settings.query_workers == 8
    assert settings.weights() == (("content", 2.0), ("footer", 0.0))
    assert dict(Settings().weights()) == PLACEMENT_WEIGHTS


@pytest.mark.parametrize(("variable", "value"), [
    ("LINKSCOPE_DAMPING", "high"), ("LINKSCOPE_DAMPING", "1.5"),
    ("LINKSCOPE_PLACEMENT_WEIGHTS", "body=1"), ("LINKSCOPE_PLACEMENT_WEIGHTS", "content"),
    ("LINKSCOPE_PLACEMENT_WEIGHTS", "content=heavy"), ("LINKSCOPE_QUERY_WORKERS", "many"),
])
def test_a_bad_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(UsageError) as problem:
        Settings.load({variable: value})
    assert problem.value.where == variable


def test_rank_records_the_knobs_it_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with WarcWriter(tmp_path / "warc", prefix="s") as writer:
        for number in range(4):
            body = (f"<html><body><p>Text <a href='http://site{(number + 1) % 4}.test/'>next"
                    f"</a></p><footer><a href='http://site{(number + 2) % 4}.test/'>f</a>"
                    f"</footer></body></html>").encode()
            writer.write_response(f"http://site{number}.test/", "HTTP/1.1 200 OK",
                                  [("Content-Type", "text/html")], body,
                                  time="2026-11-24T10:00:01Z", ip="127.0.0.2")
    index = tmp_path / "index"
    ingest(index, [str(p) for p in writer.files], workers=1)
    monkeypatch.setenv("LINKSCOPE_DAMPING", "0.7")
    monkeypatch.setenv("LINKSCOPE_PLACEMENT_WEIGHTS", "content=1,footer=0.5")
    assert main(["--index", str(index), "rank", "--quiet"]) == 0
    current = (index / "CURRENT").read_text().strip()
    manifest = json.loads((index / "generations" / current / "manifest.json").read_text())
    assert manifest["rank"]["damping"] == 0.7
    assert manifest["rank"]["placement_weights"] == {"content": 1.0, "footer": 0.5}
    assert main(["--index", str(index), "rank", "--quiet", "--damping", "0.5"]) == 0
    current = (index / "CURRENT").read_text().strip()
    manifest = json.loads((index / "generations" / current / "manifest.json").read_text())
    assert manifest["rank"]["damping"] == 0.5  # the flag over the environment
    capsys.readouterr()
    monkeypatch.setenv("LINKSCOPE_PLACEMENT_WEIGHTS", "body=1")
    assert main(["--index", str(index), "rank"]) == 2
    assert "LINKSCOPE_PLACEMENT_WEIGHTS" in capsys.readouterr().err
