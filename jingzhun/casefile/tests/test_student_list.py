"""学生档案 for staff: the registry's list with each student's open case as columns and filters."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from jingzhun.casefile.tests.helpers import case_of, new_student
from jingzhun.identification.models import Case, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def students(college):
    confirmed = new_student(class_group=college.class_a, student_number="2024010011")
    case_of(confirmed, level=1)
    case_of(college.student_a, status=Case.Status.DISMISSED, level=None)  # closed: no open case
    case_of(college.student_b, status=Case.Status.CANDIDATE, level=3)
    return confirmed


def rows(client, **params) -> list[tuple[str, str, str]]:
    response = client.get(reverse("students:list"), params)
    assert response.status_code == 200
    return [(s.student_number, s.case_status or "", s.case_level_label and str(s.case_level_label))
            for s, _ids in response.context["rows"]]  # fmt: skip


def test_the_list_shows_each_students_open_case(college, students, client):
    client.force_login(college.user("employment_officer"))
    key, general = str(Level.KEY.label), str(Level.GENERAL.label)
    assert sorted(rows(client)) == [
        ("2024010001", "", ""), ("2024010011", "confirmed", key), ("2024020001", "candidate", general),
    ]  # fmt: skip
    body = client.get(reverse("students:list")).content.decode()
    with translation.override("zh-hans"):
        assert f'data-testid="case-status">{Case.Status.CONFIRMED.label}<' in body
    assert "---------" not in body


def test_the_case_filters(college, students, client):
    client.force_login(college.user("employment_officer"))
    assert [r[0] for r in rows(client, case_status="confirmed")] == ["2024010011"]
    assert [r[0] for r in rows(client, case_status="none")] == ["2024010001"]
    assert [r[0] for r in rows(client, case_level="3")] == ["2024020001"]
    assert sorted(r[0] for r in rows(client, case_status="exited")) == [
        "2024010001", "2024010011", "2024020001"]  # not an open status: no filter  # fmt: skip


def test_the_counsellor_sees_the_case_of_her_class_only(college, students, client):
    client.force_login(college.user("counsellor_a"))
    assert sorted(rows(client)) == [
        ("2024010001", "", ""),
        ("2024010011", "confirmed", str(Level.KEY.label)),
    ]


def test_query_count_does_not_grow_with_rows(college, students, client, django_assert_num_queries):
    client.force_login(college.user("employment_officer"))
    # session, user, role assignments, form choices (3), count, page rows with their case
    # (subqueries); the session saved again (3)
    with django_assert_num_queries(12):
        client.get(reverse("students:list"))
    for _ in range(30):
        case_of(new_student(class_group=college.class_a), level=2)
    with django_assert_num_queries(12):
        response = client.get(reverse("students:list"))
    assert response.context["page"].paginator.count == 33


def test_the_export_has_the_rows_the_list_shows_and_is_audited(college, students, client):
    import io

    from python_calamine import CalamineWorkbook

    from jingzhun.core.models import AuditLog

    client.force_login(college.user("employment_officer"))
    response = client.get(
        reverse("students:export"), {"case_status": "confirmed", "case_level": "1"}
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    header, *rows = sheet.to_python()
    assert [row[0] for row in rows] == ["2024010011"]
    # The case columns the list shows and filters by are in the sheet too.
    assert header[-2:] == ["帮扶状态", "等级"] and rows[0][-2:] == ["已确认", "一级（重点）"]
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.detail == {"what": "students", "rows": 1,
                            "filters": {"case_status": "confirmed", "case_level": 1}}  # fmt: skip
