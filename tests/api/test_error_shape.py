"""One error shape for every error: {"error": {"status", "parameter", "message"}}."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from linkscope.api import create_app

TARGET = "pixelbyte.test"


def assert_error(response: Any, status: int, parameter: str | None) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "parameter", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["parameter"] == parameter
    message: str = body["error"]["message"]
    assert message and "Traceback" not in message
    return message


@pytest.mark.parametrize(("path", "params", "parameter", "words"), [
    ("backlinks", {}, "target", "required"),
    ("backlinks", {"target": ""}, "target", "at least 1"),
    ("backlinks", {"target": TARGET, "limit": 0}, "limit", "greater than or equal to 1"),
    ("backlinks", {"target": TARGET, "limit": 5000}, "limit", "less than or equal to 1000"),
    ("backlinks", {"target": TARGET, "limit": "ten"}, "limit", "integer"),
    ("backlinks", {"target": TARGET, "offset": -1}, "offset", "greater than or equal to 0"),
    ("backlinks", {"target": TARGET, "mode": "planet"}, "mode", "'exact'"),
    ("backlinks", {"target": TARGET, "scope": "forever"}, "scope", "'live'"),
    ("backlinks", {"target": TARGET, "rel": "dofollow"}, "rel", "'nofollow'"),
    ("backlinks", {"target": TARGET, "min_dr": 101}, "min_dr", "100"),
    ("backlinks", {"target": TARGET, "sort": "colour"}, "sort", "'value'"),
    ("anchors", {"target": TARGET, "sort": "value"}, "sort", "'ref_domains'"),
    ("backlinks", {"target": TARGET, "min-dr": 30}, "min-dr", "unknown parameter"),
    ("refips", {"target": TARGET, "group": "country"}, "group", "'subnet'"),
    ("backlinks", {"target": TARGET, "anchor_regex": "(unclosed"}, "anchor_regex",
     "bad regular expression"),
    ("backlinks", {"target": TARGET, "format": "xml"}, "format", "'csv'"),
    ("backlinks", {"target": "nowhere.test"}, "target", "not in the index"),
    ("overview", {"target": "com"}, "target", "public suffix"),
    ("backlinks", {"target": "https://"}, "target", "not an http(s) URL"),
    ("intersect", {}, "competitors", "required"),
    ("intersect", {"competitors": TARGET, "min": 2}, "min", ""),
    # a competitor the index does not know is named as the competitors parameter, not target
    ("intersect", {"competitors": [TARGET, "nowhere.test"]}, "competitors", "not in the index"),
    ("intersect", {"competitors": TARGET, "not": "com"}, "not", "public suffix"),
    ("history", {"target": TARGET, "interval": "year"}, "interval", "'day'"),
    ("explain", {"target": "http://nowhere.test/"}, "target", "not in the index"),
])
def test_bad_parameters_name_the_parameter(client: TestClient, path: str,
                                           params: dict[str, Any], parameter: str,
                                           words: str) -> None:
    message = assert_error(client.get(f"/api/v1/{path}", params=params), 400, parameter)
    assert words in message


def test_unknown_route_and_method(client: TestClient) -> None:
    assert "/api/v1/toxic" in assert_error(client.get("/api/v1/toxic"), 404, None)
    assert_error(client.get("/nowhere", headers={"Accept": "application/json"}), 404, None)
    assert "read-only" in assert_error(client.delete("/api/v1/backlinks"), 405, None)


def test_an_html_client_gets_the_same_fields_as_a_page(client: TestClient) -> None:
    response = client.get("/nowhere", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "Error 404" in response.text and "/nowhere" in response.text


def test_missing_index_is_503(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "none"), raise_server_exceptions=False) as client:
        message = assert_error(client.get("/api/v1/overview", params={"target": TARGET}),
                               503, None)
    assert str(tmp_path / "none") in message


def test_query_past_the_time_limit_is_503(sample_index: Any) -> None:
    app = create_app(sample_index.index, query_timeout=0.0)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/backlinks", params={"target": TARGET})
    assert "took longer than 0 s" in assert_error(response, 503, None)
    assert response.headers["retry-after"] == "1"


def test_internal_error_is_500_without_details(sample_index: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import linkscope.reports.links as links

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(links, "anchors", broken)
    with TestClient(create_app(sample_index.index), raise_server_exceptions=False) as client:
        message = assert_error(client.get("/api/v1/anchors", params={"target": TARGET}), 500,
                               None)
    assert "secret" not in message


def test_missing_api_key_is_401(sample_index: Any) -> None:
    app = create_app(sample_index.index, api_key="s3cret")
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/overview", params={"target": TARGET})
        assert "API key" in assert_error(response, 401, None)
        assert_error(client.get("/api/v1/health", headers={"X-API-Key": "wrong"}), 401, None)
