"""The search and mentions endpoints and pages: answers, and bad input named in one line."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_search_endpoint_answers_with_snippets(client: TestClient) -> None:
    answer = client.get("/api/v1/search", params={"query": "recipe", "limit": 5})
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] >= len(body["rows"]) > 0
    assert all("<b>" in row["snippet_html"] for row in body["rows"])
    months = client.get("/api/v1/search", params={"query": "the", "aggregate": "month"})
    assert months.status_code == 200 and months.json()["rows"]
    csv = client.get("/api/v1/search", params={"query": "recipe", "format": "csv"})
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("title,url,snippet")


def test_mentions_endpoint(client: TestClient) -> None:
    answer = client.get("/api/v1/mentions", params={"term": "the team at",
                                                     "target": "pixelbyte.test",
                                                     "competitor": ["melodyreverb.example"]})
    assert answer.status_code == 200
    rows = answer.json()["rows"]
    assert rows and all(row["domain"] != "pixelbyte.test" for row in rows)
    assert all(row["links_to_competitors"] in ([], ["melodyreverb.example"]) for row in rows)


def test_bad_input_is_named(client: TestClient) -> None:
    for params, where in (({"query": 'title:"open'}, "query"),
                          ({"query": "x", "published_after": "2025-13-01"}, "published_after"),
                          ({"query": "x", "min_dr": "200"}, "min_dr"),
                          ({"term": "x", "target": "no domain"}, "target"),
                          ({"term": "   "}, "term")):
        name = "search" if "query" in params else "mentions"
        answer = client.get(f"/api/v1/{name}", params=params)
        assert answer.status_code == 400, (params, answer.text)
        assert answer.json()["error"]["parameter"] == where, answer.text
        if all(str(v).strip() for v in params.values()):  # a blank term: the empty form
            page = client.get(f"/{name}", params=params, headers={"Accept": "text/html"})
            assert page.status_code == 400 and where in page.text
