"""Test helpers of assistance: a confirmed case of the college's personas, a second school
officer and department staff member when a test needs them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingzhun.identification.models import Case, CaseEvent, IdentificationRun, Signal
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role
from jingzhun.org.tests.factories import RoleAssignmentFactory, UserFactory
from jingzhun.students.models import Student


def confirmed_case(
    college: Any, *, student: Student | None = None, types: tuple[str, ...] = ("economic", "psychological"),
    level: int = 2, responsible: str = "counsellor_a", signal: bool = True,
) -> Case:  # fmt: skip
    student = student or college.student_a
    known = difficulty_types_ensure()
    case = Case.objects.create(student=student, status=Case.Status.CONFIRMED, level=level,
                               responsible=college.user(responsible))  # fmt: skip
    case.types.set([known[code] for code in types])
    CaseEvent.objects.create(case=case, to_status=Case.Status.CONFIRMED)
    if signal:
        run = IdentificationRun.objects.create(institution=college.institution, as_of=dt.date(2026, 11, 1),
                                               started_by=college.user("employment_officer"))  # fmt: skip
        Signal.objects.create(run=run, student=student, difficulty_type=known["economic"], level=level,
                              explanation="家庭经济困难（低保）", sensitivity="family_finance")  # fmt: skip
    return case


def school_officer_b(college: Any) -> RoleAssignment:
    return RoleAssignmentFactory.create(
        user=UserFactory.create(username="T0017", display_name="财经学院就业专干"),
        role=Role.SCHOOL_OFFICER, institution=college.institution, school=college.school_b,
    )  # fmt: skip


def department_staff(college: Any, kind: str = DepartmentKind.AID, *, username: str = "T0024",
                     scope: str = "") -> RoleAssignment:  # fmt: skip
    extra = {"data_scope": scope} if scope else {}
    return RoleAssignmentFactory.create(
        user=UserFactory.create(username=username, display_name=f"{username}老师"),
        role=Role.DEPARTMENT_STAFF, institution=college.institution,
        department=college.departments[kind], **extra,
    )  # fmt: skip


ROUTED = DataScope.DEPARTMENT_ROUTED


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
DOCUMENTS = ("低保证复印件", "求职创业补贴申请表")


def subsidy_policy(
    college: Any, *, amount: str = "1500", budget: str = "10000", **fields: Any
) -> Any:
    """The college's 求职创业补贴 for graduates of 2027 (class A's cohort), open today."""
    from decimal import Decimal

    from django.utils import timezone

    from jingzhun.assistance.subsidy_models import SubsidyPolicy

    today = timezone.localdate()
    values = {
        "institution": college.institution, "year": 2027, "name": "求职创业补贴",
        "amount": Decimal(amount), "budget": Decimal(budget),
        "eligible_groups": ["minimum_living", "poverty_alleviated", "extreme_poverty",
                            "disabled_student", "zero_employment", "student_loan"],
        "documents_required": list(DOCUMENTS), "opens_on": today - dt.timedelta(days=10),
        "closes_on": today + dt.timedelta(days=20),
    } | fields  # fmt: skip
    return SubsidyPolicy.objects.create(**values)


def dibao(student: Student, *, valid_to: dt.date | None = None) -> Any:
    """A valid 低保 certificate of the student (the registry's evidence)."""
    from jingzhun.students.models import PriorityGroupEvidence

    return PriorityGroupEvidence.objects.create(
        student=student, group="minimum_living", certificate_type="低保证",
        certificate_number="410102-2025-0031", issuer="郑州市金水区民政局",
        valid_from=dt.date(2025, 1, 1), valid_to=valid_to or dt.date(2027, 12, 31),
    )  # fmt: skip


def documents(names: tuple[str, ...] = DOCUMENTS) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {name: SimpleUploadedFile(f"{n}.pdf", PDF, content_type="application/pdf")
            for n, name in enumerate(names)}  # fmt: skip


def subsidy_application(college: Any, *, policy: Any = None, student: Student | None = None,
                        status: str = "submitted") -> Any:  # fmt: skip
    """An application of student A taken through the real services up to `status`."""
    from jingzhun.assistance.services import subsidies

    student = student or college.student_a
    policy = policy or subsidy_policy(college)
    dibao(student)
    applicant = college.personas["student_a"] if student.pk == college.student_a.pk else college.personas["employment_officer"]  # fmt: skip
    app = subsidies.application_submit(
        actor=applicant, policy=policy, student=student, documents=documents()
    )
    steps = [("school_approved", "school_officer_a"), ("office_approved", "employment_officer"),
             ("finance_approved", "aid_staff"), ("paid", "aid_staff")]  # fmt: skip
    for target, persona in steps:
        if app.status == status:
            break
        paid = target == "paid"
        app = subsidies.application_move(
            actor=college.personas[persona], application=app, target=target,
            paid_on=dt.date.today() if paid else None, reference="ZF2026120501" if paid else "",
        )  # fmt: skip
    return app
