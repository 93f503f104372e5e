"""Start-up: building the command line imports none of the heavy libraries; a command imports
what its own work needs, when it runs.

Each check runs in a fresh interpreter and reads its `sys.modules`, since this test process has
imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("duckdb", "numpy", "numba", "pyarrow", "selectolax", "fastapi", "aiohttp")

CHECK = f"""
import contextlib, io, json, sys, types
stubbed, argvs = json.loads(sys.argv[1])
for name in stubbed:
    sys.modules[name] = types.ModuleType(name)
from linkscope.cli import main
for argv in argvs:
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 0, argv
print(json.dumps(sorted(m for m in {HEAVY} if m in sys.modules)))
"""

HELPS = [["--help"], ["crawl", "--help"], ["recrawl", "--help"], ["ingest", "--help"],
         ["rank", "--help"], ["explain", "--help"], ["demo", "--help"], ["serve", "--help"],
         ["samples", "--help"], ["samples", "build", "--help"], ["samples", "serve", "--help"],
         ["extract", "--help"], *([name, "--help"] for name in (
             "overview", "backlinks", "refdomains", "anchors", "refips", "intersect",
             "competitors", "broken", "history", "internal"))]


def heavy_imported(stubbed: tuple[str, ...], argvs: list[list[str]]) -> set[str]:
    result = subprocess.run([sys.executable, "-c", CHECK, json.dumps([stubbed, argvs])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_command_line_imports_nothing_heavy_until_a_command_runs() -> None:
    """Building the app and asking any command for its help imports none of the heavy
    libraries: each command imports them when it runs."""
    assert heavy_imported((), HELPS) == set()


def test_the_check_sees_a_heavy_import() -> None:
    """The check itself can fail: a heavy import made on the way is caught."""
    script = CHECK.replace("from linkscope.cli import main",
                           "import aiohttp\nfrom linkscope.cli import main")
    result = subprocess.run([sys.executable, "-c", script, json.dumps([[], [["--help"]]])],
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["aiohttp"]


EXTRACT_CHECK = """
import contextlib, io, json, sys
from linkscope.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    assert main(sys.argv[2:]) == 0
print(json.dumps(sorted(m for m in json.loads(sys.argv[1]) if m in sys.modules)))
"""

# what a page's extraction never needs: the index's engines, the servers, the command-line
# framework's type adapters, and the lookups that cost tens of milliseconds to import
NOT_FOR_EXTRACT = ("duckdb", "numpy", "numba", "pyarrow", "fastapi", "aiohttp", "pydantic",
                   "importlib.metadata", "charset_normalizer")


def test_extract_imports_only_what_a_page_needs(tmp_path: Path) -> None:
    """`linkscope extract` of a UTF-8 page loads the parser, and none of the index's
    engines, the servers, pydantic, importlib.metadata or the charset detector."""
    page = tmp_path / "page.html"
    page.write_text('<p>See <a href="/a">the page</a> and <a href="https://b.test/">b</a>.</p>')
    result = subprocess.run(
        [sys.executable, "-c", EXTRACT_CHECK, json.dumps([*NOT_FOR_EXTRACT, "selectolax"]),
         "extract", str(page), "--url", "https://a.test/"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["selectolax"]
