"""The student portal on a phone (390×844) and on a desktop: the student opens 我的, sees how
many policies are new, opens one and reads its steps, then rates a completed action of their
plan. The employment office writes an article whose body tries a script, previews it (the
script is shown as text, never run) and publishes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.notifications import kinds
from jingzhun.notifications.services import notify
from jingzhun.tracking.publications.models import PolicyArticle, PolicyVisit
from jingzhun.tracking.satisfaction.models import ActionRating
from jingzhun.tracking.tests.publication_helpers import article, completed_action
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"  # type: ignore[index]


def _published(college: College) -> None:
    """Two articles read before the last visit (a week ago), two published since."""
    old = [
        article(
            college,
            "报到证取消后的档案转递说明",
            kind="notice",
            steps=[],
            summary="档案按去向转递",
            body="",
        ),
        article(
            college, "三支一扶计划介绍", kind="policy", steps=[], summary="支农支教支医", body=""
        ),
    ]
    new = [article(college, "求职创业补贴申请流程"),
           article(college, "宏志助航计划培训报名", summary="免费就业能力培训", body="")]  # fmt: skip
    now = timezone.now()
    PolicyArticle.objects.filter(pk__in=[a.pk for a in old]).update(
        published_at=now - dt.timedelta(days=20)
    )
    PolicyArticle.objects.filter(pk__in=[a.pk for a in new]).update(
        published_at=now - dt.timedelta(days=1)
    )
    PolicyVisit.objects.create(student=college.student_a, last_at=now - dt.timedelta(days=7))


def test_student_reads_a_new_policy_and_rates_a_completed_action(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    _published(college)
    action = completed_action(college)
    base = live_server.url
    log_in(page, base, "2024010001")

    open_menu_item(page, device, "/portal/")
    expect(page.get_by_test_id("new-policies")).to_contain_text("2")
    expect(page.get_by_test_id("tile-policies").get_by_test_id("tile-badge")).to_have_text("2")
    expect(page.get_by_test_id("tile-plan")).to_be_visible()
    # Every page the student has is a tile that opens (the other apps' pages now exist).
    for key, href in (
        ("pushes", "/portal/pushes/"),
        ("subsidies", "/portal/subsidies/"),
        ("destination", "/portal/destination/"),
        ("followup", "/portal/followup/"),
    ):
        expect(page.get_by_test_id(f"tile-{key}")).to_have_attribute("href", href)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("portal-home", device.name)), full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("new-policies").click()
    policies = page.get_by_test_id("policy")
    expect(policies).to_have_count(4)
    expect(page.locator("[data-testid=policy][data-new=true]")).to_have_count(2)
    expect(page.get_by_test_id("new-count")).to_contain_text("2")
    page.fill("input[name=q]", "申请补贴")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    expect(policies).to_have_count(1)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("portal-policies", device.name)), full_page=True)

    with page.expect_navigation():
        policies.first.click()
    expect(page.get_by_test_id("article-title")).to_have_text("求职创业补贴申请流程")
    expect(page.get_by_test_id("step-title")).to_have_text(["网上申请", "材料审核"])
    expect(page.get_by_test_id("article-office")).to_have_text("招生就业处")
    expect(page.get_by_test_id("article-documents")).to_contain_text("身份证复印件")
    expect(page.get_by_test_id("article-deadline")).to_have_text("2026-11-30")
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("portal-policy", device.name)), full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("back").click()
    expect(page.locator("[data-testid=policy][data-new=true]")).to_have_count(
        1
    )  # read: no longer new

    open_menu_item(page, device, "/portal/plan/")
    item = page.locator(f"#action-{action.pk}")
    item.get_by_test_id("star-4").click()
    item.locator("input[name=comment]").fill("补贴很快到账")
    with page.expect_navigation():
        item.get_by_test_id("rating-submit").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"#action-{action.pk} input[name=score][value='4']")).to_be_checked()
    rating = ActionRating.objects.get(action=action)
    assert (rating.score, rating.comment, rating.student) == (4, "补贴很快到账", college.student_a)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("portal-plan-rating", device.name)), full_page=True)

    notify(recipients=[college.user("student_a")], kind=kinds.TEST, url="/portal/policies/",
           title="招生就业处发布了新的办事流程：求职创业补贴申请流程（请在截止日期前提交材料）",
           body="申请表、身份证复印件、困难身份证明请提前准备，材料不全将无法通过学院初审。")  # fmt: skip
    page.goto(f"{base}/portal/")
    with page.expect_navigation():
        page.get_by_test_id("tile-notifications").click()
    # Her plan's approval was announced too; the newest notice is the office's.
    expect(page.get_by_test_id("notification")).to_have_count(2)
    newest = page.get_by_test_id("notification").first
    expect(newest).to_contain_text("求职创业补贴申请流程")
    expect(newest).to_have_attribute("data-read", "false")
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("portal-notifications", device.name)), full_page=True)
    with page.expect_navigation():
        newest.get_by_test_id("open").click()
    page.wait_for_url(f"{base}/portal/policies/")


def test_office_previews_a_hostile_body_and_publishes(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    base = live_server.url
    log_in(page, base, college.user("employment_officer").username)
    open_menu_item(page, device, "/tracking/publications/")
    with page.expect_navigation():
        page.get_by_test_id("article-new").click()
    page.select_option("select[name=kind]", "procedure")
    page.fill("input[name=title]", "就业协议签订与网签流程")
    page.fill(
        "textarea[name=body]",
        '## 注意\n\n<script>window.hacked=1</script><img src=x onerror="window.hacked=2">**看清条款**',
    )
    page.fill("input[name=steps-0-title]", "单位发起网签")
    page.fill("input[name=steps-1-title]", "学生确认")
    with page.expect_navigation():
        page.get_by_test_id("save-preview").click()

    expect(page.get_by_test_id("article-status")).to_have_attribute("data-status", "draft")
    expect(page.get_by_test_id("article-body").locator("strong")).to_have_text("看清条款")
    expect(page.get_by_test_id("article-body")).to_contain_text("<script>")  # shown as text
    assert page.evaluate("window.hacked") is None
    expect(page.get_by_test_id("step-title")).to_have_text(["单位发起网签", "学生确认"])
    page.screenshot(
        path=str(screenshot_path("office-article-preview", device.name)), full_page=True
    )

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("article-status")).to_have_attribute("data-status", "published")
    assert PolicyArticle.objects.get().status == "published"
