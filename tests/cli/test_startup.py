"""Start-up: building the command line imports none of the heavy libraries; a command imports
what its own work needs, when it runs.

Each check runs in a fresh interpreter and reads its `sys.modules`, since this test process has
imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("duckdb", "numpy", "numba", "pyarrow", "selectolax", "fastapi", "aiohttp")

# cli/reports.py and cli/output.py (the report commands) and cli/extract.py import the report
# library, the index reader and extraction at module top; they are being rewritten elsewhere,
# lazily. Until then building the app imports what they pull in: duckdb (linkscope.reports and
# linkscope.store.catalog), pyarrow and numpy (linkscope.store, through its ingest), selectolax
# (linkscope.extract). The first test leaves those three modules out and holds every other
# command module to importing nothing heavy; the second holds the whole CLI to this list.
OTHERS = ("linkscope.cli.reports", "linkscope.cli.output", "linkscope.cli.extract")
PULLED_IN_BY_OTHERS = {"duckdb", "numpy", "pyarrow", "selectolax"}

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
         ["samples", "--help"], ["samples", "build", "--help"], ["samples", "serve", "--help"]]


def heavy_imported(stubbed: tuple[str, ...], argvs: list[list[str]]) -> set[str]:
    result = subprocess.run([sys.executable, "-c", CHECK, json.dumps([stubbed, argvs])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_command_modules_import_nothing_heavy() -> None:
    assert heavy_imported(OTHERS, HELPS) == set()


def test_the_whole_cli_imports_only_what_the_report_and_extract_modules_pull_in() -> None:
    assert heavy_imported((), [["--help"]]) <= PULLED_IN_BY_OTHERS


def test_the_check_sees_a_heavy_import() -> None:
    """The check itself can fail: a heavy import made on the way is caught."""
    script = CHECK.replace("from linkscope.cli import main",
                           "import aiohttp\nfrom linkscope.cli import main")
    result = subprocess.run([sys.executable, "-c", script, json.dumps([OTHERS, [["--help"]]])],
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["aiohttp"]
