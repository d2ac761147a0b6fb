"""Destination reads: the placement rate as known on a date, by each dimension; graduates
without a verified destination; the quality-check selector; scope on every query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.identification.models import Case
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.students.models import GraduateDestination, PriorityGroupEvidence
from jingzhun.tracking.destinations import rates, selectors, services
from jingzhun.tracking.destinations.models import DestinationRegistration
from jingzhun.tracking.destinations.quality import QualityFilters, quality_issues
from jingzhun.tracking.destinations.reference import Evidence
from jingzhun.tracking.tests.destination_helpers import (
    EMPLOYED,
    agreement,
    open_window,
    register,
    verified,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(college, settings):
    open_window(settings, college.student_a, college.student_b)
    return college


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _rate(
    college, as_of: dt.date, dimension: str = "institution", persona: str = "employment_officer"
):
    counts = selectors.placement_counts(actor=college.personas[persona], cohort=college.student_a.cohort,
                                        as_of=as_of, dimension=dimension)  # fmt: skip
    return [(r.label, r.graduates, r.placed) for r in rates.rate_rows(counts)]


def test_placement_rate_as_known_then(window):
    college = window
    d1, d2 = dt.date(2026, 7, 10), dt.date(2026, 8, 20)
    first = verified(
        college, register(college, data=services.DestinationInput(code="70"), evidence=[])
    )
    DestinationRegistration.objects.filter(pk=first.pk).update(office_verified_at=_at(d1))
    change = verified(college, register(college))
    DestinationRegistration.objects.filter(pk=change.pk).update(office_verified_at=_at(d2))
    name = college.institution.name
    assert _rate(college, d1 - dt.timedelta(days=1)) == [(name, 2, 0)]
    assert _rate(college, d1) == [(name, 2, 0)]  # known, but not placed (70)
    assert _rate(college, d2) == [(name, 2, 1)]
    assert _rate(college, dt.date(2026, 8, 19)) == [(name, 2, 0)]


def test_an_unverified_registration_does_not_count(window):
    college = window
    verified(college, register(college), office=False)
    assert _rate(college, timezone.localdate()) == [(college.institution.name, 2, 0)]


def test_imported_registry_destinations_count_from_their_date(window):
    college = window
    GraduateDestination.objects.create(student=college.student_b, code_id="80", verified=True,
                                       recorded_on=dt.date(2026, 6, 1))  # fmt: skip
    assert _rate(college, dt.date(2026, 5, 31), "school") == [
        ("信息工程学院", 1, 0),
        ("财经商贸学院", 1, 0),
    ]
    assert _rate(college, dt.date(2026, 6, 1), "school") == [
        ("信息工程学院", 1, 0),
        ("财经商贸学院", 1, 1),
    ]


def test_rate_by_every_dimension(window):
    college = window
    verified(college, register(college))
    types = difficulty_types_ensure()
    case = Case.objects.create(student=college.student_a, status=Case.Status.IN_ASSISTANCE, level=2)
    case.types.set([types["economic"], types["employability"]])
    PriorityGroupEvidence.objects.create(student=college.student_b, group="minimum_living")
    today = timezone.localdate()
    assert _rate(college, today, "major") == [("大数据与会计", 1, 0), ("计算机应用技术", 1, 1)]
    assert _rate(college, today, "class") == [("会计2401", 1, 0), ("计应2401", 1, 1)]
    assert sorted(_rate(college, today, "type")) == sorted(
        [(types["economic"].name, 1, 1), (types["employability"].name, 1, 1)]
    )
    assert _rate(college, today, "priority_group") == [("minimum_living", 1, 0)]


def test_rate_keeps_to_scope(window):
    college = window
    verified(college, register(college))
    assert _rate(college, timezone.localdate(), "school", persona="school_officer_a") == [
        ("信息工程学院", 1, 1)
    ]
    assert _rate(college, timezone.localdate(), "school", persona="outsider") == []


def test_graduates_without_a_verified_destination(window):
    college = window
    officer = college.personas["employment_officer"]
    cohort = college.student_a.cohort
    assert set(selectors.graduates_without_verified_destination(actor=officer, cohort=cohort)) == {
        college.student_a,
        college.student_b,
    }
    verified(college, register(college))
    assert list(selectors.graduates_without_verified_destination(actor=officer, cohort=cohort)) == [
        college.student_b
    ]
    assert (
        list(
            selectors.graduates_without_verified_destination(
                actor=college.personas["school_officer_a"], cohort=cohort
            )
        )
        == []
    )


def test_quality_issues_listed_never_corrected(window, django_assert_max_num_queries):
    college = window
    low = services.DestinationInput(
        code="12", employer_name="郑州某商贸有限公司", city="郑州市", monthly_wage=1500
    )
    r1 = register(
        college, data=low, evidence=[agreement(Evidence.EMPLOYER_CERTIFICATE, "实习证明.png")]
    )
    r2 = register(college, persona="employment_officer", student=college.student_b)
    officer = college.personas["employment_officer"]
    with django_assert_max_num_queries(8):
        issues = quality_issues(actor=officer, filters=QualityFilters())
    found = {i.registration.pk: [r.id for r in i.rules] for i in issues}
    assert found == {
        r1.pk: ["wage_below_minimum", "internship_as_employment"],
        r2.pk: ["no_contact"],
    }
    r1.refresh_from_db()
    assert (r1.monthly_wage, r1.status) == (1500, "submitted")
    only = quality_issues(actor=officer, filters=QualityFilters(rule="no_contact"))
    assert [i.registration.pk for i in only] == [r2.pk]
    scoped = quality_issues(actor=college.personas["school_officer_a"], filters=QualityFilters())
    assert [i.registration.pk for i in scoped] == [r1.pk]
    assert quality_issues(actor=college.personas["outsider"], filters=QualityFilters()) == []


def test_own_registrations_are_the_students_only(window):
    college = window
    mine = register(college)
    register(college, persona="employment_officer", student=college.student_b)
    assert selectors.own_registrations(actor=college.personas["student_a"]) == [mine]
    assert selectors.own_registrations(actor=college.personas["counsellor_a"]) == []
    assert EMPLOYED.code == "10"
