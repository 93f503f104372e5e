"""Content Explorer and unlinked mentions in a real headless Chromium: the search box and its
filters, highlighted snippets (escaped), the chart by month of publication and the top sites;
screenshots under test-artifacts/; no console errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import shot

pytestmark = pytest.mark.browser


def test_content_explorer_with_snippets_chart_and_top_sites(page: Any) -> None:
    page.goto("/search")
    page.get_by_label("Search").fill("recipe")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/search\?.*query=recipe"))
    rows = page.locator("table.report tbody tr")
    assert rows.count() > 0
    marks = page.locator("table.report td.snippet b").all_inner_texts()
    assert marks and all(m.lower() == "recipe" for m in marks)
    page.wait_for_function("() => Chart.getChart(document.getElementById('chart-months'))")
    assert page.locator("table.top-sites tbody tr").count() > 0
    shot(page, "content-explorer", full_page=True)
    page.locator("table.top-sites tbody a").first.click()
    page.wait_for_url(re.compile(r"site%3A|site:"))
    assert page.locator("table.report tbody tr").count() > 0


def test_content_explorer_filters_and_author_groups(page: Any) -> None:
    page.goto("/search?query=the&aggregate=author")
    assert page.locator("table.report tbody tr").count() > 0
    page.goto("/search?query=the&published_after=2025-01-01&sort=date")
    dates = page.locator("table.report tbody tr").count()
    assert dates > 0


def test_unlinked_mentions_page(page: Any) -> None:
    page.goto("/mentions")
    page.get_by_label("Term").fill("the team at")
    page.get_by_label("Your domain").fill("pixelbyte.test")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/mentions\?"))
    assert page.locator("table.report tbody tr").count() > 0
    assert page.locator("table.report td.snippet b").count() > 0
    shot(page, "mentions", full_page=True)
