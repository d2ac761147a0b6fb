"""The destinations demo on a small generated college: every verification state, each quality
check failing somewhere, the demo student's destination pending; a second seeding does nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.org.models import RoleAssignment
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.generator import seed_demo_college
from jingzhun.students.models import Student
from jingzhun.tracking.destination_demo import seed_destination_demo
from jingzhun.tracking.destinations import checks
from jingzhun.tracking.destinations.models import DestinationRegistration
from jingzhun.tracking.destinations.quality import QualityFilters, quality_issues

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_every_failing_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)

    result = seed_destination_demo(institution_code=INSTITUTION_CODE)

    assert result is not None
    assert set(result.by_status) == {
        "submitted",
        "school_verified",
        "office_verified",
        "returned",
        "superseded",
    }
    assert result.registrations == DestinationRegistration.objects.count()
    office = RoleAssignment.objects.get(user__username="T1002", role="employment_office")
    newest = max(
        DestinationRegistration.objects.values_list("student__cohort", flat=True).exclude(
            student__user__isnull=False
        )
    )
    issues = quality_issues(actor=office, filters=QualityFilters(cohort=newest))
    failing = {rule.id for issue in issues for rule in issue.rules}
    assert failing == set(checks.RULES_BY_ID)
    # History keeps its dates: an office-verified registration was verified on its record's day.
    verified = (
        DestinationRegistration.objects.filter(status="office_verified")
        .select_related("student__destination")
        .first()
    )
    assert verified is not None and verified.office_verified_at is not None
    assert verified.office_verified_at.date() == verified.student.destination.recorded_on
    assert verified.events.order_by("at")[0].at == verified.created_at
    student = Student.objects.get(user__isnull=False)
    if timezone.localdate() <= dt.date(student.cohort, 8, 31):  # the service takes it until then
        pending = DestinationRegistration.objects.get(student=student)
        assert (pending.status, pending.source, result.student_pending) == (
            "submitted",
            "student",
            True,
        )
    assert seed_destination_demo(institution_code=INSTITUTION_CODE) is None
