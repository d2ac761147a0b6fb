"""/api/students/bulk reads the roster's checked fields (学院, 专业代码, 专业, 毕业年份) like a
spreadsheet: compared with the class, reported by field, never stored."""

from __future__ import annotations

import pytest

from jingzhun.api.scopes import STUDENTS_WRITE
from jingzhun.students.models import Student

pytestmark = pytest.mark.django_db


def test_the_bulk_write_checks_and_does_not_store_the_checked_fields(college, api_client):
    base = {"name": "接口生", "gender": "男", "class_name": "计应2401", "major_code": "510201",
            "major_name": "计算机应用技术"}  # fmt: skip
    records = [
        base | {"student_number": "2024060001", "school_name": "信息工程学院", "graduation_year": "二〇二七"},
        base | {"student_number": "2024060002", "school_name": "财经商贸学院"},
    ]  # fmt: skip
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": records}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["applied"], body["created"]) == (True, 1)
    assert [(e["index"], e["field"], e["value"]) for e in body["errors"]] == [
        (1, "school_name", "财经商贸学院")
    ]
    student = Student.objects.get(student_number="2024060001")
    assert (student.class_group, student.cohort) == (college.class_a, 2027)
