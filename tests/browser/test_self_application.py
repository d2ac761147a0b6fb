"""自主申请帮扶 on a phone: a student applies and sees it pending; the counsellor confirms it
from the review queue; the student then sees the result."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.identification import services as identification
from jingzhun.identification.models import Case, Level
from tests.browser.conftest import DEVICES, Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "家里今年收入减少，想申请求职补贴，也想请老师帮我改简历。"
APPLY = "/portal/apply/"


@pytest.fixture
def device() -> Device:
    """Students apply from their phones: this journey runs on the phone only."""
    return DEVICES["phone"]


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("[data-testid=application-form] button[type=submit]")


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"  # type: ignore[index]


def test_student_applies_then_the_counsellor_confirms(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    types = identification.difficulty_types_ensure()  # the flushed database lost the seeded ones
    base = live_server.url
    log_in(page, base, "2024010001")
    expect(page.get_by_test_id("apply-link")).to_be_visible()

    open_menu_item(page, device, APPLY)
    expect(page.locator("h1")).to_have_text(zh("Apply for assistance"))
    expect(page.locator(f"input[name=types][value='{types['model_risk'].pk}']")).to_have_count(0)
    fits_the_screen(page)
    page.check(f"input[name=types][value='{types['economic'].pk}']")
    page.check(f"input[name=types][value='{types['employability'].pk}']")
    page.fill("textarea[name=note]", REASON)
    page.screenshot(path=str(screenshot_path("self-application-form", device.name)), full_page=True)
    submit(page)  # without the confirmation: shown again, nothing lost
    expect(page.get_by_test_id("error-confirm")).to_have_text(
        zh("Please confirm that the information is true.")
    )
    expect(page.locator("textarea[name=note]")).to_have_value(REASON)
    expect(page.locator(f"input[name=types][value='{types['economic'].pk}']")).to_be_checked()
    assert not Case.objects.exists()

    page.check("input[name=confirm]")
    submit(page)
    card = page.get_by_test_id("application-status")
    expect(card).to_contain_text(zh("Submitted, waiting for your counsellor's review"))
    expect(page.get_by_test_id("status")).to_have_text(
        zh(identification.STATUS_FOR_STUDENT["candidate"])
    )
    expect(card).to_contain_text(REASON)
    expect(page.get_by_test_id("application-form")).to_have_count(0)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("self-application", device.name)), full_page=True)

    page.context.clear_cookies()
    log_in(page, base, college.user("counsellor_a").username)
    open_menu_item(page, device, "/identification/review/")
    candidate = page.locator("[data-testid=candidate]", has_text="王小明")
    expect(candidate.get_by_test_id("origin")).to_have_text(zh("Self-application"))
    expect(candidate.get_by_test_id("applied-types")).to_contain_text("经济困难")
    expect(candidate.get_by_test_id("applied-types")).to_contain_text("就业能力不足")
    page.screenshot(
        path=str(screenshot_path("self-application-review", device.name)), full_page=True
    )
    with page.expect_navigation():
        candidate.get_by_test_id("confirm").click()
    expect(page.locator("[data-testid=candidate]", has_text="王小明")).to_have_count(0)
    case = Case.objects.get(student=college.student_a)
    assert (case.status, case.origin, case.level) == ("confirmed", "self", Level.GENERAL)
    assert case.responsible == college.user("counsellor_a")

    page.context.clear_cookies()
    log_in(page, base, "2024010001")
    page.goto(f"{base}{APPLY}")
    expect(page.get_by_test_id("status")).to_have_text(
        zh(identification.STATUS_FOR_STUDENT["confirmed"])
    )
