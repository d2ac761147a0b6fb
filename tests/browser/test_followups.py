"""A counsellor records a follow-up on the phone, as they do while calling: from the 回访 list,
the record page, back to the list where it shows as done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.students.models import Student
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followups.models import FollowUp
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_assistance import fits_the_screen
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone"], indirect=True)
def test_a_counsellor_records_a_follow_up_on_the_phone(
    live_server: Any, college: College, page: Page, device: Device, settings: Any
) -> None:
    # Whatever today is, student A left school within the (twelve-month) window.
    settings.JINGZHUN_FOLLOWUP_WINDOW_MONTHS = 12
    today = timezone.localdate()
    cohort = today.year if today > dt.date(today.year, 6, 30) else today.year - 1
    Student.objects.filter(pk=college.student_a.pk).update(cohort=cohort, status="graduated")
    followup = FollowUp.objects.create(
        student=college.student_a, kind="unplaced", anchor_on=dt.date(cohort, 6, 30),
        due_on=today - dt.timedelta(days=2),
    )  # fmt: skip
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url
    log_in(page, base, college.user("counsellor_a").username)

    page.goto(f"{base}/tracking/followups/")
    row = page.get_by_test_id(f"followup-{followup.pk}")
    expect(row).to_contain_text("王小明")
    expect(page.get_by_test_id("count-overdue")).to_contain_text("1")
    fits_the_screen(page)
    row.get_by_test_id("followup-record").click()

    form = page.get_by_test_id("followup-form")
    expect(page.get_by_test_id("followup-student")).to_contain_text("王小明")
    expect(page.get_by_test_id("phone")).to_have_text("138****5678")
    form.locator("select[name=channel]").select_option("phone")
    form.locator("select[name=outcome]").select_option("still_seeking")
    form.locator("textarea[name=note]").fill("仍在求职，已推荐下周招聘会")
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("followup-record", device.name)), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("followup-save").click()

    expect(page.locator(".alert-success")).to_contain_text("王小明")
    page.goto(f"{base}/tracking/followups/?when=done")
    done = page.get_by_test_id(f"followup-{followup.pk}")
    expect(done.get_by_test_id("followup-status")).to_be_visible()
    expect(done).to_contain_text(today.isoformat())
    fits_the_screen(page)
    followup.refresh_from_db()
    assert (followup.status, followup.outcome, followup.done_on) == ("done", "still_seeking", today)
    assert ContactAttempt.objects.get(student=college.student_a).reached is True
    assert FollowUp.objects.filter(student=college.student_a, status="open").count() == 1
