from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F, Model
from django.test import RequestFactory
from django.utils import translation

from jingzhun.core.idcard import parse_id_number
from jingzhun.org.models import ClassGroup, Institution, RoleAssignment, User
from jingzhun.org.roles import Role
from jingzhun.students.demo import cohorts
from jingzhun.students.demo.accounts import DEMO_PASSWORD, demo_accounts
from jingzhun.students.demo.careers import not_placed_chance
from jingzhun.students.demo.catalogue import INSTITUTION_CODE, MAJORS
from jingzhun.students.demo.generator import RECORD_MODELS, seed_demo_college
from jingzhun.students.demo.people import Profile
from jingzhun.students.demo.regions import COUNTIES
from jingzhun.students.models import (
    AcademicResult,
    GraduateDestination,
    MentorAssignment,
    Student,
)

SMALL = ("--students", "300", "--quiet")


def seed(*extra: str) -> None:
    call_command("seed_demo", *SMALL, *extra)


def snapshot() -> list[tuple[Any, ...]]:
    students = Student.objects.order_by("student_number").values_list(
        "student_number", "name", "id_number", "phone", "class_group__name"
    )
    destinations = GraduateDestination.objects.order_by("student__student_number").values_list(
        "student__student_number", "code", "employer_name", "monthly_salary"
    )
    results = AcademicResult.objects.order_by("student__student_number", "term").values_list(
        "student__student_number", "term", "gpa", "failed_courses"
    )
    return [*students, *destinations, *results]


def counts() -> dict[str, int]:
    models: tuple[type[Model], ...] = (
        Student, ClassGroup, User, RoleAssignment, MentorAssignment, *RECORD_MODELS
    )  # fmt: skip
    return {model.__name__: model._default_manager.count() for model in models}


# Pure arithmetic of the demo calendar -------------------------------------------------


def test_cohorts_follow_the_fixed_demo_today() -> None:
    today = cohorts.DEMO_TODAY
    assert today == date(2026, 11, 26)
    assert cohorts.current_cohorts() == (2027, 2028, 2029)
    assert cohorts.graduated_cohorts() == (2024, 2025, 2026)
    assert cohorts.current_cohorts(date(2027, 3, 1)) == (2027, 2028, 2029)
    assert cohorts.current_cohorts(date(2027, 9, 1)) == (2028, 2029, 2030)


@pytest.mark.parametrize(
    ("entry_year", "expected"),
    [
        (2026, []),
        (2025, ["2025-2026-1", "2025-2026-2"]),
        (2024, ["2024-2025-1", "2024-2025-2", "2025-2026-1", "2025-2026-2"]),
        (2023, ["2023-2024-1", "2023-2024-2", "2024-2025-1", "2024-2025-2",
                "2025-2026-1", "2025-2026-2"]),
    ],
)  # fmt: skip
def test_finished_terms_are_the_terms_ended_before_demo_today(
    entry_year: int, expected: list[str]
) -> None:
    terms = cohorts.finished_terms(entry_year)
    assert [cohorts.term_code(entry_year, t) for t in terms] == expected


def test_split_by_weight_adds_up_exactly() -> None:
    assert cohorts.split_by_weight(10, [1.0, 1.0, 1.0]) == [4, 3, 3]
    assert cohorts.split_by_weight(7, [3.0, 1.0]) == [5, 2]
    assert sum(cohorts.split_by_weight(2001, [m.popularity for m in MAJORS])) == 2001


def test_cohort_sizes_total_the_requested_current_students() -> None:
    sizes = cohorts.cohort_sizes(6000)
    assert sum(sizes[c] for c in (2027, 2028, 2029)) == 6000
    assert sizes == {2024: 1880, 2025: 1920, 2026: 1960, 2027: 1920, 2028: 1980, 2029: 2100}


# The seeded college ---------------------------------------------------------------------


@pytest.mark.django_db
def test_same_seed_gives_the_same_college_and_another_seed_does_not() -> None:
    seed("--seed", "7")
    first = snapshot()
    seed("--seed", "7", "--reset")
    assert snapshot() == first
    seed("--seed", "8", "--reset")
    assert snapshot()[:300] != first[:300]


@pytest.mark.django_db
def test_summary_matches_what_was_written() -> None:
    summary = seed_demo_college(students=300, seed=1)

    assert summary.created is True
    assert (summary.schools, summary.majors, summary.departments) == (7, 42, 6)
    assert summary.students == Student.objects.exclude(status="graduated").count() == 300
    assert summary.graduates == Student.objects.filter(status="graduated").count() == 288
    assert summary.classes == ClassGroup.objects.count()
    assert summary.records == {m.__name__: m._default_manager.count() for m in RECORD_MODELS}
    assert summary.accounts == 13
    assert summary.mentor_assignments == MentorAssignment.objects.count() == 12


@pytest.mark.django_db
def test_id_numbers_are_valid_and_agree_with_gender_hukou_and_age() -> None:
    seed()
    rows = list(
        Student.objects.values_list("id_number", "gender", "hukou_region_code", "entry_year")
    )

    assert len({number for number, *_ in rows}) == len(rows)
    for number, gender, region, entry_year in rows:
        info = parse_id_number(number, today=cohorts.DEMO_TODAY)
        assert info.is_male is (gender == "M")
        assert info.region_code == region
        age_at_entry = (date(entry_year, 9, 1) - info.birth_date).days // 365
        assert 17 <= age_at_entry <= 21


@pytest.mark.django_db
def test_student_numbers_are_unique_text_of_entry_year_school_and_serial() -> None:
    seed()
    rows = list(Student.objects.values_list("student_number", "entry_year", "school__code"))

    assert len({number for number, *_ in rows}) == len(rows) == 588
    for number, entry_year, school_code in rows:
        assert re.fullmatch(rf"{entry_year}{school_code}\d{{4}}", number)


@pytest.mark.django_db
def test_each_class_holds_one_major_school_and_cohort() -> None:
    seed()

    students = Student.objects.all()
    assert not students.exclude(major=F("class_group__major")).exists()
    assert not students.exclude(school=F("class_group__major__school")).exists()
    assert not students.exclude(cohort=F("class_group__cohort")).exists()
    assert not students.exclude(entry_year=F("cohort") - 3).exists()
    abbreviations = "|".join(m.abbreviation for m in MAJORS)
    for name, cohort in ClassGroup.objects.values_list("name", "cohort"):
        assert re.fullmatch(rf"({abbreviations}){(cohort - 3) % 100:02d}\d\d", name)


@pytest.mark.django_db
def test_graduated_cohorts_all_have_destinations_and_current_ones_none() -> None:
    seed()

    graduates = Student.objects.filter(cohort__in=(2024, 2025, 2026))
    assert set(graduates.values_list("status", flat=True)) == {"graduated"}
    assert GraduateDestination.objects.filter(student__in=graduates).count() == graduates.count()
    current = Student.objects.filter(cohort__in=(2027, 2028, 2029))
    assert set(current.values_list("status", flat=True)) <= {"enrolled", "suspended"}
    assert not GraduateDestination.objects.filter(student__in=current).exists()
    used = set(GraduateDestination.objects.values_list("code_id", flat=True))
    assert {"11", "80", "70"} <= used


@pytest.mark.django_db
def test_rerun_without_reset_leaves_everything_as_it_was() -> None:
    seed()
    before = counts()
    out = StringIO()

    with translation.override("en"):
        call_command("seed_demo", "--students", "300", stdout=out)

    assert counts() == before
    assert "(4141019026) already exists; nothing changed." in out.getvalue()
    assert seed_demo_college(students=300).created is False


@pytest.mark.django_db
def test_reset_recreates_the_same_counts_even_with_later_stage_rows() -> None:
    seed()
    before = counts()
    institution = Institution.objects.get(code=INSTITUTION_CODE)
    # A person outside the demo given a role on the demo college (PROTECT on institution).
    outsider = RoleAssignment.objects.create(
        user=User.objects.create(username="X0001"), role=Role.LEADERSHIP, institution=institution
    )

    seed("--reset")

    assert counts() == {**before, "User": before["User"] + 1}
    assert not RoleAssignment.objects.filter(pk=outsider.pk).exists()
    assert User.objects.filter(username="X0001").exists()


@pytest.mark.django_db
def test_each_demo_account_logs_in_with_its_roles() -> None:
    seed()
    accounts = demo_accounts()
    request = RequestFactory().post("/login/")

    assert len(accounts) == 13
    for account in accounts:
        assert account.password == DEMO_PASSWORD
        user = authenticate(request=request, username=account.username, password=account.password)
        assert user is not None, account.username
        assert list(user.role_assignments.order_by("pk").values_list("role", flat=True)) == list(
            account.roles
        )


@pytest.mark.django_db
def test_demo_accounts_have_their_scopes() -> None:
    seed()
    by_name = {a.username: a for a in demo_accounts()}

    dual = RoleAssignment.objects.filter(user__username="T1010")
    assert sorted(dual.values_list("role", flat=True)) == [Role.COUNSELLOR, Role.MENTOR]
    assert by_name["T1010"].role == f"{Role.COUNSELLOR.label} + {Role.MENTOR.label}"
    counsellor = RoleAssignment.objects.get(user__username="T1008")
    assert counsellor.classes.count() == 4
    assert set(counsellor.classes.values_list("cohort", flat=True)) == {2027}
    assert MentorAssignment.objects.filter(mentor__username="T1009").count() == 8
    assert RoleAssignment.objects.get(user__username="P4101").institution is None
    student = Student.objects.get(user__isnull=False)
    assert student.user is not None
    assert student.user.username == student.student_number
    assert MentorAssignment.objects.filter(student=student, mentor__username="T1009").exists()
    assert by_name[student.student_number].roles == (Role.STUDENT,)


@pytest.mark.django_db
def test_command_prints_the_accounts_table() -> None:
    out = StringIO()

    with translation.override("en"):
        call_command("seed_demo", "--students", "300", stdout=out)

    text = out.getvalue()
    assert "Demo college 4141019026 created in" in text
    assert "  300 current students, 288 graduates" in text
    assert re.search(r"^Username\s+Password\s+Role\s+Scope$", text, re.MULTILINE)
    assert re.search(r"^T1001\s+Demo2026jz\s+Leadership group\s+", text, re.MULTILINE)


@pytest.mark.django_db
def test_too_few_students_is_refused() -> None:
    with translation.override("en"), pytest.raises(CommandError, match="at least 100"):
        call_command("seed_demo", "--students", "10", "--quiet")
    assert not Institution.objects.filter(code=INSTITUTION_CODE).exists()


@pytest.mark.django_db
def test_leftover_demo_logins_without_the_college_are_not_overwritten() -> None:
    User.objects.create(username="T1002", display_name="某位老师")

    with translation.override("en"), pytest.raises(CommandError, match="Users T1002 exist"):
        call_command("seed_demo", *SMALL)

    assert not Institution.objects.filter(code=INSTITUTION_CODE).exists()
    assert User.objects.get(username="T1002").display_name == "某位老师"


# A graduate with nothing against them: average aptitude and drive, an internship, certificates.
STEADY = Profile(
    cohort=2026, entry_year=2023, graduated=True, family="it", gender="M", county=COUNTIES[0],
    rural=True, name="张三", ethnicity="01", id_number="", phone="", ability=0.0, drive=0.0,
    certificates=2, internship=True, plan="employment",
)  # fmt: skip


@pytest.mark.parametrize(
    "risk",
    [
        {"failed_total": 8, "max_warning": 2},
        {"psych": 2},
        {"internship": False},
        {"certificates": 0},
        {"hardship": 3},
        {"disabled": True},
        {"plan": "not_yet"},
        {"drive": -1.5},
    ],
)
def test_each_risk_feature_raises_the_chance_of_no_destination(risk: dict[str, Any]) -> None:
    baseline = not_placed_chance(STEADY)

    assert 0.02 < baseline < 0.06
    assert not_placed_chance(replace(STEADY, **risk)) > baseline * 1.3
