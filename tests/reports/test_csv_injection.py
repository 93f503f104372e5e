"""CSV formula injection: anchors and titles that start like a spreadsheet formula are written
to CSV with a leading quote, from the command line and from the API (the web UI's export is
the API's CSV); numbers are left alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from linkscope.api import create_app
from linkscope.cli import main
from linkscope.rank.job import rank_index
from linkscope.reports.export import csv_cell
from linkscope.store import ingest
from linkscope.warc.write import WarcWriter

# (extraction folds whitespace, so anchors never start with a tab or a return; csv_cell's own
# test covers those)
HOSTILE = ["=HYPERLINK(\"http://evil.test\",\"x\")", "+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1+1)"]


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    with WarcWriter(root / "warc", prefix="h") as writer:
        for number, anchor in enumerate(HOSTILE):
            links = f'<a href="http://target.test/p{number}">{anchor}</a>'
            body = (f"<html><head><title>=1+{number}</title></head><body><p>Read "
                    f"{links} today.</p></body></html>").encode()
            writer.write_response(f"http://source{number}.test/", "HTTP/1.1 200 OK",
                                  [("Content-Type", "text/html; charset=utf-8")], body,
                                  time="2026-11-24T10:00:01Z", ip="127.0.0.2")
        writer.write_response("http://target.test/", "HTTP/1.1 200 OK",
                              [("Content-Type", "text/html")], b"<html>target</html>",
                              time="2026-11-24T10:00:01Z", ip="127.0.0.3")
    index = root / "index"
    ingest(index, [str(p) for p in writer.files], workers=1)
    rank_index(index)
    return index


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_neutralised(rows: list[dict[str, str]]) -> None:
    anchors = sorted(r["anchor"] for r in rows)
    assert anchors == sorted("'" + a for a in HOSTILE)
    assert all(r["source_title"].startswith("'=1+") for r in rows)
    assert all(not r["source_outlinks"].startswith("'") for r in rows)  # numbers untouched


def test_cli_csv_neutralises_formulas(hostile_index: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--index", str(hostile_index), "backlinks", "target.test", "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    assert_neutralised(cells(out))


def test_api_csv_neutralises_formulas(hostile_index: Path) -> None:
    with TestClient(create_app(hostile_index)) as client:
        response = client.get("/api/v1/backlinks", params={"target": "target.test",
                                                           "format": "csv"})
        assert response.status_code == 200
        assert_neutralised(cells(response.text))
        anchors = client.get("/api/v1/anchors", params={"target": "target.test",
                                                        "format": "csv"})
        assert sorted(r["anchor"] for r in cells(anchors.text)) == sorted(
            "'" + a for a in HOSTILE)


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("", ""),
    (None, ""), (-3, -3), (2.5, 2.5),
    (["=a", "b"], '["=a", "b"]'), ("a=b", "a=b"), (" =lead space", " =lead space"),
])
def test_csv_cell(value: object, written: object) -> None:
    assert csv_cell(value) == written
