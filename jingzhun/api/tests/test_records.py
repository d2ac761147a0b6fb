"""/api/records/{kind}: per-kind scopes, upserts through the import pipeline, audited reads."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jingzhun.api.models import ApiToken
from jingzhun.api.scopes import record_scope
from jingzhun.api.tests.factories import ApiClient, issue_token
from jingzhun.core.models import AuditLog
from jingzhun.students.models import AcademicResult, Internship, PsychScreening
from jingzhun.students.tests.factories import FamilyEconomicStatusFactory

pytestmark = pytest.mark.django_db

INTERNSHIP = {
    "student_number": "2024010001", "employer_name": "郑州宇通客车", "position": "装配",
    "city": "郑州", "start_date": "2026-03-01", "end_date": "2026/6/30",
    "related_to_major": True, "rating": 5,
}  # fmt: skip


def read_write(kind: str) -> tuple[str, str]:
    return record_scope(kind, "read"), record_scope(kind, "write")


def items_without_timestamps(response) -> list[dict]:
    return [
        {k: v for k, v in item.items() if k != "updated_at"} for item in response.json()["items"]
    ]


def test_internships_written_and_read_back(college, api_client):
    api = api_client(*read_write("internship"))
    body = {"mode": "all_or_nothing", "records": [INTERNSHIP]}
    written = api.post("/api/records/internship/bulk", body)
    assert (written.status_code, written.json()) == (
        200, {"applied": True, "created": 1, "updated": 0, "unchanged": 0, "error_count": 0,
              "errors_truncated": False, "errors": []},
    )  # fmt: skip
    internship = Internship.objects.get()
    assert (internship.student, str(internship.end_date), internship.related_to_major) == (
        college.student_a, "2026-06-30", True,
    )  # fmt: skip
    read = api.get("/api/records/internship")
    assert read.json()["total"] == 1
    assert items_without_timestamps(read) == [INTERNSHIP | {"end_date": "2026-06-30"}]
    assert api.post("/api/records/internship/bulk", body).json()["unchanged"] == 1
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE).exists()


def test_decimals_and_the_student_number_filter(college, api_client):
    api = api_client(*read_write("academic_result"))
    records = [
        {"student_number": "2024010001", "term": "2024-2025-1", "gpa": "3.25", "failed_courses": 1},
        {"student_number": "2024020001", "term": "2024-2025-1", "gpa": 2.5},
    ]
    assert (
        api.post("/api/records/academic_result/bulk", {"records": records}).json()["created"] == 2
    )
    assert AcademicResult.objects.get(student=college.student_b).gpa == 2.5
    response = api.get("/api/records/academic_result", {"student_number": "2024010001"})
    assert items_without_timestamps(response) == [
        {"student_number": "2024010001", "term": "2024-2025-1", "gpa": "3.25", "failed_courses": 1,
         "credits_earned": "0.0", "credits_owed": "0.0", "academic_warning": 0},
    ]  # fmt: skip


def test_record_errors_name_the_field(college, api_client):
    records = [
        INTERNSHIP | {"end_date": "2026-02-01"},
        INTERNSHIP | {"student_number": "2099999999"},
    ]
    response = api_client(*read_write("internship")).post(
        "/api/records/internship/bulk", {"mode": "all_or_nothing", "records": records}
    )
    assert (response.status_code, response.json()["errors"]) == (422, [
        {"index": 0, "field": "end_date", "value": "2026-02-01", "message": "结束日期早于开始日期"},
        {"index": 1, "field": "student_number", "value": "2099999999",
         "message": "学号不存在或不在您的数据范围内"},
    ])  # fmt: skip
    assert not Internship.objects.exists()


def test_sensitive_read_is_audited(college, client):
    FamilyEconomicStatusFactory(student=college.student_a)
    token, secret = issue_token(college.institution, record_scope("economic_status", "read"),
                                name="资助系统")  # fmt: skip
    response = ApiClient(client, secret).get("/api/records/economic_status")
    assert items_without_timestamps(response) == [
        {"student_number": "2024010001", "academic_year": "2025-2026", "level": "special",
         "assessed_by": "学生资助中心", "assessed_on": "2025-09-20", "per_capita_income": None,
         "note": ""},
    ]  # fmt: skip
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_SENSITIVE)
    assert (entry.actor, entry.actor_role, entry.detail, entry.fields) == (
        token.created_by, "employment_office",
        {"via": "api", "token": "资助系统", "count": 1, "kind": "economic_status"},
        sorted(["academic_year", "level", "assessed_by", "assessed_on", "per_capita_income", "note"]),
    )  # fmt: skip


def test_a_sensitive_read_that_shows_nothing_is_not_audited(college, api_client):
    response = api_client(record_scope("disability", "read")).get("/api/records/disability")
    assert response.json() == {"total": 0, "limit": 100, "offset": 0, "items": []}
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE).exists()


def test_psych_screenings_are_written_as_the_mental_health_centre(college, api_client):
    """The employment office may not import screenings, so the token acts as the centre."""
    api = api_client(*read_write("psych_screening"))
    record = {"student_number": "2024010001", "screened_on": "2025-10-01", "level": "重点关注"}
    response = api.post("/api/records/psych_screening/bulk", {"records": [record]})
    assert response.json()["created"] == 1
    assert PsychScreening.objects.get().level == "key"
    write = AuditLog.objects.get(detail__applied="psych_screening")
    assert write.actor_role == "department_staff"
    assert api.get("/api/records/psych_screening").json()["items"][0]["level"] == "key"
    read = AuditLog.objects.get(action=AuditLog.Action.VIEW_SENSITIVE)
    assert read.detail["kind"] == "psych_screening"


@pytest.mark.parametrize("kind", ["grades", "students"])
def test_unknown_kind_is_404(college, api_client, kind):
    api = api_client(record_scope("internship", "read"), record_scope("internship", "write"))
    expected = {"detail": f"Unknown record kind: {kind}"}
    got = api.get(f"/api/records/{kind}")
    assert (got.status_code, got.json()) == (404, expected)
    posted = api.post(f"/api/records/{kind}/bulk", {"records": []})
    assert (posted.status_code, posted.json()) == (404, expected)


def test_other_institution_sees_and_touches_none_of_this_college(college, client):
    FamilyEconomicStatusFactory(student=college.student_a)
    other = college.personas["outsider"].institution
    _token, secret = issue_token(other, *read_write("economic_status"))
    api = ApiClient(client, secret)
    assert api.get("/api/records/economic_status").json()["total"] == 0
    record = {"student_number": "2024010001", "academic_year": "2025-2026", "level": "none"}
    response = api.post(
        "/api/records/economic_status/bulk", {"mode": "valid_rows", "records": [record]}
    )
    assert response.json()["errors"][0]["message"] == "学号不存在或不在您的数据范围内"
    assert college.student_a.economic_statuses.get().level == "special"


def test_list_query_count(college, client, django_assert_num_queries):
    for n in range(5):
        Internship.objects.create(student=college.student_a, employer_name=f"单位{n}",
                                  start_date="2026-03-01")  # fmt: skip
    token, secret = issue_token(college.institution, record_scope("internship", "read"))
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    with django_assert_num_queries(3):  # token, count, page with its students
        response = ApiClient(client, secret).get("/api/records/internship")
    assert response.json()["total"] == 5
