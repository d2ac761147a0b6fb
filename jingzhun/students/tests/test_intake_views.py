"""The import wizard over HTTP with the real task worker, and the Excel export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jingzhun.core.models import AuditLog
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import StudentFactory, valid_id_number
from jingzhun.students.tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["学号", "姓名", "性别", "班级", "身份证号"]


def sheet_rows(data: bytes) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def upload(client, data: bytes, name: str = "名单.xlsx", kind: str = "students"):
    return client.post(
        reverse("students:import-list"),
        {"kind": kind, "source": "", "file": SimpleUploadedFile(name, data)},
    )


def test_wizard_upload_check_read_errors_apply(college, client):
    rows = [
        ["2024010002", "甲", "男", "计应2401", valid_id_number(sequence=105)],
        ["2024010003", "乙", "男", "计应2401", "410102200503171234"],
    ]
    client.force_login(college.user("employment_officer"))
    response = upload(client, xlsx_bytes(HEADER, rows, title="2024级新生名单"))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("students:import-detail", args=[batch.pk])
    assert batch.status == "reading"  # nothing is parsed in the request
    call_command("worker", "--batch", "--interval", "0")

    page = client.get(response["Location"]).content.decode()
    assert "2024级新生名单" not in page  # the title row was skipped, the header found
    assert 'value="2"' in page  # header row shown 1-based

    form = {"sheet": "Sheet1", "header_row": 2, "col_0": "student_number", "col_1": "name", "col_2": "gender",
            "col_3": "class_name", "col_4": "id_number", "save_for_source": ""}  # fmt: skip
    client.post(reverse("students:import-configure", args=[batch.pk]), form)
    assert ImportBatch.objects.get().status == "validating"
    call_command("worker", "--batch", "--interval", "0")
    page = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert "身份证号校验位应为 3，实际为 4" in page

    errors = sheet_rows(client.get(reverse("students:import-errors", args=[batch.pk])).content)
    assert errors[1:] == [
        ["行", "列", "值", "问题"],
        [4.0, "E列 身份证号", "410102200503171234", "身份证号校验位应为 3，实际为 4"],
    ]

    refused = client.post(
        reverse("students:import-apply", args=[batch.pk]), {"mode": "all_or_nothing"}, follow=True
    )
    assert (
        "1 行有错误" in refused.content.decode() or "rows have errors" in refused.content.decode()
    )
    assert ImportBatch.objects.get().status == "validated"

    client.post(reverse("students:import-apply", args=[batch.pk]), {"mode": "valid_rows"})
    call_command("worker", "--batch", "--interval", "0")
    done = ImportBatch.objects.get()
    assert (done.status, done.created_count, done.error_rows) == ("applied", 1, 1)
    assert list(
        Student.objects.filter(student_number__in=["2024010002", "2024010003"]).values_list(
            "name", flat=True
        )
    ) == ["甲"]


def test_upload_of_an_unreadable_file_explains_and_writes_nothing(college, client):
    client.force_login(college.user("employment_officer"))
    before = Student.objects.count()
    response = upload(client, b"\x00\x01garbage", name="名单.xlsx")
    assert response.status_code == 302
    call_command("worker", "--batch", "--interval", "0")
    page = client.get(response["Location"]).content.decode()
    assert "无法读取 Excel 文件" in page
    assert (ImportBatch.objects.get().status, Student.objects.count()) == ("failed", before)


def test_upload_of_another_file_type_is_refused_at_once(college, client):
    client.force_login(college.user("employment_officer"))
    response = upload(client, b"%PDF-1.4", name="名单.pdf")
    assert response.status_code == 400
    assert "不支持的文件类型 .pdf" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_export_is_masked_scoped_formula_safe_and_audited(college, client):
    StudentFactory(
        class_group=college.class_a, student_number="2024019999", name='=HYPERLINK("http://x")'
    )
    client.force_login(college.user("counsellor_a"))
    response = client.get(reverse("students:export"), {"q": "2024"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    numbers = [r[0] for r in rows[1:]]
    assert numbers == ["2024010001", "2024019999"]  # class B's student is out of scope
    first = rows[1]
    assert first[10] == "4" + "*" * 16 + college.student_a.id_number[-1]
    assert first[11] == "138****5678"
    assert rows[2][1] == '=HYPERLINK("http://x")'  # text, not a formula
    with io.BytesIO(response.content) as buffer:
        import zipfile

        sheet_xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.detail == {"what": "students", "filters": {"q": "2024"}, "rows": 2}
