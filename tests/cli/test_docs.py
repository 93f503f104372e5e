"""The CLI and settings are documented: docs/cli.md is what the commands say of themselves."""

from __future__ import annotations

import pytest

from linkscope.cli import app, main
from linkscope.cli.docs import _commands, render
from linkscope.settings import KNOBS
from tests.conftest import REPO


def test_cli_md_is_current() -> None:
    written = (REPO / "docs" / "cli.md").read_text()
    assert written == render(), "run: .venv/bin/python -m linkscope.cli.docs > docs/cli.md"


def test_every_command_has_help_and_an_example() -> None:
    for path, command in _commands(app, "linkscope"):
        assert command.help, path
        if path.split()[1] not in ("demo",):
            assert "Example" in command.help, f"{path} has no example in its help"
        for param in command.params:
            if param.name != "help":
                assert getattr(param, "help", None) or param.param_type_name == "argument", (
                    f"{path} {param.name} is undocumented")


def test_every_setting_is_documented() -> None:
    text = (REPO / "docs" / "cli.md").read_text()
    for knob in KNOBS:
        assert knob.env in text and knob.help in text


def test_every_help_fits_80_columns_with_its_examples_whole(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """In an 80-column terminal each command's help fits, each example stands on a line of
    its own to copy whole, and values read as names (N, TEXT, PATH), not Python types."""
    monkeypatch.setenv("COLUMNS", "80")
    for path, command in _commands(app, "linkscope"):
        assert main([*path.split()[1:], "--help"]) == 0
        shown = capsys.readouterr().out
        wide = [line for line in shown.splitlines() if len(line) > 80]
        assert wide == [], f"{path} --help"
        assert "<int" not in shown and "<float" not in shown and "<list" not in shown, path
        examples = [line.strip() for line in (command.help or "").splitlines()
                    if line.strip().startswith("linkscope ")]
        assert examples, f"{path} shows no example on a line of its own"
        for example in examples:
            assert f"\n    {example}\n" in shown, f"{path}: {example}"
