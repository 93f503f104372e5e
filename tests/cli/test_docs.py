"""The CLI and settings are documented: docs/cli.md is what the commands say of themselves."""

from __future__ import annotations

import typer

from linkscope.cli import app
from linkscope.cli.docs import _commands, render
from linkscope.settings import KNOBS
from tests.conftest import REPO


def test_cli_md_is_current() -> None:
    written = (REPO / "docs" / "cli.md").read_text()
    assert written == render(), "run: .venv/bin/python -m linkscope.cli.docs > docs/cli.md"


def test_every_command_has_help_and_an_example() -> None:
    for path, command in _commands(typer.main.get_command(app), "linkscope"):
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
