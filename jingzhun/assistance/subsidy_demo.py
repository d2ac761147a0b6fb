"""Subsidies in the demo college: this year's 求职创业补贴 and a batch of applications half-way
through approval — some at each step, one paid, one returned — all through the services the
staff would use. The demo student (with a login) has applied from the portal and waits for the
school's step, so their portal shows an application in progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jingzhun.assistance.services import subsidies, subsidy_policies
from jingzhun.assistance.subsidy_models import SubsidyApplication, SubsidyPolicy
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import DepartmentKind, Role
from jingzhun.students.models import FamilyEconomicStatus, PriorityGroupEvidence, Student

POLICY_NAME = "求职创业补贴"
GROUPS = ["minimum_living", "poverty_alleviated", "extreme_poverty", "zero_employment",
          "disabled_student", "student_loan"]  # fmt: skip
DOCUMENTS = ["求职创业补贴申请表", "困难证明材料复印件"]
AMOUNT, BUDGET = Decimal("1500"), Decimal("60000")
# Where each application of the batch stops, in order.
STOPS = ("submitted", "submitted", "school_approved", "school_approved", "office_approved",
         "office_approved", "finance_approved", "paid", "returned")  # fmt: skip
RETURN_REASON = "困难证明材料复印件已过有效期，请上传本年度有效的证明"
# A tiny valid PDF, so the documents open from the application page.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
       b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip


@dataclass(frozen=True)
class DemoSubsidies:
    policy: SubsidyPolicy
    applications: int


def _valid_evidence_q(today: dt.date) -> Q:
    return (
        Q(priority_groups__group__in=GROUPS)
        & (Q(priority_groups__valid_to__isnull=True) | Q(priority_groups__valid_to__gte=today))
        & (Q(priority_groups__valid_from__isnull=True) | Q(priority_groups__valid_from__lte=today))
    )


def _loan(student: Student) -> None:
    """A national student loan contract for a demo student who has no valid evidence."""
    PriorityGroupEvidence.objects.get_or_create(
        student=student, group=PriorityGroupEvidence.Group.STUDENT_LOAN,
        defaults={"certificate_type": "国家助学贷款合同", "issuer": "国家开发银行河南省分行",
                  "certificate_number": f"GJZXDK{student.entry_year}{student.student_number[-5:]}",
                  "valid_from": dt.date(student.entry_year, 9, 1),
                  "valid_to": dt.date(student.cohort + 6, 12, 31)},
    )  # fmt: skip


def _batch(
    institution: Institution, cohort: int, schools: list[int], today: dt.date
) -> list[Student]:
    """Graduating students of the schools with an officer who hold valid evidence; when too few
    do, the aid centre's loan contracts (students in hardship first) fill the batch."""
    candidates = Student.objects.filter(institution=institution, cohort=cohort, school_id__in=schools,
                                        user__isnull=True, status=Student.Status.ENROLLED)  # fmt: skip
    eligible = list(
        candidates.filter(_valid_evidence_q(today))
        .distinct()
        .order_by("student_number")[: len(STOPS)]
    )
    hardship = Q(
        economic_statuses__level__in=[
            FamilyEconomicStatus.Level.DIFFICULT,
            FamilyEconomicStatus.Level.SPECIAL,
        ]
    )
    for extra in (hardship, Q()):  # a small demo college may have too few in hardship
        more = (
            candidates.exclude(pk__in=[s.pk for s in eligible])
            .filter(extra)
            .distinct()
            .order_by("student_number")
        )
        for student in more[: len(STOPS) - len(eligible)]:
            _loan(student)
            eligible.append(student)
    return eligible


def _documents() -> dict[str, SimpleUploadedFile]:
    return {name: SimpleUploadedFile(f"{n + 1}.pdf", PDF, content_type="application/pdf")
            for n, name in enumerate(DOCUMENTS)}  # fmt: skip


def seed_subsidy_demo(*, institution_code: str, cohort: int) -> DemoSubsidies | None:
    """Idempotent: does nothing when the institution already has the policy."""
    institution = Institution.objects.filter(code=institution_code).first()
    if (
        institution is None
        or SubsidyPolicy.objects.filter(
            institution=institution, year=cohort, name=POLICY_NAME
        ).exists()
    ):
        return None
    roles = RoleAssignment.objects.filter(institution=institution, is_active=True)
    office = roles.filter(role=Role.EMPLOYMENT_OFFICE).first()
    finance = roles.filter(role=Role.DEPARTMENT_STAFF, department__kind=DepartmentKind.AID).first()
    officers = {ra.school_id: ra for ra in roles.filter(role=Role.SCHOOL_OFFICER)}
    if office is None or finance is None or not officers:
        return None
    today = timezone.localdate()
    with transaction.atomic():
        policy = subsidy_policies.policy_save(actor=office, data=subsidy_policies.PolicyInput(
            year=cohort, name=POLICY_NAME, amount=str(AMOUNT), budget=str(BUDGET), eligible_groups=GROUPS,
            documents_required=DOCUMENTS, opens_on=today - dt.timedelta(days=20),
            closes_on=today + dt.timedelta(days=60),
            description="面向本年度毕业、属于低保、脱贫家庭、残疾、特困供养、零就业家庭或获得国家助学贷款的毕业生，"
                        "每人一次性发放。请上传申请表与本年度有效的证明材料。",
        ))  # fmt: skip
        own = Student.objects.filter(institution=institution, cohort=cohort, user__isnull=False)
        for student in own:
            if not Student.objects.filter(pk=student.pk).filter(_valid_evidence_q(today)).exists():
                _loan(student)
        batch = _batch(institution, cohort, [school for school in officers if school], today)
        for student, stop in zip(batch, STOPS, strict=False):
            _apply(
                policy,
                student,
                stop,
                office=office,
                officer=officers[student.school_id],
                finance=finance,
            )
        for student in own:
            applicant = roles.filter(role=Role.STUDENT, user_id=student.user_id or 0).first()
            if (
                applicant is not None
                and not SubsidyApplication.objects.filter(policy=policy, student=student).exists()
            ):
                subsidies.application_submit(actor=applicant, policy=policy, student=student,
                                             documents=_documents())  # fmt: skip
    return DemoSubsidies(policy, SubsidyApplication.objects.filter(policy=policy).count())


def _apply(policy: SubsidyPolicy, student: Student, stop: str, *, office: RoleAssignment,
           officer: RoleAssignment, finance: RoleAssignment) -> None:  # fmt: skip
    app = subsidies.application_submit(actor=office, policy=policy, student=student, documents=_documents(),
                                       note="学院集中受理")  # fmt: skip
    if stop == "returned":
        subsidies.application_move(
            actor=officer, application=app, target="returned", reason=RETURN_REASON
        )
        return
    chain = [("school_approved", officer), ("office_approved", office), ("finance_approved", finance),
             ("paid", finance)]  # fmt: skip
    for target, actor in chain:
        if app.status == stop:
            return
        paid = target == "paid"
        app = subsidies.application_move(
            actor=actor, application=app, target=target,
            paid_on=timezone.localdate() - dt.timedelta(days=2) if paid else None,
            reference=f"ZZZX-{timezone.localdate():%Y%m}-{app.pk:04d}" if paid else "",
        )  # fmt: skip
