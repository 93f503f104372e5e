"""Every report as a terminal table at 80 columns, as a newcomer sees it: every line fits, every
row shows its referring host (or its target) whole, and no cell holds JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from linkscope.cli import main
from linkscope.cli.table import shorten_url
from linkscope.urls import split_host
from tests.reports.test_links import busiest

WIDTH = 80
JSON_LIKE = re.compile(r'[{\[]\s*"|"\s*:\s|\{\}|\[\]')


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def host(url: str) -> str:
    """A URL's host as a table shows it (with a port, when the URL has one)."""
    return url.split("://", 1)[-1].split("/", 1)[0]


# (report arguments, the field whose host each row must show whole, or a field shown whole)
REPORTS: list[tuple[list[str], str, str]] = [
    (["backlinks"], "source", "host"),
    (["backlinks", "--aggregate", "domain"], "source", "host"),
    (["backlinks", "--aggregate", "similar"], "source", "host"),
    (["refdomains"], "domain", "whole"),
    (["anchors"], "anchor", "start"),
    (["refips"], "ip", "whole"),
    (["refips", "--group", "subnet"], "ip", "whole"),
    (["competitors"], "domain", "whole"),
    (["broken", "--scope", "all"], "source", "host"),
    (["broken", "--outgoing", "--scope", "all"], "url", "host"),
    (["history"], "period", "start"),
    (["internal"], "url", "host"),
]


@pytest.mark.parametrize(("args", "field", "rule"), REPORTS,
                         ids=[" ".join(a) for a, _, _ in REPORTS])
def test_tables_fit_80_columns(two_epoch_index: Path, live_truth: list, args: list[str],
                               field: str, rule: str, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    domain = busiest(live_truth)
    base = ["--index", str(two_epoch_index), *args[:1], domain, *args[1:], "--limit", "30"]
    code, table, err = run(base, capsys)
    assert code == 0, err
    code, raw, _ = run([*base, "--format", "json"], capsys)
    rows: list[dict[str, Any]] = json.loads(raw)["rows"]
    assert rows, f"{args} has no rows on the sample web: the test would prove nothing"
    lines = table.splitlines()
    assert all(len(line) <= WIDTH for line in lines), max(lines, key=len)
    assert not [line for line in lines if JSON_LIKE.search(line)]
    assert "rows 1-" in table  # the range and the counting rules follow the table
    for row in rows:
        value = str(row[field])
        shown = {"host": host(value), "whole": value, "start": value[:20]}[rule]
        assert shown in table, f"{shown!r} is not shown whole"


def test_intersect_table(two_epoch_index: Path, live_truth: list,
                         capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    rivals = sorted({x["target_domain"] for x in live_truth} - {None})[:3]
    code, table, err = run(["--index", str(two_epoch_index), "intersect", *rivals], capsys)
    assert code == 0, err
    lines = table.splitlines()
    assert all(len(line) <= WIDTH for line in lines)
    assert not [line for line in lines if JSON_LIKE.search(line)]
    # links to each competitor read as `domain n · domain n`
    assert re.search(r"\w\.\w+ \d+( · |\s*$)", table, re.MULTILINE)


def test_overview_reads_as_words(two_epoch_index: Path, live_truth: list,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    code, out, _ = run(["--index", str(two_epoch_index), "overview", busiest(live_truth)],
                       capsys)
    assert code == 0
    assert all(len(line) <= WIDTH for line in out.splitlines())
    assert not JSON_LIKE.search(out)
    assert "Referring domains" in out and "Top anchors" in out


def test_columns_option_picks_fields_and_names_bad_ones(two_epoch_index: Path,
                                                        live_truth: list,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    base = ["--index", str(two_epoch_index), "backlinks", busiest(live_truth), "--limit", "3"]
    code, out, _ = run([*base, "--columns", "source_domain,placement,value_share"], capsys)
    assert code == 0
    header = next(line for line in out.splitlines() if "Placement" in line)
    assert "source_domain" in header and "Value" in header and "Anchor" not in header
    code, out, _ = run([*base, "--format", "csv", "--columns", "source,placement"], capsys)
    assert out.splitlines()[0] == "source,placement"
    code, _, err = run([*base, "--columns", "colour"], capsys)
    assert code == 2 and "--columns" in err and "colour" in err
    code, out, err = run([*base, "--format", "csv", "--columns", "source,colour"], capsys)
    assert code == 2 and not out and "--columns" in err and "colour" in err


@pytest.mark.parametrize(("url", "width", "expected"), [
    ("https://www.example.test/a/b/c/d/e/page.html", 40, "www.example.test/a/b/c/d/e/page.html"),
    ("https://www.example.test/a/b/c/d/e/page.html", 30, "www.example.test/a/b/c/…e.html"),
    ("http://www.example.test/a-long-path", 17, "www.example.test…"),
    ("http://www.example.test/a-long-path", 8, "www.example.test…"),  # the host stays whole
])
def test_urls_are_cut_in_the_middle_keeping_the_host(url: str, width: int,
                                                     expected: str) -> None:
    assert shorten_url(url, width) == expected
    assert (split_host(url) or "") in expected


@pytest.mark.parametrize(("args", "named"), [
    (["backlinks", "nowhere.test"], "TARGET"),
    (["backlinks", "{domain}", "--anchor-regex", "("], "--anchor-regex"),
    (["backlinks", "{domain}", "--min-dr", "101"], "--min-dr"),
    (["intersect", "{domain}", "nowhere.test"], "COMPETITORS"),
    (["intersect", "{domain}", "--not", "test"], "--not"),
    (["intersect", "{domain}", "--min", "2"], "--min"),
])
def test_report_errors_name_the_option_as_typed(two_epoch_index: Path, live_truth: list,
                                                args: list[str], named: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Whether the query or the report refuses a value, the one-line error names it as the
    command line spells it."""
    argv = [a.format(domain=busiest(live_truth)) for a in args]
    code, out, err = run(["--index", str(two_epoch_index), *argv], capsys)
    assert code == 2 and not out
    assert err.startswith("linkscope: error: ") and len(err.splitlines()) == 1, err
    assert f"{named}: " in err or f"'{named}'" in err, err  # Typer's own bound checks quote it
