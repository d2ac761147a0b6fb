"""The bell on desktop and phone: the unread count in the top bar, the list, mark all read."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.notifications import kinds
from jingzhun.notifications.models import Notification
from jingzhun.notifications.services import notify
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counsellor_sees_the_count_opens_the_list_and_marks_all_read(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    counsellor = college.user("counsellor_a")
    for title in ("王小明的申请待审核", "帮扶任务即将到期", "本周回访提醒"):
        notify(recipients=[counsellor], kind=kinds.TEST, title=title, url="/cases/")
    notify(recipients=[college.user("mentor_a")], kind=kinds.TEST, title="别人的通知")
    base = live_server.url

    log_in(page, base, "T0008")
    bell = page.get_by_test_id("bell")
    expect(bell).to_be_visible()  # in the top bar, also on a phone without opening the menu
    expect(page.get_by_test_id("bell-count")).to_have_text("3")
    expect(bell).to_have_attribute("aria-label", "通知：3 条未读")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # type: ignore[index]
    page.screenshot(path=str(screenshot_path("notifications-bell", device.name)))

    with page.expect_navigation():
        bell.click()
    expect(page.locator("h1")).to_have_text("通知")
    expect(page.get_by_test_id("total")).to_have_text("3 条通知")
    expect(page.get_by_test_id("notification")).to_have_count(3)
    expect(page.get_by_test_id("open")).to_have_text(
        ["本周回访提醒", "帮扶任务即将到期", "王小明的申请待审核"]
    )
    expect(page.get_by_text("别人的通知")).to_have_count(0)
    page.screenshot(path=str(screenshot_path("notifications-list", device.name)), full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("read-all").click()
    expect(page.locator(".alert-success")).to_have_text("已将 3 条通知标为已读。")
    expect(page.locator("[data-testid=notification][data-read=true]")).to_have_count(3)
    expect(page.get_by_test_id("read-all")).to_have_count(0)
    # The count has been loaded (the fragment replaced the bell) and there is none.
    expect(page.get_by_test_id("bell")).to_have_attribute("hx-trigger", "every 60s")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert Notification.objects.filter(recipient=counsellor, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # the mentor's

    page.get_by_test_id("filter-unread").click()
    expect(page.get_by_test_id("empty")).to_have_text("没有未读通知。")
