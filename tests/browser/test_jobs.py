"""Postings and employers on desktop and phone: filter the postings, open one, blacklist an
employer with a reason, and see a student's recommendations — no CSP violation anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.jobs.models import Education, Employer, JobPosting
from jingzhun.students.models import JobIntention
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _postings(college: College) -> None:
    good = Employer.objects.create(
        institution=college.institution, name="郑州甲科技有限公司", name_key="郑州甲科技"
    )
    bad = Employer.objects.create(institution=college.institution, name="乙公司", name_key="乙")
    for title, employer, city, low, high in (("Python开发", good, "410100", 5000, 8000),
                                             ("会计助理", good, "110000", 4000, 5000),
                                             ("销售代表", bad, "410100", 6000, None)):  # fmt: skip
        JobPosting.objects.create(institution=college.institution, employer=employer, title=title, title_key=title,
                                  place_key=city, city_code=city, education=Education.ZHUANKE, salary_min=low,
                                  salary_max=high, majors=["510201"] if title == "Python开发" else [],
                                  description="负责开发\n熟悉 Python")  # fmt: skip
    JobIntention.objects.create(student=college.student_a, recorded_on="2026-11-01", plan="employment",
                                occupation="Python 开发", city="郑州", salary_min=4000)  # fmt: skip


def test_an_officer_filters_postings_blacklists_an_employer_and_reads_recommendations(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    _postings(college)
    base = live_server.url
    log_in(page, base, "T0002")
    page.goto(f"{base}/jobs/")
    expect(page.get_by_test_id("posting-count")).to_have_text("3")
    page.locator("select[name=city]").select_option("410100")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("posting-count")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # type: ignore[index]
    page.screenshot(path=str(screenshot_path("jobs-postings", device.name)), full_page=True)

    with page.expect_navigation():
        page.get_by_text("Python开发").click()
    expect(page.get_by_test_id("salary")).to_contain_text("5-8K")
    expect(page.get_by_test_id("description")).to_contain_text("熟悉 Python")

    page.goto(f"{base}/jobs/employers/")
    expect(page.get_by_test_id("employer-count")).to_have_text("2")
    item = page.locator("[data-testid=employers] .list-group-item").filter(has_text="乙公司")
    item.locator("summary").click()
    item.locator("select[name=vetting]").select_option("blacklisted")
    item.locator("input[name=reason]").fill("虚假招聘")
    with page.expect_navigation():
        item.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("乙公司")
    expect(
        page.locator("[data-testid=employers] .list-group-item").filter(has_text="乙公司")
    ).to_contain_text("虚假招聘")

    page.goto(f"{base}/jobs/students/{college.student_a.pk}/recommendations/")
    reasons = page.get_by_test_id("reason")
    expect(reasons).to_have_count(2)  # the blacklisted employer's posting is gone
    expect(reasons.first).to_contain_text(
        "专业对口（计算机应用技术）；期望城市郑州；薪资 5-8K 高于期望"
    )
    page.screenshot(path=str(screenshot_path("jobs-recommendations", device.name)), full_page=True)
