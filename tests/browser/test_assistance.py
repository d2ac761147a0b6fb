"""一人一策 end to end: a confirmed case → the counsellor drafts the plan from the playbooks and
submits it → the school approves → the action lands in the aid centre's queue and is closed
with an outcome → the counsellor sees how it ended → the student acknowledges on the phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import College
from jingzhun.assistance.models import Action, AssistancePlan
from jingzhun.identification import services as identification
from jingzhun.identification.models import Case
from tests.browser.conftest import DEVICES, Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "已发放国家助学金二等 3300 元"


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"  # type: ignore[index]


def _confirmed_case(college: College) -> Case:
    types = identification.difficulty_types_ensure()
    case = Case.objects.create(student=college.student_a)
    return identification.case_confirm(
        actor=college.personas["counsellor_a"], case=case, types=[types["economic"]], level=2
    )


def _switch(page: Page, base: str, username: str) -> None:
    # Leave the page first: a request still in flight (the bell's count) would bring the old
    # session cookie back after the clear.
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, base, username)


def test_plan_to_closed_action_to_acknowledgement(
    live_server: Any, college: College, page: Page, device: Device, browser: Browser
) -> None:
    _confirmed_case(college)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, base, college.user("counsellor_a").username)
    open_menu_item(page, device, "/assistance/plans/")
    expect(page.locator("h1")).to_have_text(zh("Plans (one student, one plan)"))
    with page.expect_navigation():
        page.get_by_test_id("draft-2024010001").click()
    expect(page.locator(".alert-success")).to_contain_text("王小明")
    expect(page.get_by_test_id("plan-status")).to_have_text("草稿")
    expect(page.locator("[data-testid=plan-edit] select[name=measure]")).to_have_count(4 + 2)
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("assistance-plan-draft", device.name)), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("plan-submit").click()
    expect(page.locator(".alert-success")).to_have_text("王小明的帮扶计划已提交学院审批。")
    expect(page.get_by_test_id("plan-status")).to_have_text("待审批")

    _switch(page, base, college.user("school_officer_a").username)
    open_menu_item(page, device, "/assistance/approvals/")
    expect(page.get_by_test_id("approval-count")).to_have_text("共 1 份计划")
    fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("approval-2024010001").click()
    with page.expect_navigation():
        page.get_by_test_id("plan-approve").click()
    expect(page.locator(".alert-success")).to_have_text(
        "王小明的帮扶计划已审批通过：4 项帮扶任务已派发到各部门。"
    )
    action = Action.objects.get(measure__code="aid")
    assert action.assignee == college.user("aid_staff")

    _switch(page, base, college.user("aid_staff").username)
    open_menu_item(page, device, "/assistance/queue/")
    expect(page.get_by_test_id("queue-count")).to_have_text("共 2 项任务")
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_path("assistance-queue", device.name)), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id(f"action-{action.pk}").click()
    page.select_option("#close-outcome", "helped")
    page.fill("#close-note", NOTE)
    fits_the_screen(page)
    page.screenshot(
        path=str(screenshot_path("assistance-action-close", device.name)), full_page=True
    )
    with page.expect_navigation():
        page.get_by_test_id("action-close").click()
    expect(page.locator(".alert-success")).to_have_text(
        "王小明的奖助学金与困难资助已办结（已完成），已通知帮扶责任人。"
    )
    expect(page.get_by_test_id("action-outcome")).to_have_text(f"已帮扶：{NOTE}")

    _switch(page, base, college.user("counsellor_a").username)
    plan = AssistancePlan.objects.get()
    page.goto(f"{base}/assistance/plans/{plan.pk}/")
    expect(page.get_by_test_id("plan-actions")).to_contain_text(f"已帮扶：{NOTE}")

    _student_acknowledges_on_the_phone(browser, base, plan)


def _student_acknowledges_on_the_phone(browser: Browser, base: str, plan: AssistancePlan) -> None:
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
        open_menu_item(page, phone, "/portal/plan/")
        expect(page.get_by_test_id("student-plan-items")).to_contain_text("奖助学金与困难资助")
        fits_the_screen(page)
        with page.expect_navigation():
            page.get_by_test_id("plan-acknowledge").click()
        expect(page.locator(".alert-success")).to_have_text("谢谢，你已确认知晓自己的帮扶计划。")
        expect(page.get_by_test_id("plan-acknowledged")).to_be_visible()
        page.screenshot(
            path=str(screenshot_path("assistance-student-ack", phone.name)), full_page=True
        )
    finally:
        context.close()
    plan.refresh_from_db()
    assert plan.status == AssistancePlan.Status.ACKNOWLEDGED
    assert violations == []


def test_the_office_edits_the_catalogue_and_filters_the_queue(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    base = live_server.url
    log_in(page, base, college.user("employment_officer").username)
    open_menu_item(page, device, "/assistance/measures/")
    expect(page.get_by_test_id("measures").locator("details")).to_have_count(13)
    fits_the_screen(page)
    page.get_by_test_id("playbooks").locator("a").first.click()
    page.wait_for_url(re.compile(r"/assistance/playbooks/\d+/\d/$"))
    with page.expect_navigation():
        page.locator("form button.btn-primary").click()
    expect(page.locator(".alert-success")).to_have_text(
        "措施方案已保存为第 2 版；此前生成的帮扶计划仍按原版本。"
    )
    page.goto(f"{base}/assistance/queue/")
    with page.expect_navigation():
        page.select_option("select[name=due]", "overdue")
    assert "due=overdue" in page.url
    expect(page.get_by_test_id("queue-count")).to_have_text("共 0 项任务")
    fits_the_screen(page)


def test_the_school_officer_approves_plans_together(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    from jingzhun.assistance.services import plans
    from jingzhun.students.tests.factories import StudentFactory

    types = identification.difficulty_types_ensure()
    owner = college.personas["counsellor_a"]
    students = [college.student_a, *StudentFactory.create_batch(2, class_group=college.class_a)]
    for student in students:
        case = identification.case_confirm(
            actor=owner,
            case=Case.objects.create(student=student),
            types=[types["economic"]],
            level=2,
        )
        plans.plan_submit(actor=owner, plan=plans.plan_draft(actor=owner, case=case))
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server.url, college.user("school_officer_a").username)
    open_menu_item(page, device, "/assistance/approvals/")
    expect(page.get_by_test_id("approval-count")).to_have_text("共 3 份计划")
    fits_the_screen(page)
    page.get_by_test_id("pick-2024010001").check()
    with page.expect_navigation():
        page.get_by_test_id("approve-ticked").click()
    routed = Action.objects.count()
    expect(page.locator(".alert-success")).to_have_text(
        f"已审批通过 1 份帮扶计划：{routed} 项帮扶任务已派发到各部门。"
    )
    expect(page.get_by_test_id("approval-count")).to_have_text("共 2 份计划")
    page.screenshot(
        path=str(screenshot_path("assistance-approve-many", device.name)), full_page=True
    )
    with page.expect_navigation():
        page.get_by_test_id("approve-filtered").click()
    expect(page.locator(".alert-success")).to_contain_text("已审批通过 2 份帮扶计划")
    expect(page.get_by_test_id("approval-count")).to_have_text("共 0 份计划")
    assert set(AssistancePlan.objects.values_list("status", flat=True)) == {"approved"}
    assert Action.objects.count() == 3 * routed
