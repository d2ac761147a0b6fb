"""A fresh installation: the first-run page leads the employment office through the org-structure
import, which shows what it would create before anything exists (desktop and phone)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from jingzhun.org.models import (
    ClassGroup,
    Department,
    Institution,
    Major,
    RoleAssignment,
    School,
    User,
)
from jingzhun.org.roles import DepartmentKind, Role
from jingzhun.org.tests.factories import TEST_PASSWORD
from jingzhun.students.tests.spreadsheets import xlsx_bytes
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["学院", "专业代码", "专业名称", "学历层次", "学制", "班级", "届别"]
ROWS = [
    ["信息工程学院", "510201", "计算机应用技术", "高职专科", "3", "计应2301", "2026届"],
    ["信息工程学院", "510201", "计算机应用技术", "高职专科", "3", "计应2302", "2026届"],
    ["财经商贸学院", "530302", "大数据与会计", "高职专科", "3", "会计2301", "2026届"],
    ["财经商贸学院", "999999", "虚构专业", "高职专科", "3", "虚构2301", "2026届"],
]


@pytest.fixture
def fresh_office() -> RoleAssignment:
    institution = Institution.objects.create(code="4141019998", name="新建职业技术学院")
    Department.objects.create(institution=institution, code="D01", name="学生资助管理中心",
                              kind=DepartmentKind.AID)  # fmt: skip
    user = User.objects.create_user("T5002", password=TEST_PASSWORD, display_name="就业处老师")
    return RoleAssignment.objects.create(
        user=user, role=Role.EMPLOYMENT_OFFICE, institution=institution
    )


def work() -> None:
    call_command("worker", "--batch", "--interval", "0")


def test_first_run_page_and_org_import(
    live_server, page: Page, device: Device, fresh_office: RoleAssignment
) -> None:
    log_in(page, live_server.url, "T5002")
    expect(page.locator("[data-testid=setup-banner]")).to_contain_text("本校尚未完成初始设置")
    open_menu_item(page, device, "/students/setup/")
    org_step = page.locator("[data-testid=setup-step-org]")
    expect(org_step).to_contain_text("待完成")
    expect(page.locator("[data-testid=setup-step-institution]")).to_contain_text("新建职业技术学院")
    page.screenshot(path=screenshot_path("setup", f"first-run-{device.name}"), full_page=True)

    with page.expect_download() as download:
        page.click("[data-testid=template-org_structure]")
    template = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert template.get_sheet_by_index(0).to_python()[0][:3] == ["学院*", "学院代码", "专业代码*"]

    with page.expect_navigation():
        page.click("[data-testid=action-org]")
    expect(page.locator("#id_kind")).to_have_value("org_structure")
    page.set_input_files("#id_file", {"name": "院系专业班级.xlsx", "mimeType": XLSX,
                                      "buffer": xlsx_bytes(HEADER, ROWS)})  # fmt: skip
    with page.expect_navigation():
        page.click("button[type=submit]:has(.bi-upload)")
    work()
    page.wait_for_selector("#id_header_row", timeout=15_000)
    with page.expect_navigation():
        page.click("form[action$='/configure/'] button[type=submit]")
    work()
    page.wait_for_selector("[data-testid=valid-rows]", timeout=15_000)

    expect(page.locator("[data-testid=error-rows]")).to_have_text("1")
    error = page.locator("[data-testid=error-table] tbody tr")
    expect(error.locator("td")).to_have_text(
        [
            "5",
            "B列 专业代码",
            "999999",
            "专业代码不在国家专业目录中（高职专科 2021 版、本科 2026 版）",
        ]
    )
    plan = page.locator("[data-testid=setup-plan]")
    expect(plan).to_contain_text("学院：新建 2 个，已存在 0 个")
    expect(plan).to_contain_text("班级：新建 3 个，已存在 0 个")
    expect(page.locator("[data-testid=new-schools]")).to_have_text("信息工程学院、财经商贸学院")
    page.screenshot(path=screenshot_path("setup", f"org-check-{device.name}"), full_page=True)
    assert (School.objects.count(), Major.objects.count(), ClassGroup.objects.count()) == (0, 0, 0)

    page.check("#mode-valid_rows")
    with page.expect_navigation():
        page.click("form[action$='/apply/'] button[type=submit]")
    work()
    page.reload()
    expect(page.locator("[data-testid=setup-applied]")).to_contain_text(
        "新建学院 2 个、专业 2 个、班级 3 个"
    )
    assert sorted(ClassGroup.objects.values_list("name", flat=True)) == [
        "会计2301",
        "计应2301",
        "计应2302",
    ]

    open_menu_item(page, device, "/students/setup/")
    expect(page.locator("[data-testid=setup-step-org]")).to_have_attribute("data-done", "1")
    expect(page.locator("[data-testid=setup-step-org]")).to_contain_text("已完成")
    expect(page.locator("[data-testid=setup-step-staff]")).to_have_attribute("data-done", "0")
    page.screenshot(path=screenshot_path("setup", f"after-org-{device.name}"), full_page=True)


STAFF_HEADER = ["工号", "姓名", "部门或学院", "角色", "所带班级"]


def test_staff_import_hands_out_passwords_once_and_the_first_login_changes_it(
    live_server, page: Page, device: Device, fresh_office: RoleAssignment, browser
) -> None:
    school = School.objects.create(
        institution=fresh_office.institution, code="S01", name="信息工程学院"
    )
    major = Major.objects.create(
        school=school, moe_code="510201", name="计算机应用技术", level="zhuanke"
    )
    ClassGroup.objects.create(major=major, name="计应2301", cohort=2026)
    log_in(page, live_server.url, "T5002")
    open_menu_item(page, device, "/students/setup/")
    with page.expect_navigation():
        page.click("[data-testid=action-staff]")
    rows = [["T5101", "王辅导", "信息工程学院", "辅导员", "计应2301"]]
    page.set_input_files("#id_file", {"name": "教职工.xlsx", "mimeType": XLSX,
                                      "buffer": xlsx_bytes(STAFF_HEADER, rows)})  # fmt: skip
    with page.expect_navigation():
        page.click("button[type=submit]:has(.bi-upload)")
    work()
    page.wait_for_selector("#id_header_row", timeout=15_000)
    with page.expect_navigation():
        page.click("form[action$='/configure/'] button[type=submit]")
    work()
    page.wait_for_selector("[data-testid=valid-rows]", timeout=15_000)
    expect(page.locator("[data-testid=setup-plan]")).to_contain_text("账号：新建 1 个")
    page.check("#mode-all_or_nothing")
    with page.expect_navigation():
        page.click("form[action$='/apply/'] button[type=submit]")
    work()
    page.reload()
    expect(page.locator("[data-testid=setup-applied]")).to_contain_text("新建账号 1 个")
    page.screenshot(path=screenshot_path("setup", f"staff-applied-{device.name}"), full_page=True)
    with page.expect_download() as download:
        page.click("[data-testid=passwords-download]")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes()))
    number, name, password = sheet.get_sheet_by_index(0).to_python()[2]
    assert (number, name) == ("T5101", "王辅导")
    page.reload()
    expect(page.locator("[data-testid=passwords-taken]")).to_be_visible()
    expect(page.locator("[data-testid=passwords-download]")).to_have_count(0)

    counsellor = browser.new_context(
        **({"viewport": page.viewport_size} if page.viewport_size else {})
    )
    other = counsellor.new_page()
    try:
        other.goto(f"{live_server.url}/login/")
        other.fill("#id_username", "T5101")
        other.fill("#id_password", str(password))
        other.locator("form:not([action]) button[type=submit]").click()
        other.wait_for_url(f"{live_server.url}/password/")
        expect(other.locator("[data-testid=must-change]")).to_contain_text("一次性密码")
        other.goto(f"{live_server.url}/students/")
        other.wait_for_url(f"{live_server.url}/password/")
        other.fill("#id_old_password", str(password))
        other.fill("#id_new_password1", "Xinmima2026")
        other.fill("#id_new_password2", "Xinmima2026")
        with other.expect_navigation():
            other.locator("form:not([action]) button[type=submit]").click()
        assert other.url == f"{live_server.url}/"
        assert User.objects.get(username="T5101").must_change_password is False
    finally:
        counsellor.close()
