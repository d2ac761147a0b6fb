"""Subsidies end to end, on the desktop and on a 390×844 phone: the student applies with the
documents → the school approves → the employment office approves → the aid centre (finance)
approves and records the payment → the student sees the application paid (已发放)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.assistance.subsidy_models import SubsidyApplication
from jingzhun.assistance.tests.helpers import DOCUMENTS, PDF, dibao, subsidy_policy
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_assistance import _switch, fits_the_screen
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REFERENCE = "ZZZX-202612-0001"


def _approve(page: Page, base: str, device: Device, username: str, slug: str, status: str) -> None:
    _switch(page, base, username)
    open_menu_item(page, device, "/assistance/subsidies/")
    expect(page.get_by_test_id("subsidy-count")).to_contain_text("1")
    fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("subsidy-2024010001").click()
    with page.expect_navigation():
        page.get_by_test_id(f"step-{slug}").click()
    expect(page.locator(".alert-success")).to_contain_text("王小明")
    expect(page.get_by_test_id("subsidy-status")).to_have_attribute("data-status", status)


def test_student_applies_and_is_paid_after_three_approvals(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    policy = subsidy_policy(college)
    dibao(college.student_a)
    base = live_server.url

    log_in(page, base, college.user("student_a").username)
    open_menu_item(page, device, "/portal/subsidies/")
    offer = page.get_by_test_id(f"offer-{policy.pk}")
    expect(offer).to_have_attribute("data-eligible", "yes")
    expect(offer.get_by_test_id("eligibility-reasons")).to_contain_text("低保证 ****0031")
    for n, _name in enumerate(DOCUMENTS):
        page.set_input_files(f"#doc-{policy.pk}-{n}", files=[
            {"name": f"材料{n + 1}.pdf", "mimeType": "application/pdf", "buffer": PDF}])  # fmt: skip
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("subsidy-apply", device.name)), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id(f"apply-{policy.pk}").click()
    expect(page.get_by_test_id("subsidy-status")).to_have_attribute("data-status", "submitted")
    application = SubsidyApplication.objects.get()
    assert application.documents.count() == len(DOCUMENTS)

    _approve(
        page,
        base,
        device,
        college.user("school_officer_a").username,
        "school-approve",
        "school_approved",
    )
    _approve(
        page,
        base,
        device,
        college.user("employment_officer").username,
        "office-approve",
        "office_approved",
    )
    _approve(
        page,
        base,
        device,
        college.user("aid_staff").username,
        "finance-approve",
        "finance_approved",
    )
    page.fill("#reference", REFERENCE)
    fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("step-pay").click()
    expect(page.get_by_test_id("subsidy-status")).to_have_attribute("data-status", "paid")
    expect(page.get_by_test_id("subsidy-paid-on")).to_contain_text(REFERENCE)

    _switch(page, base, college.user("student_a").username)
    open_menu_item(page, device, "/portal/subsidies/")
    expect(page.get_by_test_id(f"my-application-{application.pk}").locator("[data-status]")).to_have_attribute(
        "data-status", "paid")  # fmt: skip
    with page.expect_navigation():
        page.get_by_test_id(f"my-application-{application.pk}").click()
    expect(page.get_by_test_id("subsidy-status")).to_have_attribute("data-status", "paid")
    expect(page.get_by_test_id("subsidy-history").locator("li")).to_have_count(5)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("subsidy-paid", device.name)), full_page=True)
    application.refresh_from_db()
    assert (application.status, application.payment_reference) == ("paid", REFERENCE)
