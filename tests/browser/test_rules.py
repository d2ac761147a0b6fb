"""The employment office writes a rule in Chinese, tests it on today's students, saves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.identification import services
from jingzhun.identification.models import Rule
from jingzhun.students.tests.factories import AcademicResultFactory
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_test_and_save_a_rule(
    live_server, page: Page, device: Device, college: College
) -> None:
    services.difficulty_types_ensure()
    AcademicResultFactory(student=college.student_a, term="2025-2026-1", failed_courses=2)
    AcademicResultFactory(student=college.student_a, term="2025-2026-2", failed_courses=3)
    log_in(page, live_server.url, "T0002")
    open_menu_item(page, device, "/identification/rules/")
    with page.expect_navigation():
        page.click("[data-testid=rule-new]")
    page.fill("#id_name", "挂科较多")
    page.select_option("#id_difficulty_type", label="学业困难")
    # Each row offers only the operators its field takes: text fields their own five.
    page.select_option("#id_c-1-field", "major_name")
    offered = page.locator("#id_c-1-op option:not([disabled])")
    expect(offered).to_have_count(5)
    assert offered.evaluate_all("options => options.map(o => o.value)") == [
        "==", "!=", "contains", "not_contains", "starts_with",
    ]  # fmt: skip
    page.select_option("#id_c-1-field", "")  # an empty row is ignored
    page.select_option("#id_c-0-field", "failed_courses_last2")
    page.select_option("#id_c-0-op", ">=")
    page.fill("#id_c-0-value", "4")
    page.click("[data-testid=rule-preview]")  # HTMX: the preview replaces its box, no reload
    expect(page.locator("[data-testid=preview-hits]")).to_have_text("1", timeout=15_000)
    expect(page.locator("[data-testid=preview-student]")).to_contain_text(
        "近两学期不及格课程 5 门（阈值 ≥4）"
    )
    assert not Rule.objects.exists()
    page.screenshot(path=screenshot_path("rule-editor", f"preview-{device.name}"), full_page=True)

    page.fill("#id_c-0-value", "六")  # a typing slip is named at its row
    with page.expect_navigation():
        page.click("[data-testid=rule-save]")
    expect(page.locator("#rule-form")).to_contain_text("“近两学期不及格课程”的阈值必须是数字")
    page.fill("#id_c-0-value", "4")
    with page.expect_navigation():
        page.click("[data-testid=rule-save]")
    expect(page.locator("[data-testid=rule-row]")).to_contain_text("近两学期不及格课程 ≥4 门")
    assert Rule.objects.get().condition == {"field": "failed_courses_last2", "op": ">=", "value": 4}
