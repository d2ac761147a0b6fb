"""Targeted pushes end to end: the counsellor pushes three recommended postings to a student
with a case → the student answers each with one tap on a phone (declining with a reason) →
the case list shows 3/3 for that student. The officer's part runs on desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import College
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.jobs.models import JobPush, JobRecommendation, RecommendationRun
from jingzhun.jobs.tests.helpers import posting
from tests.browser.conftest import DEVICES, Device, screenshot_path
from tests.browser.test_assistance import fits_the_screen
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLES = ("Python开发", "测试工程师", "运维工程师")


def _recommended(college: College) -> list[int]:
    """Three postings stored as student A's recommendations by a finished run."""
    run = RecommendationRun.objects.create(institution=college.institution, status="finished",
                                           finished_at=timezone.now())  # fmt: skip
    ids = []
    for rank, title in enumerate(TITLES, start=1):
        job = posting(college, title)
        JobRecommendation.objects.create(student=college.student_a, posting=job, run=run, rank=rank,
                                         score=1 - rank / 10, reason="专业对口（计算机应用技术）")  # fmt: skip
        ids.append(job.pk)
    return ids


def test_three_pushes_answered_on_a_phone_make_the_case_3_of_3(
    live_server: Any, college: College, page: Page, device: Device, browser: Browser
) -> None:
    confirmed_case(college)
    ids = _recommended(college)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, base, college.user("counsellor_a").username)
    page.goto(f"{base}/jobs/students/{college.student_a.pk}/recommendations/")
    expect(page.get_by_test_id("push-count")).to_have_text("0/3")
    for pk in ids:
        page.locator(f"#push-{pk}").check()
    page.locator("input[name=note]").fill("结合你的专业挑选")
    fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("push-selected").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("push-count")).to_have_text("3/3")
    expect(page.get_by_test_id("pushed")).to_have_count(3)
    page.screenshot(path=str(screenshot_path("pushes-sent", device.name)), full_page=True)
    assert JobPush.objects.filter(student=college.student_a, note="结合你的专业挑选").count() == 3

    _student_answers_on_the_phone(browser, base)

    page.goto(f"{base}/cases/")
    figure = (
        page.locator("[data-testid=case-row]")
        .filter(has_text="王小明")
        .get_by_test_id("figure-pushes")
    )
    expect(figure).to_have_text("3/3")
    expect(figure).to_have_attribute("data-met", "yes")
    page.goto(f"{base}/jobs/pushes/")
    expect(page.get_by_test_id("push-count")).to_contain_text("3")
    expect(page.get_by_test_id("push-response")).to_have_count(3)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("pushes-list", device.name)), full_page=True)


def _student_answers_on_the_phone(browser: Browser, base: str) -> None:
    phone = DEVICES["phone"]
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **phone.options)
    violations: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        log_in(page, base, "2024010001")
        page.goto(f"{base}/portal/pushes/")
        cards = page.get_by_test_id("push-card")
        expect(cards).to_have_count(3)
        fits_the_screen(page)
        first, second, third = (cards.filter(has_text=t) for t in TITLES)
        with page.expect_navigation():
            first.get_by_test_id("answer-applied").tap()
        expect(first.get_by_test_id("push-response")).to_have_attribute("data-response", "applied")
        with page.expect_navigation():
            second.get_by_test_id("answer-interested").tap()
        expect(second.get_by_test_id("push-response")).to_have_attribute(
            "data-response", "interested"
        )
        third.locator("summary").tap()
        third.get_by_test_id("decline-reason").select_option("place")
        with page.expect_navigation():
            third.get_by_test_id("answer-declined").tap()
        expect(third.get_by_test_id("push-response")).to_have_attribute("data-response", "declined")
        fits_the_screen(page)
        page.screenshot(path=str(screenshot_path("pushes-answered", phone.name)), full_page=True)
    finally:
        context.close()
    assert sorted(JobPush.objects.values_list("response", flat=True)) == [
        "applied",
        "declined",
        "interested",
    ]
    assert violations == []


def test_the_office_pushes_a_posting_to_a_filtered_batch(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    confirmed_case(college)
    confirmed_case(college, student=college.student_b, responsible="school_officer_a", signal=False)
    job = posting(college)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, base, college.user("employment_officer").username)
    page.goto(f"{base}/jobs/postings/{job.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("posting-push").click()
    expect(page.get_by_test_id("preview-count")).to_have_text("2")
    with page.expect_navigation():  # the school filter sends its form on change
        page.locator("[data-testid=batch-filters] select[name=school]").select_option(
            str(college.school_a.pk)
        )
    expect(page.get_by_test_id("preview-count")).to_have_text("1")
    expect(page.get_by_test_id("preview")).to_contain_text("王小明")
    fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("push-batch").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("already-sent")).to_have_count(1)
    page.screenshot(path=str(screenshot_path("pushes-batch", device.name)), full_page=True)
    assert list(JobPush.objects.values_list("student_id", flat=True)) == [college.student_a.pk]
