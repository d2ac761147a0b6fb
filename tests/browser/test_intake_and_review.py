"""Import with mistakes → read the report → fix → apply; run identification → review → confirm."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from conftest import College
from jingzhun.identification import services as identification
from jingzhun.identification.models import Case
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import AcademicResultFactory, valid_id_number
from jingzhun.students.tests.spreadsheets import xlsx_bytes
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["学号", "姓名", "性别", "班级", "身份证号码"]


def upload(page: Page, data: bytes, name: str) -> None:
    page.select_option("#id_kind", "students")
    page.set_input_files("#id_file", {"name": name, "mimeType": XLSX, "buffer": data})
    with page.expect_navigation():
        page.click("button[type=submit]:has(.bi-upload)")
    expect(page.locator("[data-testid=import-progress]")).to_contain_text("正在读取文件")
    call_command("worker", "--batch", "--interval", "0")  # the worker reads the file
    page.wait_for_selector("#id_header_row", timeout=15_000)  # the poll reloads the page


def check_all_rows(page: Page) -> None:
    with page.expect_navigation():
        page.click("form[action$='/configure/'] button[type=submit]")
    call_command("worker", "--batch", "--interval", "0")  # the real worker, in this process
    page.wait_for_selector("[data-testid=valid-rows]", timeout=15_000)  # the poll reloads the page


def test_import_with_a_mistake_then_fixed(
    live_server, page: Page, device: Device, college: College
) -> None:
    bad = [["2024010101", "周一", "男", "计应2401", valid_id_number(sequence=111)],
           ["2024010102", "周二", "女", "计应2401", "410102200503171234"]]  # fmt: skip
    log_in(page, live_server.url, "T0002")
    open_menu_item(page, device, "/students/imports/")
    upload(page, xlsx_bytes(HEADER, bad, title="2024级新生花名册"), "新生.xlsx")
    expect(page.locator("#id_header_row")).to_have_value("2")  # the title row was skipped
    check_all_rows(page)
    expect(page.locator("[data-testid=error-rows]")).to_have_text("1")
    expect(page.locator("[data-testid=error-table]")).to_contain_text(
        "身份证号校验位应为 3，实际为 4"
    )
    expect(page.locator("#mode-all_or_nothing")).to_be_disabled()
    with page.expect_download() as download:
        page.click("a[href$='/errors.xlsx']")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes()))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[2] == [
        4.0,
        "E列 身份证号码",
        "410102200503171234",
        "身份证号校验位应为 3，实际为 4",
    ]
    page.screenshot(path=screenshot_path("import", f"errors-{device.name}"), full_page=True)

    fixed = [bad[0], ["2024010102", "周二", "女", "计应2401", valid_id_number(sequence=112)]]
    open_menu_item(page, device, "/students/imports/")
    upload(page, xlsx_bytes(HEADER, fixed, title="2024级新生花名册"), "新生-已修正.xlsx")
    check_all_rows(page)
    expect(page.locator("[data-testid=error-rows]")).to_have_text("0")
    page.check("#mode-all_or_nothing")
    with page.expect_navigation():
        page.click("form[action$='/apply/'] button[type=submit]")
    call_command("worker", "--batch", "--interval", "0")
    page.reload()
    expect(page.locator("[data-testid=import-result]")).to_contain_text("新增 2 条")
    assert sorted(
        Student.objects.filter(student_number__startswith="20240101").values_list("name", flat=True)
    ) == ["周一", "周二"]


def test_a_hostile_workbook_is_refused_with_its_reason_and_the_site_keeps_working(
    live_server, page: Page, device: Device, college: College
) -> None:
    """A counsellor uploads the 1.6 KB sheet with cells in A1 and XFD1048576."""
    from jingzhun.core.tests.hostile import two_cell_xlsx

    log_in(page, live_server.url, "T0008")
    open_menu_item(page, device, "/students/imports/")
    page.select_option("#id_kind", "certificate")
    page.set_input_files(
        "#id_file", {"name": "证书.xlsx", "mimeType": XLSX, "buffer": two_cell_xlsx()}
    )
    with page.expect_navigation():
        page.click("button[type=submit]:has(.bi-upload)")
    expect(page.locator("[data-testid=import-progress]")).to_contain_text("正在读取文件")
    call_command("worker", "--batch", "--interval", "0")
    expect(page.locator("[data-testid=import-failure]")).to_contain_text(
        "文件有 1,048,576 行，超过每次导入 200,000 行的上限", timeout=15_000
    )  # the poll reloaded the page
    page.screenshot(path=screenshot_path("import", f"refused-{device.name}"), full_page=True)
    with page.expect_navigation():
        page.click("[data-testid=import-failure] a")
    expect(page.locator("[data-testid=total]")).to_contain_text("共 1 次导入")


def test_run_identification_review_and_confirm(
    live_server, page: Page, device: Device, college: College
) -> None:
    identification.rules_seed_defaults(actor=college.personas["employment_officer"],
                                       effective_from=dt.date(2026, 9, 1))  # fmt: skip
    AcademicResultFactory(student=college.student_a, term="2025-2026-2", failed_courses=4)
    log_in(page, live_server.url, "T0002")
    open_menu_item(page, device, "/identification/runs/")
    with page.expect_navigation():
        page.click("button[type=submit]:has(.bi-play)")
    call_command("worker", "--batch", "--interval", "0")
    page.reload()
    expect(page.locator("[data-testid=run-row]").first).to_contain_text("已完成")

    open_menu_item(page, device, "/identification/review/")
    card = page.locator("[data-testid=candidate]", has_text="王小明")
    expect(card).to_contain_text("近两学期不及格课程 4 门（阈值 ≥3）")
    page.screenshot(path=screenshot_path("review", device.name), full_page=True)
    with page.expect_navigation():
        card.locator("[data-testid=confirm]").click()
    expect(page.locator("[data-testid=candidate]", has_text="王小明")).to_have_count(0)
    decided = page.locator("[data-testid=decided]")  # the card gives way to what was decided
    expect(decided).to_contain_text("王小明")
    expect(decided).to_contain_text("张辅导员")  # the class counsellor, not the officer
    case = Case.objects.get(student=college.student_a)
    assert (case.status, case.responsible) == ("confirmed", college.user("counsellor_a"))
