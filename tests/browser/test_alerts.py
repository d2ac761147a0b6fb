"""Alerts: a key-level case without a plan raises an alert; the counsellor opens it from the
menu, acknowledges it, then closes it with a note — on a desktop and on a 390×844 phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.tests.alert_helpers import reconcile
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_assistance import fits_the_screen
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alert_list_acknowledge_and_close(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    confirmed_case(college, level=1)
    reconcile(checks.HIGH_RISK_NO_PLAN, dt.date(2027, 7, 20))
    alert = Alert.objects.get()
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server.url, college.user("counsellor_a").username)
    open_menu_item(page, device, "/tracking/alerts/")
    expect(page.get_by_test_id("alert-count")).to_contain_text("1")
    row = page.get_by_test_id(f"alert-{alert.pk}")
    expect(row).to_contain_text("王小明")
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("alerts-list", device.name)), full_page=True)

    with page.expect_navigation():
        row.get_by_test_id("acknowledge").click()
    expect(page.locator(".alert-success")).to_be_visible()
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED

    row = page.get_by_test_id(f"alert-{alert.pk}")
    row.locator("input[name=note]").fill("已与学生面谈，本周内制定帮扶计划")
    with page.expect_navigation():
        row.get_by_test_id("close").click()
    alert.refresh_from_db()
    assert (alert.state, alert.closed_by) == (Alert.State.CLOSED, college.user("counsellor_a"))
    expect(page.get_by_test_id(f"alert-{alert.pk}")).to_have_count(
        0
    )  # the list shows unclosed ones
    fits_the_screen(page)
