"""Serving: the API key rule, the generation pick-up, the time limit, the OpenAPI schema."""

from __future__ import annotations

import asyncio
import base64
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from linkscope.api import create_app, serve
from linkscope.api.runner import QueryTimeout, ReportRunner
from linkscope.api.server import check_binding, is_loopback
from linkscope.errors import UsageError
from linkscope.rank.job import rank_index
from tests.api.conftest import SampleIndex

TARGET = "pixelbyte.test"
ENDPOINTS = ("overview", "backlinks", "refdomains", "anchors", "refips", "intersect",
             "competitors", "broken", "history", "internal", "search", "mentions", "explain")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.3.4.5", "::1", "localhost"])
def test_loopback_needs_no_key(host: str) -> None:
    assert is_loopback(host)
    check_binding(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.test"])
def test_other_addresses_refuse_to_start_without_a_key(host: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="LINKSCOPE_API_KEY"):
        serve(tmp_path, host=host, port=1, announce=None)
    check_binding(host, "k")  # with a key it may start


def test_the_key_is_accepted_three_ways(sample_index: SampleIndex) -> None:
    app = create_app(sample_index.index, api_key="s3cret")
    basic = base64.b64encode(b"me:s3cret").decode()
    with TestClient(app, raise_server_exceptions=False) as client:
        for headers in ({"X-API-Key": "s3cret"}, {"Authorization": "Bearer s3cret"},
                        {"Authorization": f"Basic {basic}"}):
            assert client.get("/api/v1/overview", params={"target": TARGET},
                              headers=headers).status_code == 200
        assert client.get("/api/v1/openapi.json").status_code == 401
        assert client.get("/static/linkscope.css").status_code == 200  # assets stay open
        page = client.get("/overview", params={"target": TARGET},
                          headers={"Accept": "text/html"})
        assert page.status_code == 401 and page.headers["www-authenticate"].startswith("Basic")


def test_a_new_generation_is_served_without_restart(sample_index: SampleIndex,
                                                    tmp_path: Path) -> None:
    index = tmp_path / "index"
    shutil.copytree(sample_index.epoch0, index)
    app = create_app(index)
    with TestClient(app) as client:
        before = client.get("/api/v1/backlinks", params={"target": TARGET}).json()
        pool = app.state.runner.pool
        old_reader, old_generation = pool._held.reader, pool.generation
        assert before["ranked"] is False
        rank_index(index)  # a writer switches a new generation in
        after = client.get("/api/v1/backlinks", params={"target": TARGET}).json()
        assert after["ranked"] is True and after["total"] == before["total"]
        assert pool.generation != old_generation
        with pytest.raises(Exception, match="(?i)closed"):
            old_reader.con.execute("SELECT 1")  # the old reader was closed once unused
        assert client.get("/api/v1/explain", params={"target": TARGET}).status_code == 200


def test_a_slow_query_is_interrupted_and_frees_its_worker(sample_index: SampleIndex) -> None:
    runner = ReportRunner(sample_index.index, timeout=0.3, workers=1)

    def slow(reader: Any) -> Any:
        return reader.con.execute(
            "SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3").fetchall()

    async def scenario() -> tuple[float, Any]:
        start = time.perf_counter()
        with pytest.raises(QueryTimeout):
            await runner.run(slow)
        # the one worker is free again: a quick query answers at once
        quick = await runner.run(lambda r: r.con.execute("SELECT 42").fetchall())
        return time.perf_counter() - start, quick

    try:
        # in a thread of its own: Playwright's sync API may hold this thread's event loop
        with ThreadPoolExecutor(1) as thread:
            elapsed, quick = thread.submit(asyncio.run, scenario()).result()
    finally:
        runner.close()
    assert quick == [(42,)]
    assert elapsed < 5


def test_openapi_lists_every_report_with_the_cli_names(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for name in ENDPOINTS:
        operation = schema["paths"][f"/api/v1/{name}"]["get"]
        assert set(operation["responses"]) >= {"200", "400", "401", "503"}
        assert "text/csv" in operation["responses"]["200"]["content"]
    params = {p["name"] for p in schema["paths"]["/api/v1/backlinks"]["get"]["parameters"]}
    assert params == {"target", "mode", "scope", "rel", "placement", "kind", "anchor_contains",
                      "anchor_regex", "language", "min_dr", "min_ur", "new_within",
                      "lost_within", "referring_domain", "aggregate", "best", "sort", "order",
                      "limit", "offset", "format"}
    intersect = {p["name"] for p in schema["paths"]["/api/v1/intersect"]["get"]["parameters"]}
    assert {"competitors", "not", "min", "pages"} <= intersect
    assert set(schema["paths"]) == {f"/api/v1/{n}" for n in ENDPOINTS} | {"/api/v1/health"}
