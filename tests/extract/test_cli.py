"""`linkscope extract`: one record per link, stdin and .gz, one-line errors."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from linkscope.cli import main

PAGE = (b'<html><body><nav><a href="/home">Home</a></nav><p>Some text, with commas, '
        b'<a href="https://other.test/x" rel="UGC nofollow">a link</a>.</p></body></html>')
KEYS = {"target", "anchor", "rel", "follow", "placement", "kind", "position"}


def test_jsonl_from_a_gz_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE))
    assert main(["extract", str(path), "--url", "http://site.test/", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["target"] for row in rows] == ["http://site.test/home", "https://other.test/x"]
    assert set(rows[1]) >= KEYS
    assert rows[1]["rel"] == ["nofollow", "ugc"] and rows[1]["follow"] is False
    assert rows[1]["position"] == 1


def test_json_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                         tmp_path: Path) -> None:
    stdin = tmp_path / "in.html"
    stdin.write_bytes(PAGE)
    with stdin.open("rb") as handle:
        monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": handle})())
        assert main(["extract", "-", "--url", "http://site.test/", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and all(set(row) >= KEYS for row in rows)


def test_table_is_the_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    assert main(["extract", str(path), "--url", "http://site.test/"]) == 0
    assert "other.test" in capsys.readouterr().out


def test_missing_file_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", "/no/such/page.html", "--url", "http://site.test/"])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert err.count("\n") == 0 and "/no/such/page.html" in err


def test_bad_url_is_a_one_line_usage_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    code = main(["extract", str(path), "--url", "not a url"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and "--url" in err
