"""The Site Explorer in a real headless Chromium: search, every report, filters, paging,
sorting, CSV export, explanations; screenshots under test-artifacts/; no console errors."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from tests.web.conftest import shot

pytestmark = pytest.mark.browser
TARGET = "pixelbyte.test"


def test_search_then_overview_with_charts(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Target").fill(TARGET)
    page.get_by_label("Mode").select_option("domain")
    page.get_by_role("button", name="Explore").click()
    page.wait_for_url(re.compile(r"/overview\?"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Overview")
    page.wait_for_function("() => document.querySelectorAll('canvas').length === 5 && "
                           "[...document.querySelectorAll('canvas')]"
                           ".every(c => Chart.getChart(c))")
    figures = page.locator(".card .figure").all_inner_texts()
    assert figures[0].strip().isdigit() and figures[2].replace(",", "").strip().isdigit()
    shot(page, "overview", full_page=True)


@pytest.mark.parametrize("tab", ["Backlinks", "Referring domains", "Anchors", "Broken links",
                                 "New and lost", "Internal links", "Competitors",
                                 "Link intersect"])
def test_every_report_opens_from_its_tab(page: Any, tab: str) -> None:
    page.goto(f"/overview?target={TARGET}")
    page.get_by_role("navigation", name="Reports").get_by_role("link", name=tab).click()
    page.wait_for_load_state()
    assert tab.split()[0] in page.get_by_role("heading", level=1).inner_text()
    if tab != "Link intersect":
        assert page.locator("table.report tbody tr").count() > 0 or tab == "Broken links"
    shot(page, "report-" + tab.lower().replace(" ", "-"))


def test_backlinks_filters_sorting_and_export(page: Any) -> None:
    page.goto(f"/backlinks?target={TARGET}")
    all_rows = page.locator(".range").inner_text()
    shot(page, "backlinks")
    page.get_by_text("Filters").click()
    page.get_by_label("nofollow").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"rel=nofollow"))
    assert page.locator(".range").inner_text() != all_rows
    badges = page.locator("tbody .badge.warn").count()
    assert badges == page.locator("tbody tr").count() > 0
    page.get_by_role("columnheader", name="DR").get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=source_dr"))
    assert page.get_by_role("columnheader", name="DR").get_attribute("aria-sort") == \
        "descending"
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["follow"] == "False" for r in rows)
    shot(page, "backlinks-filtered")


def test_paging_through_referring_domains(page: Any) -> None:
    page.goto(f"/refdomains?target={TARGET}&limit=10")
    assert page.locator(".range").inner_text().startswith("Rows 1–10 of")
    first = page.locator("tbody tr").first.inner_text()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"offset=10"))
    assert page.locator(".range").inner_text().startswith("Rows 11–")
    assert page.locator("tbody tr").first.inner_text() != first
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url(re.compile(r"offset=0"))
    assert page.locator("tbody tr").first.inner_text() == first


def test_explanations_from_the_dr_figure_and_a_backlinks_ur(page: Any) -> None:
    page.goto(f"/overview?target={TARGET}")
    page.locator(".card.big .figure a").first.click()
    page.wait_for_url(re.compile(r"/explain\?"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("DR")
    assert page.locator("table.report tbody tr").count() > 0
    shot(page, "explain-dr")
    page.goto(f"/backlinks?target={TARGET}")
    page.locator("td.ur a").first.click()
    page.wait_for_url(re.compile(r"/explain\?"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("UR")
    shot(page, "explain-ur")


def test_link_intersect_with_several_competitors(page: Any) -> None:
    page.goto("/intersect")
    page.get_by_label("Competitor 1").fill(TARGET)
    page.get_by_label("Competitor 2").fill("melodyreverb.example")
    page.get_by_label("Competitor 3").fill("ledgercapital.test")
    page.get_by_label("Min competitors").fill("2")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"competitors="))
    assert page.locator("tbody tr").count() > 0
    shot(page, "intersect")


def test_tables_work_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"/refdomains?target={TARGET}&limit=10")
    tab.get_by_role("link", name="Next →").click()
    assert "offset=10" in tab.url and tab.locator("tbody tr").count() > 0
    tab.get_by_label("Rows").select_option("25")
    tab.get_by_role("button", name="Apply").click()
    assert "limit=25" in tab.url
    context.close()
