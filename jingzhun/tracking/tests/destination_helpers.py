"""Helpers of the destination tests: a student whose registration window is open today, real
small image files, a registration submitted and taken through the steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingzhun.students.models import Student
from jingzhun.tracking.destination_demo import png_bytes
from jingzhun.tracking.destinations import services
from jingzhun.tracking.destinations.models import DestinationRegistration
from jingzhun.tracking.destinations.reference import Evidence


def photo(name: str = "就业协议书.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def open_window(settings: Any, *students: Student) -> None:
    """Make the students' cohort this year, graduated on 1 January, deadline 31 December:
    registration is open today whatever today is, and contacts fall before or after."""
    year = timezone.localdate().year
    settings.GRADUATION_DAY = (1, 1)
    settings.DESTINATION_DEADLINE = (12, 31)
    for student in students:
        Student.objects.filter(pk=student.pk).update(cohort=year)
        student.cohort = year


def agreement(
    kind: str = Evidence.AGREEMENT, name: str = "就业协议书.png"
) -> services.EvidenceUpload:
    return services.EvidenceUpload(kind=kind, file=photo(name))


EMPLOYED = services.DestinationInput(
    code="10", employer_name="郑州宇通客车股份有限公司", credit_code="91410000170017593M",
    city="郑州市", monthly_wage=4800, start_date=dt.date(2026, 7, 1),
)  # fmt: skip


def register(college: Any, persona: str = "student_a", student: Student | None = None,
             data: services.DestinationInput = EMPLOYED, **kwargs: Any) -> DestinationRegistration:  # fmt: skip
    return services.destination_register(
        actor=college.personas[persona], student=student or college.student_a, data=data,
        evidence=kwargs.pop("evidence", [agreement()]), **kwargs,
    )  # fmt: skip


def verified(
    college: Any, registration: DestinationRegistration, *, office: bool = True
) -> DestinationRegistration:
    services.destination_verify(
        actor=college.personas["school_officer_a"], registration=registration
    )
    if office:
        services.destination_verify(
            actor=college.personas["employment_officer"], registration=registration
        )
    registration.refresh_from_db()
    return registration
