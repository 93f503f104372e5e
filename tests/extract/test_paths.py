"""Which extraction path runs, and why: the C pass must load where it can (CI fails otherwise),
the gate on exact versions falls back with one WARNING, LINKSCOPE_EXTRACT=c fails loudly."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from linkscope.errors import UsageError
from linkscope.extract import extract_page, fastwalk
from linkscope.records import FetchedPage
from linkscope.settings import knob_from_environment

PAGE = FetchedPage("http://site.test/", 200, (),
                   b"<nav><a href=/home>Home</a></nav><p>Text, and <a href=/x>more</a>.</p>")


@pytest.fixture
def restore_path() -> Iterator[None]:
    """Tests here rebind the path; put back the one this process chose."""
    yield
    fastwalk.load(knob_from_environment("extract_path"))


def test_the_c_pass_loads() -> None:
    """Fails where the C pass does not load (a missing compiler, a new selectolax), unless the
    run asked for Python: a CI run three times slower than it should be is a failure."""
    if os.environ.get("LINKSCOPE_EXTRACT") == "python":
        pytest.skip("LINKSCOPE_EXTRACT=python")
    assert fastwalk.FAST, fastwalk.why_slow


@pytest.mark.parametrize(("changed", "value"), [("selectolax", "1.0.3"), ("lexbor", "3.2")])
def test_other_versions_fall_back_with_one_warning(changed: str, value: str,
                                                   restore_path: None,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    before = extract_page(PAGE)
    versions = {**fastwalk.installed_versions(), changed: value}
    with caplog.at_level(logging.WARNING, logger="linkscope.extract.fastwalk"):
        why = fastwalk.load("auto", versions)
    assert why is not None and value in why and not fastwalk.FAST
    assert fastwalk.why_slow == why and fastwalk.is_utf8 is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "3x slower" in warnings[0].getMessage() and value in warnings[0].getMessage()
    assert extract_page(PAGE) == before  # the same records, in Python


def test_c_fails_loudly_when_it_cannot_load(restore_path: None) -> None:
    versions = {**fastwalk.installed_versions(), "selectolax": "9.9.9"}
    with pytest.raises(UsageError, match=r"LINKSCOPE_EXTRACT=c: the C tree pass cannot load: "
                                         r"selectolax is 9\.9\.9"):
        fastwalk.load("c", versions)
    assert not fastwalk.FAST


def test_python_when_asked(restore_path: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert fastwalk.load("python") == "LINKSCOPE_EXTRACT=python"
    assert not fastwalk.FAST and not caplog.records  # asked for: no warning


def test_an_unknown_path_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="LINKSCOPE_EXTRACT"):
        fastwalk.load("fast")


def test_the_environment_chooses_and_version_says_so() -> None:
    env = {**os.environ, "LINKSCOPE_EXTRACT": "python"}
    out = subprocess.run([sys.executable, "-m", "linkscope", "--version"], env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert "extraction: pure Python, about 3x slower (LINKSCOPE_EXTRACT=python)" in out
