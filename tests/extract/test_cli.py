"""`linkscope extract`: one record per link, several pages and folders in one process, stdin
and .gz, URLs from --url, --urls, <base href> or the file's path, one-line errors."""

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
    errors = [line for line in capsys.readouterr().err.splitlines()
              if line.startswith("linkscope: error")]
    assert code == 1
    assert len(errors) == 1 and "/no/such/page.html" in errors[0]


def test_bad_url_is_a_one_line_usage_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    code = main(["extract", str(path), "--url", "not a url"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and "--url" in err


def jsonl(capsys: pytest.CaptureFixture[str]) -> tuple[list[dict[str, object]], list[str]]:
    out, err = capsys.readouterr()
    return [json.loads(line) for line in out.splitlines()], err.splitlines()


def test_several_files_and_folders_in_one_process(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site" / "deep").mkdir(parents=True)
    (tmp_path / "site" / "a.html").write_bytes(PAGE)
    (tmp_path / "site" / "deep" / "b.htm.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "site" / "notes.txt").write_text("not a page")
    (tmp_path / "c.html").write_bytes(PAGE)
    urls = tmp_path / "urls.tsv"
    urls.write_text(f"# page<TAB>url\n{tmp_path / 'site' / 'a.html'}\thttp://a.test/x/\n"
                    f"{tmp_path / 'site' / 'deep' / 'b.htm.gz'}\thttps://b.test/\n"
                    f"{tmp_path / 'c.html'}\thttp://c.test/\n")
    code = main(["extract", str(tmp_path / "site"), str(tmp_path / "c.html"), "--urls",
                 str(urls), "--format", "jsonl"])
    rows, err = jsonl(capsys)
    assert code == 0
    assert [(row["page"], row["target"]) for row in rows] == [
        (str(tmp_path / "site" / "a.html"), "http://a.test/home"),
        (str(tmp_path / "site" / "a.html"), "https://other.test/x"),
        (str(tmp_path / "site" / "deep" / "b.htm.gz"), "https://b.test/home"),
        (str(tmp_path / "site" / "deep" / "b.htm.gz"), "https://other.test/x"),
        (str(tmp_path / "c.html"), "http://c.test/home"),
        (str(tmp_path / "c.html"), "https://other.test/x"),
    ]
    assert rows[0]["source"] == "http://a.test/x/"
    assert err[-1] == "pages=3 links=6 errors=0"


def test_json_of_several_pages_is_one_list(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_bytes(PAGE)
    assert main(["extract", str(tmp_path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # no URL: each page's relative link is skipped, its absolute one kept
    assert [(row["page"], row["target"]) for row in rows] == [
        (str(tmp_path / "a.html"), "https://other.test/x"),
        (str(tmp_path / "b.html"), "https://other.test/x")]


def test_without_a_url_a_page_resolves_against_base_href_or_its_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "based.html").write_bytes(b'<base href="http://base.test/d/">' + PAGE)
    (tmp_path / "plain.html").write_bytes(PAGE)
    assert main(["extract", str(tmp_path / "based.html"), str(tmp_path / "plain.html"),
                 "--format", "jsonl"]) == 0
    rows, err = jsonl(capsys)
    by_page = {(row["page"], row["target"]) for row in rows}
    assert by_page == {(str(tmp_path / "based.html"), "http://base.test/home"),
                       (str(tmp_path / "based.html"), "https://other.test/x"),
                       (str(tmp_path / "plain.html"), "https://other.test/x")}
    assert {row["source"] for row in rows} == {(tmp_path / "based.html").as_uri(),
                                               (tmp_path / "plain.html").as_uri()}
    # /home of the plain page names no web URL: counted, not guessed
    assert err[-2] == "pages=2 links=3 errors=0 extract/skipped/relative=1"
    assert err[-1].startswith("note: 1 relative link(s) left out") and "--url" in err[-1]


def test_one_url_for_several_pages_is_a_usage_error(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_bytes(PAGE)
    code = main(["extract", str(tmp_path), "--url", "http://site.test/"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "--url" in err and "2 pages" in err


def test_bad_input_is_reported_and_the_rest_goes_on(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.html").write_bytes(PAGE)
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8b not gzip")
    (tmp_path / "empty").mkdir()
    urls = tmp_path / "urls.tsv"
    urls.write_text(f"{tmp_path / 'good.html'}\thttp://good.test/\nno tab here\n"
                    f"{tmp_path / 'bad.html.gz'}\tnot-a-url\n")
    code = main(["extract", str(tmp_path / "good.html"), str(tmp_path / "missing.html"),
                 str(tmp_path / "bad.html.gz"), str(tmp_path / "empty"), "--urls", str(urls),
                 "--format", "jsonl"])
    rows, err = jsonl(capsys)
    assert code == 1
    assert [row["target"] for row in rows] == ["http://good.test/home", "https://other.test/x"]
    errors = [line for line in err if line.startswith("linkscope: error: ")]
    assert len(errors) == 5 and err[-1] == "pages=1 links=2 errors=5"
    for where in (f"{urls}:2: expected PATH<TAB>URL", f"{urls}:3: not an absolute http(s) URL",
                  str(tmp_path / "missing.html"), f"{tmp_path / 'bad.html.gz'}: bad gzip",
                  str(tmp_path / "empty")):
        assert any(where in line for line in errors), where


def test_standard_input_with_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    stdin = tmp_path / "in.html"
    stdin.write_bytes(PAGE)
    (tmp_path / "urls.tsv").write_text("-\thttp://stdin.test/\n")
    (tmp_path / "b.html").write_bytes(PAGE)
    with stdin.open("rb") as handle:
        monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": handle})())
        assert main(["extract", "-", str(tmp_path / "b.html"), "--urls",
                     str(tmp_path / "urls.tsv"), "--format", "jsonl"]) == 0
    rows, _ = jsonl(capsys)
    assert [row["page"] for row in rows] == ["-", "-", str(tmp_path / "b.html")]
    assert rows[0]["target"] == "http://stdin.test/home"


def test_the_command_module_imports_no_extraction_at_start_up() -> None:
    """`linkscope --help` must not load the HTML parser or the URL library: the command
    imports them when it runs."""
    import ast

    import linkscope.cli.extract as module

    tree = ast.parse(Path(module.__file__).read_text())
    top = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    names = [alias.name for node in top if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in top if isinstance(node, ast.ImportFrom)]
    heavy = ("linkscope.extract", "linkscope.urls", "linkscope.records", "selectolax", "ada_url",
             "rich", "duckdb")
    assert not [name for name in names if name.startswith(heavy)]
