from __future__ import annotations

import pytest
from django.urls import reverse

from jingzhun.core.models import AuditLog
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import PsychScreeningFactory, StudentFactory

pytestmark = pytest.mark.django_db


def list_numbers(client, **params) -> list[str]:
    response = client.get(reverse("students:list"), params)
    assert response.status_code == 200
    return [s.student_number for s, _ids in response.context["rows"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employment_officer", ["2024010001", "2024020001"]),
        ("leader", ["2024010001", "2024020001"]),
        ("school_officer_a", ["2024010001"]),
        ("counsellor_a", ["2024010001"]),
        ("mentor_a", ["2024010001"]),
        ("outsider", []),
    ],
)
def test_list_shows_exactly_the_scope(college, client, persona, expected):
    client.force_login(college.user(persona))
    assert sorted(list_numbers(client)) == expected


def test_list_filters_and_search(college, client):
    client.force_login(college.user("employment_officer"))
    assert list_numbers(client, q="李") == ["2024020001"]
    assert list_numbers(client, q="20240100") == ["2024010001"]
    assert list_numbers(client, school=college.school_b.pk) == ["2024020001"]
    assert list_numbers(client, class_group=college.class_a.pk) == ["2024010001"]
    assert list_numbers(client, cohort=2027) == ["2024010001", "2024020001"]
    assert list_numbers(client, status="graduated") == []


def test_filter_choices_come_from_the_scope(college, client):
    client.force_login(college.user("counsellor_a"))
    form = client.get(reverse("students:list")).context["form"]
    assert list(form.fields["school"].queryset) == [college.school_a]
    assert list(form.fields["class_group"].queryset) == [college.class_a]


def test_a_school_outside_the_scope_cannot_widen_it(college, client):
    client.force_login(college.user("counsellor_a"))
    assert list_numbers(client, school=college.school_b.pk) == ["2024010001"]


def test_list_masks_phones(college, client):
    client.force_login(college.user("employment_officer"))
    body = client.get(reverse("students:list")).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body


def test_list_query_count_does_not_grow_with_rows(college, client, django_assert_max_num_queries):
    for _ in range(30):
        StudentFactory(class_group=college.class_a)
    client.force_login(college.user("employment_officer"))
    # session, user, role assignments, form choices (3), count, page rows
    with django_assert_max_num_queries(12):
        response = client.get(reverse("students:list"))
    assert response.context["page"].paginator.count == 32


def test_viewing_the_psychological_tab_is_audited(college, client):
    PsychScreeningFactory(student=college.student_a)
    client.force_login(college.user("psych_staff"))
    response = client.get(
        reverse("students:detail-tab", args=[college.student_a.pk, "psychological"])
    )
    assert response.status_code == 200
    assert "已转介心理中心" in response.content.decode()
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_SENSITIVE)
    assert entry.actor == college.user("psych_staff")
    assert entry.actor_role == "department_staff"
    assert entry.object_type == "students.student"
    assert entry.object_id == str(college.student_a.pk)
    assert entry.fields == ["psych_screenings"]
    assert entry.detail == {"tab": "psychological"}
    assert entry.ip_address == "127.0.0.1"


def test_a_refused_tab_is_not_shown_and_not_audited_as_viewed(college, client):
    PsychScreeningFactory(student=college.student_a)
    client.force_login(college.user("employment_officer"))
    response = client.get(
        reverse("students:detail-tab", args=[college.student_a.pk, "psychological"])
    )
    assert response.status_code == 403
    assert "已转介心理中心" not in response.content.decode()
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE).exists()


def test_restricted_tab_is_listed_as_locked(college, client):
    client.force_login(college.user("employment_officer"))
    body = client.get(reverse("students:detail", args=[college.student_a.pk])).content.decode()
    assert reverse("students:detail-tab", args=[college.student_a.pk, "psychological"]) not in body
    assert "bi-lock" in body


def _with_phone_mailbox(student: Student) -> Student:
    """The demo's commonest risk: a 163 mailbox named after the mobile number."""
    Student.objects.filter(pk=student.pk).update(
        email=f"{student.phone}@163.com", hukou_region_code="411328"
    )
    student.refresh_from_db()
    return student


@pytest.mark.parametrize("persona", ["leader", "aid_staff", "counsellor_a"])
def test_profile_masks_email_and_shows_the_place_not_the_county_code(persona, college, client):
    student = _with_phone_mailbox(college.student_a)
    client.force_login(college.user(persona))

    response = client.get(reverse("students:detail", args=[student.pk]))

    assert response.status_code == 200
    assert response.context["identifiers"] == {
        "id_number": "4" + "*" * 16 + student.id_number[-1],
        "phone": "138****5678",
        "email": "1***@163.com",
        "hukou_region": "河南省南阳市",
    }
    body = response.content.decode()
    assert "13812345678" not in body
    assert "411328" not in body
    assert 'data-testid="hukou-region">河南省南阳市 农村' in body
    assert not AuditLog.objects.filter(action=AuditLog.Action.REVEAL).exists()


def test_reveal_shows_full_identifiers_and_records_it(college, client):
    student = _with_phone_mailbox(college.student_a)
    client.force_login(college.user("counsellor_a"))
    detail = client.get(reverse("students:detail", args=[student.pk])).content.decode()
    assert "4" + "*" * 16 + student.id_number[-1] in detail
    response = client.post(reverse("students:reveal", args=[student.pk]))
    assert response.context["identifiers"] == {
        "id_number": student.id_number,
        "phone": "13812345678",
        "email": "13812345678@163.com",
        "hukou_region": "411328 河南省南阳市",
    }
    entry = AuditLog.objects.get(action=AuditLog.Action.REVEAL)
    assert entry.fields == ["email", "hukou_region_code", "id_number", "phone"]
    assert entry.actor == college.user("counsellor_a")
    assert (entry.object_type, entry.object_id) == ("students.student", str(student.pk))


def test_reveal_refused_for_a_role_without_identifier_access(college, client):
    client.force_login(college.user("leader"))
    response = client.post(reverse("students:reveal", args=[college.student_a.pk]))
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action=AuditLog.Action.REVEAL).exists()


def test_student_lands_on_own_file(college, client):
    client.force_login(college.user("student_a"))
    response = client.get(reverse("students:me"))
    assert response["Location"] == reverse("students:detail", args=[college.student_a.pk])
