"""Under the Content-Security-Policy the pages still behave: the class choice sends its form,
confirmations ask first, profile tabs follow the click, the API documentation works. The
`page` fixture fails any test on which Chromium reports a policy violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from conftest import College
from jingzhun.identification import services
from jingzhun.identification.models import Case
from tests.browser.conftest import Device
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def test_review_class_choice_and_bulk_confirmation_without_inline_script(
    live_server, page: Page, device: Device, college: College
) -> None:
    types = services.difficulty_types_ensure()
    Case.objects.create(student=college.student_a, level=2).types.set([types["economic"]])
    log_in(page, live_server.url, "T0008")  # counsellor of class A
    open_menu_item(page, device, "/identification/review/")

    with page.expect_navigation():
        page.select_option("select[name=class_group]", str(college.class_a.pk))
    assert f"class_group={college.class_a.pk}" in page.url

    asked: list[str] = []

    def answer(dialog: Dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.select_option("select[name=scope]", "all")
    page.once("dialog", lambda d: answer(d, accept=False))
    page.click("[data-testid=bulk-submit]")
    expect(page.locator("[data-testid=candidate]")).to_have_count(1)
    assert Case.objects.get().status == "candidate"

    page.once("dialog", lambda d: answer(d, accept=True))
    with page.expect_navigation():
        page.click("[data-testid=bulk-submit]")
    expect(page.locator("[data-testid=candidate]")).to_have_count(0)
    assert Case.objects.get().status == "confirmed"
    assert len(asked) == 2 and asked[0] == asked[1] != ""


def test_profile_tabs_follow_the_click(
    live_server, page: Page, device: Device, college: College
) -> None:
    log_in(page, live_server.url, "T0008")
    page.goto(f"{live_server.url}/students/{college.student_a.pk}/")
    basic = page.locator(".nav-tabs a[href$='/tab/basic/']")
    academic = page.locator(".nav-tabs a[href$='/tab/academic/']")
    expect(basic).to_have_class(re.compile(r"\bactive\b"))

    with page.expect_response(lambda r: "/tab/academic/" in r.url):
        academic.click()

    expect(academic).to_have_class(re.compile(r"\bactive\b"))
    expect(basic).not_to_have_class(re.compile(r"\bactive\b"))
    page.wait_for_url(re.compile(r"/tab/academic/$"))


def test_api_documentation_works_under_the_same_policy(
    live_server, page: Page, device: Device
) -> None:
    response = page.goto(f"{live_server.url}/api/docs")

    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == POLICY
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.locator(".swagger-ui .try-out__btn").first.click()
    with page.expect_response(lambda r: "/api/students?" in r.url):
        page.locator(".swagger-ui .execute").first.click()
    expect(page.locator(".swagger-ui .live-responses-table")).to_contain_text("401")
