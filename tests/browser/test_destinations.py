"""The student's journey of the management issue, end to end: on a 390×844 phone the student
reads a published procedure, checks what subsidy they may apply for (eligible, with the reason),
and registers a destination with a photo of the agreement → the school officer verifies it,
then the employment office (desktop) → the placement rate page shows the cohort's rate moved
from 0 of 2 to 1 of 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import College
from jingzhun.assistance.tests.helpers import dibao, subsidy_policy
from jingzhun.students.models import DestinationCode, Student
from jingzhun.students.reference import DESTINATION_CODES
from jingzhun.tracking.destination_demo import png_bytes
from jingzhun.tracking.destinations.models import DestinationRegistration
from jingzhun.tracking.tests.publication_helpers import article
from tests.browser.conftest import DEVICES, TIMEOUT_MS, Device, screenshot_path
from tests.browser.test_assistance import fits_the_screen
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def _page(browser: Browser, device: Device) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **device.options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()
    assert problems == []


def _rate_total(page: Page, base: str) -> tuple[str, str, str]:
    page.goto(f"{base}/tracking/placement-rate/?by=school")
    total = page.get_by_test_id("rate-total")
    return (total.get_attribute("data-graduates") or "", total.get_attribute("data-placed") or "",
            total.locator("td").last.inner_text())  # fmt: skip


def _verify(page: Page, base: str, username: str, registration: DestinationRegistration) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, base, username)
    open_menu_item(page, DEVICES["desktop"], "/tracking/destinations/")
    expect(page.get_by_test_id("destination-count")).to_contain_text("1")
    with page.expect_navigation():
        page.get_by_test_id(f"destination-row-{registration.pk}").locator("a").click()
    with page.expect_navigation():
        page.get_by_test_id("destination-verify").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_student_registers_on_the_phone_and_the_rate_moves(
    live_server: Any, college: College, browser: Browser
) -> None:
    base = live_server.url
    for code, name, category in DESTINATION_CODES:  # a transactional test's flush empties them
        DestinationCode.objects.update_or_create(
            code=code, defaults={"name": name, "category": category}
        )
    cohort = timezone.localdate().year + 1  # the default deadline (31 August) is ahead
    Student.objects.filter(pk__in=[college.student_a.pk, college.student_b.pk]).update(
        cohort=cohort
    )
    procedure = article(college)  # 求职创业补贴申请流程, for every student
    policy = subsidy_policy(college, year=cohort)
    dibao(college.student_a)

    with _page(browser, DEVICES["desktop"]) as office:
        log_in(office, base, college.user("employment_officer").username)
        assert _rate_total(office, base) == ("2", "0", "0.0%")

    phone = DEVICES["phone"]
    with _page(browser, phone) as page:
        log_in(page, base, "2024010001")
        # A policy: the procedure is new to her, and its steps read on the phone.
        open_menu_item(page, phone, "/portal/policies/")
        expect(page.get_by_test_id("policy")).to_have_count(1)
        expect(page.get_by_test_id("new-badge")).to_have_count(1)
        with page.expect_navigation():
            page.get_by_test_id("policy").click()
        assert page.url.endswith(f"/portal/policies/{procedure.pk}/")
        expect(page.get_by_test_id("step")).to_have_count(2)
        fits_the_screen(page)
        # Eligibility: the subsidy is open to her, with the certificate that qualifies her.
        open_menu_item(page, phone, "/portal/subsidies/")
        offer = page.get_by_test_id(f"offer-{policy.pk}")
        expect(offer).to_have_attribute("data-eligible", "yes")
        expect(offer).to_contain_text("低保证")
        expect(page.get_by_test_id(f"apply-form-{policy.pk}")).to_be_visible()
        fits_the_screen(page)
        open_menu_item(page, phone, "/portal/destination/")
        expect(page.get_by_test_id("no-destination")).to_be_visible()
        page.select_option("#id_code", "10")
        page.fill("#id_employer_name", "郑州宇通客车股份有限公司")
        page.fill("#id_credit_code", "91410000170017593M")
        page.fill("#id_city", "郑州市")
        page.fill("#id_monthly_wage", "4800")
        page.select_option("#id_evidence_kind", "agreement")
        page.set_input_files(
            "#id_evidence_file",
            files=[
                {"name": "就业协议书.png", "mimeType": "image/png", "buffer": png_bytes(120, 160)}
            ],
        )
        fits_the_screen(page)
        with page.expect_navigation():
            page.get_by_test_id("destination-submit").click()
        expect(page.get_by_test_id("my-destination")).to_have_attribute("data-status", "submitted")
        fits_the_screen(page)
        page.screenshot(
            path=str(screenshot_path("destination-registered", phone.name)), full_page=True
        )

    registration = DestinationRegistration.objects.get()
    assert (registration.student_id, registration.code_id, registration.evidence.get().kind) == (
        college.student_a.pk,
        "10",
        "agreement",
    )

    with _page(browser, DEVICES["desktop"]) as page:
        _verify(page, base, college.user("school_officer_a").username, registration)
        expect(page.get_by_test_id("destination-status")).to_have_attribute(
            "data-status", "school_verified"
        )
        _verify(page, base, college.user("employment_officer").username, registration)
        expect(page.get_by_test_id("destination-status")).to_have_attribute(
            "data-status", "office_verified"
        )
        assert _rate_total(page, base) == ("2", "1", "50.0%")
        rows = page.get_by_test_id("rate-row")
        expect(rows).to_have_count(2)
        expect(rows.first).to_have_attribute("data-placed", "1")
        page.screenshot(path=str(screenshot_path("destination-rate", "desktop")), full_page=True)
