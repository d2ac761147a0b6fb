"""/api/students: scoped, masked reads and bulk upserts through the import pipeline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from jingzhun.api.models import ApiToken
from jingzhun.api.scopes import STUDENTS_IDENTIFIERS, STUDENTS_READ, STUDENTS_WRITE
from jingzhun.api.tests.factories import ApiClient, issue_token
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import StudentFactory, valid_id_number

pytestmark = pytest.mark.django_db

STUDENT_A_MASKED = {
    "student_number": "2024010001", "name": "王小明", "gender": "M", "ethnicity": "01",
    "class_name": "计应2401", "major_code": "510201", "school_code": "S01", "cohort": 2027,
    "entry_year": 2024, "education_level": "zhuanke", "status": "enrolled",
    "hukou_region_code": "4101**", "hukou_type": "rural",
    "id_number": "4****************3", "phone": "138****5678",
}  # fmt: skip


def without_timestamp(item: dict) -> dict:
    assert "updated_at" in item
    return {k: v for k, v in item.items() if k != "updated_at"}


def new_student(n: int, **overrides: object) -> dict:
    return {
        "student_number": f"20240100{n:02d}", "name": f"接口生{n}", "gender": "男",
        "class_name": "计应2401", "id_number": valid_id_number(sequence=101 + 2 * n),
        "phone": f"138-0000-00{n:02d}",
    } | overrides  # fmt: skip


# ---- reads -------------------------------------------------------------------------------


def test_list_is_masked_by_default_and_writes_no_audit_row(college, api_client):
    response = api_client(STUDENTS_READ).get("/api/students")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["limit"], body["offset"]) == (2, 100, 0)
    assert without_timestamp(body["items"][0]) == STUDENT_A_MASKED
    assert [i["student_number"] for i in body["items"]] == ["2024010001", "2024020001"]
    assert college.student_a.id_number not in response.content.decode()
    assert not AuditLog.objects.filter(action=AuditLog.Action.REVEAL).exists()


def test_detail(college, api_client):
    response = api_client(STUDENTS_READ).get("/api/students/2024010001")
    assert response.status_code == 200
    assert without_timestamp(response.json()) == STUDENT_A_MASKED


def test_detail_of_an_unknown_number_is_404(college, api_client):
    response = api_client(STUDENTS_READ).get("/api/students/2099999999")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No student with this number."},
    )


def test_identifiers_scope_shows_full_values_and_is_audited(college, client):
    token, secret = issue_token(college.institution, STUDENTS_READ, STUDENTS_IDENTIFIERS)
    response = ApiClient(client, secret).get("/api/students", {"class_name": "计应2401"})
    item = response.json()["items"][0]
    assert (item["id_number"], item["phone"], item["hukou_region_code"]) == (
        "410102200503171233", "13812345678", "410102",
    )  # fmt: skip
    entry = AuditLog.objects.get(action=AuditLog.Action.REVEAL)
    assert (entry.actor, entry.actor_role, entry.fields, entry.detail, entry.object_type) == (
        token.created_by, "employment_office", ["hukou_region_code", "id_number", "phone"],
        {"via": "api", "token": "教务系统", "count": 1}, "",
    )  # fmt: skip


def test_identifiers_in_detail_are_audited_against_the_student(college, client):
    _token, secret = issue_token(college.institution, STUDENTS_READ, STUDENTS_IDENTIFIERS)
    response = ApiClient(client, secret).get("/api/students/2024010001")
    assert response.json()["id_number"] == "410102200503171233"
    entry = AuditLog.objects.get(action=AuditLog.Action.REVEAL)
    assert (entry.object_type, entry.object_id, entry.detail["count"]) == (
        "students.student", str(college.student_a.pk), 1,
    )  # fmt: skip


def test_an_empty_page_reveals_nothing_and_is_not_audited(college, client):
    _token, secret = issue_token(college.institution, STUDENTS_READ, STUDENTS_IDENTIFIERS)
    response = ApiClient(client, secret).get("/api/students", {"cohort": 1999})
    assert response.json() == {"total": 0, "limit": 100, "offset": 0, "items": []}
    assert not AuditLog.objects.filter(action=AuditLog.Action.REVEAL).exists()


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"cohort": 2027}, ["2024010001", "2024020001"]),
        ({"cohort": 2026}, []),
        ({"school_code": "S02"}, ["2024020001"]),
        ({"class_name": "计应2401"}, ["2024010001"]),
        ({"limit": 1, "offset": 1}, ["2024020001"]),
    ],
)
def test_filters_and_paging(college, api_client, params, numbers):
    body = api_client(STUDENTS_READ).get("/api/students", params).json()
    assert [i["student_number"] for i in body["items"]] == numbers


def test_total_counts_all_matches_not_the_page(college, api_client):
    body = api_client(STUDENTS_READ).get("/api/students", {"limit": 1}).json()
    assert (body["total"], body["limit"], len(body["items"])) == (2, 1, 1)


def test_updated_since(college, api_client):
    Student.objects.filter(pk=college.student_b.pk).update(
        updated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    api = api_client(STUDENTS_READ)
    since = {"updated_since": "2025-06-01T00:00:00+08:00"}
    recent = api.get("/api/students", since).json()["items"]
    assert [i["student_number"] for i in recent] == ["2024010001"]
    naive = {"updated_since": "2024-12-31T00:00:00"}
    assert api.get("/api/students", naive).json()["total"] == 2


@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"offset": -1}, {"cohort": "x"}])
def test_bad_paging_is_422(college, api_client, params):
    response = api_client(STUDENTS_READ).get("/api/students", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_other_institution_sees_none_of_this_college(college, client):
    other = college.personas["outsider"].institution
    _token, secret = issue_token(other, STUDENTS_READ)
    api = ApiClient(client, secret)
    assert api.get("/api/students").json() == {"total": 0, "limit": 100, "offset": 0, "items": []}
    assert api.get("/api/students/2024010001").status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_list_query_count_does_not_grow_with_rows(
    college, client, django_assert_num_queries, extra
):
    StudentFactory.create_batch(extra, class_group=college.class_b)
    token, secret = issue_token(college.institution, STUDENTS_READ, STUDENTS_IDENTIFIERS)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    api = ApiClient(client, secret)
    # token, count, page, reveal audit row
    with django_assert_num_queries(4):
        response = api.get("/api/students")
    assert len(response.json()["items"]) == 2 + extra


def test_first_use_adds_one_update(college, client, django_assert_num_queries):
    _token, secret = issue_token(college.institution, STUDENTS_READ)
    with django_assert_num_queries(4):  # token, last_used_at, count, page
        ApiClient(client, secret).get("/api/students")


# ---- bulk writes -------------------------------------------------------------------------


def test_bulk_creates_and_audits(college, client):
    token, secret = issue_token(college.institution, STUDENTS_WRITE)
    body = {"mode": "all_or_nothing", "records": [new_student(2), new_student(3)]}
    response = ApiClient(client, secret).post("/api/students/bulk", body)
    assert (response.status_code, response.json()) == (
        200, {"applied": True, "created": 2, "updated": 0, "unchanged": 0, "error_count": 0,
              "errors_truncated": False, "errors": []},
    )  # fmt: skip
    student = Student.objects.get(student_number="2024010002")
    assert (student.name, student.gender, student.phone, student.class_group, student.institution) == (
        "接口生2", "M", "13800000002", college.class_a, college.institution,
    )  # fmt: skip
    entry = AuditLog.objects.get(detail__via="api", detail__applied="students")
    assert (entry.actor, entry.actor_role, entry.detail) == (
        token.created_by, "employment_office",
        {"applied": "students", "via": "api", "token": token.name, "created": 2, "updated": 0,
         "unchanged": 0, "rejected": 0},
    )  # fmt: skip


def test_posting_the_same_body_twice_changes_nothing(college, api_client):
    api = api_client(STUDENTS_WRITE)
    body = {"mode": "all_or_nothing", "records": [new_student(2), new_student(3)]}
    api.post("/api/students/bulk", body)
    again = api.post("/api/students/bulk", body)
    assert again.json() == {
        "applied": True, "created": 0, "updated": 0, "unchanged": 2, "error_count": 0,
        "errors_truncated": False, "errors": [],
    }  # fmt: skip
    edited = api.post("/api/students/bulk", {"mode": "all_or_nothing",
                                             "records": [new_student(2, name="改名"), new_student(3)]})  # fmt: skip
    assert edited.json() == {
        "applied": True, "created": 0, "updated": 1, "unchanged": 1, "error_count": 0,
        "errors_truncated": False, "errors": [],
    }  # fmt: skip
    assert Student.objects.get(student_number="2024010002").name == "改名"


BAD_ID = "410102200503171234"  # check digit should be 3


def test_all_or_nothing_refuses_a_bad_record_and_writes_nothing(college, api_client):
    records = [new_student(2), new_student(3, id_number=BAD_ID)]
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "all_or_nothing", "records": records}
    )
    assert response.status_code == 422
    assert response.json() == {
        "applied": False, "created": 0, "updated": 0, "unchanged": 0, "error_count": 1,
        "errors_truncated": False,
        "errors": [{"index": 1, "field": "id_number", "value": BAD_ID,
                    "message": "身份证号校验位应为 3，实际为 4"}],
    }  # fmt: skip
    assert response.json()["errors"][0]["message"].startswith("身份证号校验位应为")
    assert not Student.objects.filter(student_number__in=["2024010002", "2024010003"]).exists()
    assert not AuditLog.objects.filter(detail__via="api").exists()


def test_valid_rows_writes_the_good_ones_and_reports_the_rest(college, api_client):
    records = [
        new_student(2),
        new_student(3, gender="女"),  # the ID number says male
        new_student(4, class_name="不存在班"),
    ]
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": records}
    )
    assert response.status_code == 200
    assert response.json() == {
        "applied": True, "created": 1, "updated": 0, "unchanged": 0, "error_count": 2,
        "errors_truncated": False,
        "errors": [
            {"index": 1, "field": "gender", "value": "F", "message": "性别与身份证号不一致"},
            {"index": 2, "field": "class_name", "value": "不存在班",
             "message": "班级不存在或不在您的数据范围内"},
        ],
    }  # fmt: skip
    created = Student.objects.filter(student_number__startswith="20240100").exclude(
        pk=college.student_a.pk
    )
    assert list(created.values_list("student_number", "name")) == [("2024010002", "接口生2")]


def test_a_repeated_student_number_is_reported_on_the_later_record(college, api_client):
    records = [new_student(2), new_student(2, name="重复")]
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": records}
    )
    (error,) = response.json()["errors"]
    assert (error["index"], error["field"], error["value"]) == (1, "student_number", "2024010002")
    assert Student.objects.get(student_number="2024010002").name == "接口生2"


def test_duplicate_message_names_the_record_index(college, api_client):
    records = [new_student(2), new_student(2, name="重复")]
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": records}
    )
    assert response.json()["errors"][0]["message"] == "与第 0 条记录重复"


def test_unknown_fields_are_refused_not_ignored(college, api_client):
    record = new_student(2) | {"studentnumber": "2024010002"}
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": [record]}
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["index"], error["field"], error["value"]) == (0, "studentnumber", "2024010002")
    assert error["message"].startswith("Unknown field; the fields are: student_number, name, ")
    assert not Student.objects.filter(student_number="2024010002").exists()


def test_more_than_5000_records_is_413_and_writes_nothing(college, api_client):
    records = [new_student(2)] * 5001
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": records}
    )
    assert (response.status_code, response.json()) == (
        413, {"detail": "5001 records sent; at most 5000 are accepted per request."},
    )  # fmt: skip
    assert not Student.objects.filter(student_number="2024010002").exists()


def test_a_body_over_the_upload_limit_is_413(college, api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    records = [new_student(n) for n in range(2, 6)]
    response = api_client(STUDENTS_WRITE).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": records}
    )
    assert (response.status_code, response.json()) == (
        413, {"detail": "The request body is too large; send fewer records per request."},
    )  # fmt: skip


def test_malformed_json_is_400_with_code_and_message(college, api_client):
    response = api_client(STUDENTS_WRITE).post("/api/students/bulk", "{not json")
    assert (response.status_code, response.json()) == (
        400, {"code": "api.malformed_json",
              "message": "The request body is not valid JSON (line 1, column 2)."},
    )  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "sometimes", "records": []},
        {"mode": "valid_rows", "records": "2024010002"},
        {"mode": "valid_rows", "records": [["2024010002"]]},
        {"mode": "valid_rows"},
    ],
)
def test_schema_errors_are_422(college, api_client, body):
    response = api_client(STUDENTS_WRITE).post("/api/students/bulk", json.dumps(body))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


def test_domain_errors_are_400_with_code_and_message(college, api_client, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise DomainError("import.not_allowed", "Your role may not import this kind of data.")

    monkeypatch.setattr("jingzhun.api.bulk.records_upsert", refuse)
    response = api_client(STUDENTS_WRITE).post("/api/students/bulk", {"records": [new_student(2)]})
    assert (response.status_code, response.json()) == (
        400, {"code": "import.not_allowed", "message": "Your role may not import this kind of data."},
    )  # fmt: skip


def test_read_only_token_cannot_write(college, api_client):
    response = api_client(STUDENTS_READ).post("/api/students/bulk", {"records": [new_student(2)]})
    assert response.status_code == 403
    assert not Student.objects.filter(student_number="2024010002").exists()


def test_other_institution_cannot_place_students_in_this_college(college, client):
    _token, secret = issue_token(college.personas["outsider"].institution, STUDENTS_WRITE)
    response = ApiClient(client, secret).post(
        "/api/students/bulk", {"mode": "valid_rows", "records": [new_student(2)]}
    )
    assert response.json()["errors"] == [
        {"index": 0, "field": "class_name", "value": "计应2401",
         "message": "班级不存在或不在您的数据范围内"},
    ]  # fmt: skip
    assert not Student.objects.filter(student_number="2024010002").exists()
