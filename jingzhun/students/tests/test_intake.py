"""Imports end to end through the services: real files in, exact rows and errors out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.students.intake import services
from jingzhun.students.intake.models import ColumnMapping, ImportBatch
from jingzhun.students.models import Internship, PsychScreening, Student
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import csv_bytes, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["序号", "学号", "姓名", "性别", "班级", "身份证号码", "联系电话", "入学年份"]


def student_row(n: int, **overrides: object) -> list[object]:
    row = {
        "seq": n, "number": f"20240100{n:02d}", "name": f"新生{n}", "gender": "男",
        "class": "计应2401", "id": valid_id_number(sequence=101 + 2 * n), "phone": f"138 0000 {n:04d}",
        "year": 2024,
    } | overrides  # fmt: skip
    return list(row.values())


def upload(actor, data: bytes, filename: str, **kwargs: Any) -> ImportBatch:
    """Upload as the web does, then the worker's reading step."""
    batch = services.import_batch_create(actor=actor, filename=filename, data=data, **kwargs)
    return services.import_batch_read(batch_id=batch.pk)


def run(college, data: bytes, filename: str, *, kind: str = "students", persona: str = "employment_officer",
        mode: str = ImportBatch.Mode.VALID_ROWS) -> ImportBatch:  # fmt: skip
    actor = college.personas[persona]
    batch = services.import_batch_create(actor=actor, kind=kind, filename=filename, data=data)
    services.import_batch_read(batch_id=batch.pk)
    batch = services.import_batch_check(batch_id=batch.pk)
    if batch.error_rows and mode == ImportBatch.Mode.ALL_OR_NOTHING:
        return batch
    services.import_batch_request_apply(actor=actor, batch=batch, mode=mode)
    return services.import_batch_apply(batch_id=batch.pk)


def test_office_export_with_title_formula_hidden_column_and_blank_rows(college):
    rows = [student_row(n) for n in range(2, 5)]
    data = xlsx_bytes(
        HEADER, rows, title="信息工程学院2024级学生花名册", hidden_columns=[0],
        formulas={(2, 0): ("=A4+1", 4)}, trailing_blank_rows=3,
    )  # fmt: skip
    batch = run(college, data, "花名册.xlsx")
    assert (batch.status, batch.header_row, batch.total_rows, batch.error_rows) == (
        "applied",
        1,
        3,
        0,
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (3, 0, 0)
    student = Student.objects.get(student_number="2024010002")
    assert (student.name, student.gender, student.phone) == ("新生2", "M", "13800000002")
    assert (student.class_group, student.school, student.cohort) == (
        college.class_a,
        college.school_a,
        2027,
    )
    assert student.id_number == valid_id_number(sequence=105)
    entry = AuditLog.objects.filter(
        object_type="students.importbatch", detail__applied="students"
    ).get()
    assert entry.detail["created"] == 3
    with batch.file.open("rb") as kept:
        assert kept.read() == data  # the uploaded file is kept with the batch


def test_legacy_xls_with_numbers_and_dates(college):
    header = ["学号", "实习单位", "开始日期", "单位评价"]
    rows = [
        [2024010001, "郑州宇通客车", dt.date(2026, 3, 2), 5]
    ]  # student number typed as a number
    batch = run(
        college, xls_bytes(header, rows, title="2026届实习登记"), "实习.xls", kind="internship"
    )
    assert (batch.status, batch.header_row, batch.error_rows, batch.created_count) == (
        "applied",
        1,
        0,
        1,
    )
    internship = Internship.objects.get()
    assert (internship.student, internship.start_date, internship.rating) == (
        college.student_a,
        dt.date(2026, 3, 2),
        5,
    )


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings(college, encoding):
    data = csv_bytes(
        HEADER,
        [student_row(7, name="欧阳𠮷")],
        encoding=encoding if encoding != "gb18030" else "gb18030",
    )
    batch = run(college, data, "名单.csv")
    assert batch.error_rows == 0
    assert Student.objects.get(student_number="2024010007").name == "欧阳𠮷"


def test_every_bad_row_and_column_is_reported(college):
    rows = [
        student_row(2),
        student_row(3, id="410102200503171234"),  # wrong check digit
        student_row(4, gender="女"),  # ID number says male
        student_row(5, phone="0371-1234", year="明年"),
        student_row(6, **{"class": "不存在班"}),
        student_row(2, name="重复"),  # same number as row 3 of the sheet
        list[object]([""] * 8),
        student_row(8, number="4.10102E+17"),
    ]
    batch = run(college, xlsx_bytes(HEADER, rows), "bad.xlsx")
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (3, "F列 身份证号码", "身份证号校验位应为 3，实际为 4"),
        (4, "D列 性别", "性别与身份证号不一致"),
        (5, "G列 联系电话", "0371-1234 不是有效的手机号码"),
        (5, "H列 入学年份", "“明年”不是年份"),
        (6, "E列 班级", "班级不存在或不在您的数据范围内"),
        (7, "B列 学号", "与第 2 行重复"),
        (9, "B列 学号", "学号被 Excel 存成了科学计数法数字，请将该列设为文本后重新导出"),
    ]
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (7, 1, 6)
    imported = Student.objects.filter(student_number__in=[f"20240100{n:02d}" for n in range(2, 9)])
    assert list(imported.values_list("student_number", flat=True)) == ["2024010002"]


def test_all_or_nothing_refuses_and_writes_nothing(college):
    rows = [student_row(2), student_row(3, id="410102200503171234")]
    batch = run(college, xlsx_bytes(HEADER, rows), "bad.xlsx", mode=ImportBatch.Mode.ALL_OR_NOTHING)
    with pytest.raises(DomainError) as exc:
        services.import_batch_request_apply(
            actor=college.personas["employment_officer"],
            batch=batch,
            mode=ImportBatch.Mode.ALL_OR_NOTHING,
        )
    assert exc.value.code == "import.has_errors"
    assert not Student.objects.filter(student_number="2024010002").exists()


def test_reapplying_the_same_file_changes_nothing_and_edits_update(college):
    data = xlsx_bytes(HEADER, [student_row(2), student_row(3)])
    run(college, data, "a.xlsx")
    again = run(college, data, "a.xlsx")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    edited = run(
        college,
        xlsx_bytes(HEADER, [student_row(2, name="改名", phone="13911112222"), student_row(3)]),
        "b.xlsx",
    )
    assert (edited.created_count, edited.updated_count, edited.unchanged_count) == (0, 1, 1)
    student = Student.objects.get(student_number="2024010002")
    assert (student.name, student.phone, student.class_group) == (
        "改名",
        "13911112222",
        college.class_a,
    )


def test_applying_twice_is_a_no_op(college):
    batch = run(college, xlsx_bytes(HEADER, [student_row(2)]), "a.xlsx")
    again = services.import_batch_apply(batch_id=batch.pk)
    assert (again.status, again.created_count) == ("applied", 1)
    assert Student.objects.filter(student_number="2024010002").count() == 1


def test_related_records_within_scope_only(college):
    header = ["学号", "实习单位", "实习岗位", "开始日期", "结束日期", "是否专业相关"]
    rows = [
        [
            college.student_a.student_number,
            "郑州宇通客车",
            "装配",
            dt.date(2026, 3, 1),
            "2026/6/30",
            "是",
        ],
        [college.student_b.student_number, "某公司", "文员", dt.date(2026, 3, 1), None, "否"],
        ["2099999999", "某公司", "文员", dt.date(2026, 3, 1), None, "否"],
    ]
    batch = run(
        college, xlsx_bytes(header, rows), "实习.xlsx", kind="internship", persona="counsellor_a"
    )
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (3, "学号不存在或不在您的数据范围内"),
        (4, "学号不存在或不在您的数据范围内"),
    ]
    internship = Internship.objects.get()
    assert (internship.student, internship.end_date, internship.related_to_major) == (
        college.student_a, dt.date(2026, 6, 30), True,
    )  # fmt: skip


def test_sensitive_kind_refused_to_a_role_without_access(college):
    data = xlsx_bytes(
        ["学号", "测评日期", "筛查结果"],
        [[college.student_a.student_number, "2025-10-01", "重点关注"]],
    )
    with pytest.raises(DomainError) as exc:
        services.import_batch_create(
            actor=college.personas["employment_officer"],
            kind="psych_screening",
            filename="p.xlsx",
            data=data,
        )
    assert exc.value.code == "import.not_allowed"
    batch = run(college, data, "p.xlsx", kind="psych_screening", persona="psych_staff")
    assert PsychScreening.objects.get().level == "key"
    assert batch.created_count == 1


def test_saved_mapping_is_used_for_the_next_file_of_that_source(college):
    actor = college.personas["employment_officer"]
    header = ["编号", "名字", "男女", "所属班"]
    data = xlsx_bytes(header, [["2024010002", "张三", "男", "计应2401"]])
    batch = upload(actor, data, "jw.xlsx", kind="students", source="教务系统")
    assert batch.mapping == {}
    services.import_batch_configure(
        actor=actor, batch=batch, sheet=batch.sheet, header_row=0,
        mapping={0: "student_number", 1: "name", 2: "gender", 3: "class_name"}, save_for_source="教务系统",
    )  # fmt: skip
    assert ColumnMapping.objects.get().headers == {
        "编号": "student_number",
        "名字": "name",
        "男女": "gender",
        "所属班": "class_name",
    }
    second = upload(actor, data, "jw2.xlsx", kind="students", source="教务系统")
    assert second.mapping == {"0": "student_number", "1": "name", "2": "gender", "3": "class_name"}


def test_configure_refuses_missing_required_columns(college):
    actor = college.personas["employment_officer"]
    batch = upload(actor, xlsx_bytes(HEADER, [student_row(2)]), "a.xlsx", kind="students")
    with pytest.raises(DomainError) as exc:
        services.import_batch_configure(
            actor=actor, batch=batch, sheet="Sheet1", header_row=0, mapping={1: "student_number"}
        )
    assert exc.value.code == "import.missing_columns"
    assert "姓名" in exc.value.message


def test_a_file_of_another_type_is_refused_at_upload(college):
    with pytest.raises(DomainError) as exc:
        services.import_batch_create(
            actor=college.personas["employment_officer"],
            kind="students",
            filename="a.pdf",
            data=b"%PDF",
        )
    assert (exc.value.code, exc.value.message) == (
        "import.unreadable", "不支持的文件类型 .pdf：请上传 .xlsx、.xls 或 .csv。"
    )  # fmt: skip
    assert not ImportBatch.objects.exists()


def test_a_corrupt_workbook_fails_when_read_with_the_reason(college):
    batch = upload(college.personas["employment_officer"], b"not a zip", "a.xlsx", kind="students")
    assert batch.status == "failed"
    assert batch.failure.startswith("无法读取 Excel 文件：")
    assert not batch.rows_file


def test_json_records_share_the_import_rules(college):
    actor = college.personas["employment_officer"]
    records = [
        {"student_number": "2024010002", "name": "接口生", "gender": "男", "class_name": "计应2401",
         "id_number": valid_id_number(sequence=105), "phone": "138-0000-0002"},
        {"student_number": "2024010003", "name": "错误", "gender": "X", "class_name": "计应2401"},
    ]  # fmt: skip
    refused = services.records_upsert(
        actor=actor, kind="students", records=records, mode="all_or_nothing"
    )
    assert (refused.applied, refused.errors) == (
        False, [{"row": 1, "column": "gender", "value": "X", "message": "“X”不是有效的性别，可选：女、男"}],
    )  # fmt: skip
    assert not Student.objects.filter(student_number="2024010002").exists()
    applied = services.records_upsert(
        actor=actor, kind="students", records=records, mode="valid_rows"
    )
    assert (applied.applied, applied.created, applied.updated) == (True, 1, 0)
    assert Student.objects.get(student_number="2024010002").phone == "13800000002"
