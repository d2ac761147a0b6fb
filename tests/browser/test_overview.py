"""Leadership's overview in a real Chromium, desktop and phone: the ECharts charts draw from
the page's JSON block under the Content-Security-Policy, and a number opens the case list
filtered the same way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.analytics.tests.data import populate
from jingzhun.identification.models import DifficultyType
from jingzhun.org.models import School
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTS = ("funnel", "levels", "matrix", "cohorts", "trend")


def test_leadership_opens_the_overview_and_drills_down(
    live_server, page: Page, device: Device, college: College
) -> None:
    populate(college)
    log_in(page, live_server.url, "T0001")  # leadership
    open_menu_item(page, device, "/analytics/overview/")

    for name in CHARTS:
        drawn = page.locator(f"[data-chart='{name}'] canvas")
        expect(drawn.first).to_be_visible()
        box = page.locator(f"[data-chart='{name}']").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] >= 240
        assert box["x"] + box["width"] <= page.viewport_size["width"] + 1  # type: ignore[index]
    page.screenshot(path=str(screenshot_path(f"overview-{device.name}", "charts")), full_page=True)

    # Family finances are not leadership's to open: the economic count is no link.
    economic = DifficultyType.objects.get(code="economic").pk
    row = page.locator("[data-testid=matrix-row]", has_text="信息工程学院")
    expect(row.locator(f"a[href*='difficulty_type={economic}']")).to_have_count(0)
    academic = DifficultyType.objects.get(code="academic").pk
    cell = row.locator(f"a[href*='difficulty_type={academic}']")
    expect(cell).to_have_text("3")
    with page.expect_navigation():
        cell.click()
    assert re.search(rf"/cases/\?.*school={college.school_a.pk}", page.url)
    assert f"difficulty_type={academic}" in page.url
    expect(page.locator("[data-testid=case-row]")).to_have_count(3)


def test_tooltips_draw_under_the_policy_and_names_stay_text(
    live_server, page: Page, device: Device, college: College
) -> None:
    populate(college)
    School.objects.filter(pk=college.school_b.pk).update(name="<b>财经</b><img src=x>")
    log_in(page, live_server.url, "T0001")
    page.goto(f"{live_server.url}/analytics/overview/")
    expect(page.locator("[data-chart='matrix'] canvas").first).to_be_visible()
    page.evaluate(
        """() => echarts.getInstanceByDom(document.querySelector("[data-chart='matrix']"))
              .dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1})"""
    )
    page.wait_for_timeout(300)  # the tip is drawn on the canvas; the fixture fails on CSP reports
    expect(page.locator("[data-chart='matrix'] img, [data-chart='matrix'] b")).to_have_count(0)
    for name in ("funnel", "levels", "cohorts", "trend"):
        page.evaluate(
            """(name) => echarts.getInstanceByDom(document.querySelector(`[data-chart='${name}']`))
                  .dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0})""",
            name,
        )
    page.wait_for_timeout(300)


def test_choosing_what_to_count_keeps_the_charts(
    live_server, page: Page, device: Device, college: College
) -> None:
    populate(college)
    log_in(page, live_server.url, "T0001")
    page.goto(f"{live_server.url}/analytics/overview/")
    with page.expect_navigation():
        page.select_option("select[name=status]", "confirmed")
    assert page.url.endswith("?status=confirmed")
    expect(page.locator("[data-testid=counted]")).to_have_text("8")
    expect(page.locator("[data-chart='matrix'] canvas").first).to_be_visible()


def test_the_supervisor_sees_suppressed_charts_without_links(
    live_server, page: Page, device: Device, college: College
) -> None:
    populate(college)
    log_in(page, live_server.url, "T0010")  # provincial supervisor
    open_menu_item(page, device, "/analytics/provincial/")

    for name in CHARTS:
        expect(page.locator(f"[data-chart='{name}'] canvas").first).to_be_visible()
    expect(page.locator("[data-testid=suppression-note]")).to_be_visible()
    expect(page.locator("main a[href*='/cases/'], main a[href*='/students/']")).to_have_count(0)
    expect(page.locator("[data-testid=suppressed]").first).to_have_text(re.compile(r"^(<5|—)$"))
    html = page.content()
    assert "王小明" not in html and college.student_a.student_number not in html
