"""A roster with a column nothing reads and a graduation year its class contradicts: the preview
lists the ignored column, the report names the column of the mistake (desktop and phone)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import xlsx_bytes
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_intake_and_review import check_all_rows, upload
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = ["学号", "姓名", "性别", "学院", "班级", "毕业年份", "宿舍号", "身份证号码"]


def test_preview_lists_ignored_columns_and_the_report_names_the_checked_column(
    live_server, page: Page, device: Device, college: College
) -> None:
    rows = [
        ["2024010201", "冯一", "男", "信息工程学院", "计应2401", "二〇二七", "3-201",
         valid_id_number(sequence=121)],
        ["2024010202", "陈二", "男", "信息工程学院", "计应2401", "2026届", "3-202",
         valid_id_number(sequence=123)],
    ]  # fmt: skip
    log_in(page, live_server.url, "T0002")
    open_menu_item(page, device, "/students/imports/")
    upload(page, xlsx_bytes(HEADER, rows, title="2024级学生花名册"), "花名册.xlsx")

    unused = page.locator("[data-testid=unused-columns]")
    expect(unused).to_be_visible()
    expect(unused).to_contain_text("未使用的列")
    expect(unused.locator("[data-testid=unused-count]")).to_have_text("1")
    expect(unused.locator("[data-testid=unused-column]")).to_have_text(["G列 宿舍号"])
    # The list follows the mapping while the user edits it, before anything is checked.
    school = page.locator("select[name=col_3]")
    school.select_option("")
    expect(unused.locator("[data-testid=unused-column]")).to_have_text(["D列 学院", "G列 宿舍号"])
    expect(unused.locator("[data-testid=unused-count]")).to_have_text("2")
    page.locator("select[name=col_6]").select_option("status")
    expect(unused.locator("[data-testid=unused-column]")).to_have_text(["D列 学院"])
    page.locator("select[name=col_6]").select_option("")
    school.select_option("school_name")
    page.screenshot(path=screenshot_path("roster", f"preview-{device.name}"), full_page=True)

    check_all_rows(page)
    expect(page.locator("[data-testid=error-rows]")).to_have_text("1")
    error = page.locator("[data-testid=error-table] tbody tr")
    expect(error).to_have_count(1)
    expect(error.locator("td")).to_have_text(
        ["4", "F列 毕业年份", "2026", "毕业年份 2026 与班级 计应2401 的届别 2027 不符"]
    )
    expect(page.locator("[data-testid=unused-column]")).to_have_text(["G列 宿舍号"])
    page.screenshot(path=screenshot_path("roster", f"errors-{device.name}"), full_page=True)
    assert not Student.objects.filter(student_number__startswith="20240102").exists()
