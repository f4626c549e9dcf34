"""The managers' dashboard in a real browser, on the demo city with its figures computed as the nightly job does:
the demo city manager sees the registry's, the charity and the community councils' panels with their charts,
drills down into 香洲区 (the breadcrumb follows), and the whole page is captured in Chinese and, after the language
switcher, in English (kept under test-artifacts/ for a reviewer to look at)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civic import figures
from tests.browser.test_relief import demo_city, sign_in  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PANELS = ("population", "charity", "governance")  # the registry's and this suite's own; others may be there too


def _screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.exists() and path.stat().st_size > 20_000, f"{path} is missing or nearly empty"
    return path


def test_the_city_manager_reads_the_dashboard_drills_down_and_switches_language(page, demo_city):  # noqa: F811
    refreshed = figures.refresh_all()
    assert refreshed["charity.donations"] and refreshed["governance.execution"]

    sign_in(page, "manager")
    page.goto("/dashboard/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("珠海市")
    for key in PANELS:
        expect(page.get_by_test_id(f"panel-{key}")).to_be_visible()
    # The city's charity federation keeps its fund at the city's own level: a row of its own.
    expect(page.get_by_test_id("table-charity-funds")).to_contain_text("珠海市")
    expect(page.get_by_test_id("table-governance-execution")).to_contain_text("%")

    page.get_by_test_id("dashboard-children").get_by_role("link", name="香洲区").click()
    expect(page).to_have_url("/dashboard/?region=440402000000")
    trail = page.get_by_test_id("dashboard-trail")
    expect(trail.get_by_role("link", name="珠海市")).to_have_attribute("href", "?region=440400000000")
    expect(trail.locator("strong")).to_have_text("香洲区")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("香洲区")
    expect(page.get_by_test_id("dashboard-children")).to_contain_text("拱北街道")
    for key in PANELS:
        expect(page.get_by_test_id(f"panel-{key}")).to_be_visible()
    chart = page.get_by_test_id("table-governance-execution-trend").locator("figure svg.chart")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100
    expect(page.get_by_test_id("table-charity-funds-trend").locator("figure svg.chart")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    chinese = _screenshot(page, "dashboard-440402-zh-hans.png")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url("/dashboard/?region=440402000000")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("Dashboard")
    expect(page.get_by_test_id("dashboard-trail").locator("strong")).to_have_text("香洲区")
    expect(page.get_by_test_id("panel-charity").locator("h2")).to_have_text("Charity")
    expect(page.get_by_test_id("panel-governance").locator("h2")).to_have_text("Community councils")
    expect(page.get_by_test_id("table-governance-execution")).to_contain_text("Execution rate")
    expect(page.get_by_test_id("table-governance-execution-trend").locator("figure svg.chart")).to_be_visible()
    english = _screenshot(page, "dashboard-440402-en.png")
    assert chinese.read_bytes() != english.read_bytes()
