"""Records on an action page: the psychological centre adds a counselling record on desktop
and phone; the employment office then sees only that a session took place."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.assistance.models import AssistanceRecord
from jingzhun.assistance.services import plans
from jingzhun.assistance.tests.helpers import confirmed_case
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_assistance import _switch, fits_the_screen
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "来访者谈到考试焦虑，约定下周复诊"


def _psych_action(college: College) -> int:
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college, types=("psychological",)))
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    return plan.actions.get(measure__code="psych_counselling").pk


def test_the_centre_adds_a_counselling_record_others_see_the_fact(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    action = _psych_action(college)
    base = live_server.url
    log_in(page, base, college.user("psych_staff").username)
    page.goto(f"{base}/assistance/actions/{action}/")
    expect(page.get_by_test_id("action-records")).to_contain_text("暂无帮扶记录")
    form = page.get_by_test_id("record-form")
    form.locator("select[name=kind]").select_option("counselling")
    form.locator("input[name=duration_minutes]").fill("50")
    form.locator("textarea[name=content]").fill(SECRET)
    fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("record-add").click()
    expect(page.locator(".alert-success")).to_contain_text("心理咨询记录")
    expect(page.get_by_test_id("record-content")).to_have_text(SECRET)
    page.screenshot(path=str(screenshot_path("assistance-record-add", device.name)), full_page=True)
    record = AssistanceRecord.objects.get()
    assert (record.kind, record.duration_minutes, record.sensitivity) == (
        "counselling",
        50,
        "psychological",
    )

    _switch(page, base, college.user("employment_officer").username)
    page.goto(f"{base}/assistance/actions/{action}/")
    expect(page.get_by_test_id("record")).to_contain_text("已进行一次心理咨询")
    expect(page.get_by_test_id("record")).to_contain_text("心理健康教育中心")
    expect(page.get_by_test_id("action-records")).not_to_contain_text(SECRET)
    expect(page.get_by_test_id("record-form")).to_have_count(0)
