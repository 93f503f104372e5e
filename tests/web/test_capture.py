"""The evidence behind a backlink: the archived referring page, shown sandboxed, with the link
highlighted; nothing in it runs or loads, and only captures the index names can be read."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from linkscope.web.capture import make_safe
from tests.web.conftest import shot

TARGET = "pixelbyte.test"


def first_backlink(client: TestClient) -> dict[str, Any]:
    rows = client.get("/api/v1/backlinks", params={"target": TARGET, "limit": 5}).json()["rows"]
    assert rows and all(r["warc_file"] and r["warc_offset"] is not None for r in rows)
    return rows[0]


def capture_params(row: dict[str, Any]) -> dict[str, Any]:
    return {"source": row["source"], "target": row["target"], "warc_file": row["warc_file"],
            "warc_offset": row["warc_offset"]}


def test_backlinks_carry_the_capture_they_were_read_from(client: TestClient) -> None:
    from linkscope.warc import WarcPage, iter_fetched_pages

    row = first_backlink(client)
    (page,) = [p for p in iter_fetched_pages(row["warc_file"], start=row["warc_offset"],
                                             stop=row["warc_offset"] + 1)
               if isinstance(p, WarcPage)]
    assert page.url == row["source"]


def test_the_archived_page_is_served_safe(client: TestClient) -> None:
    row = first_backlink(client)
    frame = client.get("/capture/page", params=capture_params(row))
    assert frame.status_code == 200
    policy = frame.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert 'id="linkscope-link"' in frame.text
    assert "<script" not in frame.text.lower()
    page = client.get("/capture", params=capture_params(row), headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<iframe" in page.text and "sandbox" in page.text


@pytest.mark.parametrize("change", [
    {"warc_offset": 1}, {"target": "http://elsewhere.test/"},
    {"warc_file": "/etc/passwd"}, {"warc_offset": "ten"}, {"source": None},
])
def test_only_captures_the_index_names_are_read(client: TestClient,
                                                change: dict[str, Any]) -> None:
    params = {k: v for k, v in {**capture_params(first_backlink(client)), **change}.items()
              if v is not None}
    response = client.get("/capture/page", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] in ("warc_offset", "target", "source",
                                                     "warc_file")
    assert "root:" not in response.text


def test_make_safe_removes_what_runs_or_loads() -> None:
    html = ("<html><head><script>alert(1)</script><meta http-equiv='refresh' "
            "content='0;url=http://away.test/'><link rel=stylesheet href='http://away.test/c'>"
            "<base href='/sub/'></head><body><img src='http://away.test/i.png' srcset='x 2x'>"
            "<iframe src='http://away.test/'></iframe><form action='http://away.test/f'>"
            "</form><a href='page'>rel</a><a href='http://t.test/'>T</a>"
            "<a href='HTTP://T.TEST/#x'>again</a></body></html>")
    safe, marked = make_safe(html, "http://s.test/dir/x.html", "http://t.test/")
    assert marked == 2 and safe.count('id="linkscope-link"') == 1
    for gone in ("<script", "refresh", "<link", "<base", "src=", "srcset", "<iframe",
                 "action="):
        assert gone not in safe, gone
    assert 'title="http://s.test/sub/page"' in safe  # resolved against <base>, kept as a title
    assert not re.search(r'href="(?!#)', safe)  # every link stays on the page


@pytest.mark.browser
def test_capture_view_in_chromium(page: Any, live_server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/backlinks?target={TARGET}&limit=10")
    page.get_by_role("link", name="archived page").first.click()
    page.wait_for_url(re.compile(r"/capture\?"))
    assert "Archived referring page" in page.get_by_role("heading", level=1).inner_text()
    frame = page.frame_locator("iframe.capture-frame")
    marked = frame.locator("#linkscope-link")
    marked.wait_for()
    assert "linkscope-link" in (marked.get_attribute("class") or "")
    assert marked.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert frame.locator("script").count() == 0
    shot(page, "capture", full_page=True)
    server = urlsplit(live_server).netloc
    assert requests and all(urlsplit(u).netloc == server for u in requests), requests
