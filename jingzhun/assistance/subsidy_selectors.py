"""Scoped reads of subsidies: policies with their budget, the approval queues, one
application, the student's own, and what a student may apply for. Every application query
starts at the student scope (`student_queryset`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jingzhun.assistance import permissions
from jingzhun.assistance.services.subsidies import Budget, application_live, eligibility_of, yuan
from jingzhun.assistance.subsidy_models import SubsidyApplication, SubsidyEvent, SubsidyPolicy
from jingzhun.assistance.subsidy_rules import Eligibility
from jingzhun.assistance.transitions import SUBSIDY_COMMITTED
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset


def policies_of(*, actor: RoleAssignment) -> QuerySet[SubsidyPolicy]:
    """The institution's policies, newest year first (a filter's choices: no figures)."""
    if not permissions.can_read_subsidies(actor) or actor.institution_id is None:
        return SubsidyPolicy.objects.none()
    return SubsidyPolicy.objects.filter(institution_id=actor.institution_id).order_by(
        "-year", "name"
    )


def policies_with_budget(*, actor: RoleAssignment) -> QuerySet[SubsidyPolicy]:
    """The institution's policies, each annotated with committed, paid and waiting."""
    return policies_of(actor=actor).annotate(
        committed=Sum("applications__amount", filter=Q(applications__status__in=SUBSIDY_COMMITTED)),
        paid=Sum("applications__amount", filter=Q(applications__status=SubsidyApplication.Status.PAID)),
        applications_count=Count("applications"),
    )  # fmt: skip


def budget_shown(policy: Any) -> Budget:
    """The budget figures of an annotated policy (`policies_with_budget`)."""
    return Budget(yuan(policy.budget), yuan(policy.committed), yuan(policy.paid))


def policy_get(*, actor: RoleAssignment, pk: int) -> SubsidyPolicy:
    try:
        return policies_with_budget(actor=actor).get(pk=pk)
    except SubsidyPolicy.DoesNotExist as exc:
        raise Http404 from exc


# The status each approver's queue opens on.
DEFAULT_STATUS: dict[str, str] = {
    Role.SCHOOL_OFFICER: SubsidyApplication.Status.SUBMITTED,
    Role.EMPLOYMENT_OFFICE: SubsidyApplication.Status.SCHOOL_APPROVED,
    Role.DEPARTMENT_STAFF: SubsidyApplication.Status.OFFICE_APPROVED,
}
ALL = "all"


@dataclass(frozen=True)
class SubsidyFilters:
    policy: int | None = None
    status: str = ALL  # a status or ALL
    school: int | None = None
    q: str = ""  # start of a student number


def default_status(actor: RoleAssignment) -> str:
    if permissions.is_finance(actor) or permissions.can_decide_subsidies(actor):
        return DEFAULT_STATUS.get(actor.role, ALL)
    return ALL


def _scoped(actor: RoleAssignment) -> QuerySet[SubsidyApplication]:
    if not permissions.can_read_subsidies(actor) or actor.institution_id is None:
        return SubsidyApplication.objects.none()
    qs = SubsidyApplication.objects.filter(
        policy__institution_id=actor.institution_id, student__in=student_queryset(actor=actor)
    )
    if actor.role == Role.DEPARTMENT_STAFF:
        # Finance sees what the employment office has passed on, never earlier steps.
        qs = qs.filter(status__in=["office_approved", "finance_approved", "paid"])
    if actor.role == Role.SCHOOL_OFFICER:
        qs = qs.filter(student__school_id=actor.school_id or 0)
    return qs


def applications_of(*, actor: RoleAssignment, student: Student) -> QuerySet[SubsidyApplication]:
    """One student's applications as the actor may read them (the student: their own)."""
    if actor.role == Role.STUDENT:
        return own_applications(actor=actor).filter(student=student)
    return _scoped(actor).filter(student=student)


def application_queue(
    *, actor: RoleAssignment, filters: SubsidyFilters
) -> QuerySet[SubsidyApplication]:
    qs = _scoped(actor)
    if filters.policy:
        qs = qs.filter(policy_id=filters.policy)
    if filters.status in SubsidyApplication.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    if filters.q:
        qs = qs.filter(student__student_number__startswith=filters.q)
    return qs.select_related("policy", "student__school", "student__class_group").order_by(
        "created_at", "pk"
    )


def application_get(*, actor: RoleAssignment, pk: int) -> SubsidyApplication:
    """An application of a student in the actor's scope; otherwise 404, like a missing one."""
    qs = _scoped(actor).select_related(
        "policy", "student__school", "student__class_group", "applied_by"
    ).prefetch_related("documents", Prefetch("events", queryset=SubsidyEvent.objects.select_related("actor")))  # fmt: skip
    try:
        return qs.get(pk=pk)
    except SubsidyApplication.DoesNotExist as exc:
        raise Http404 from exc


def own_student(actor: RoleAssignment) -> Student | None:
    if not permissions.can_acknowledge(actor):
        return None
    return Student.objects.filter(user_id=actor.user_id).select_related("institution").first()


def own_applications(*, actor: RoleAssignment) -> QuerySet[SubsidyApplication]:
    student = own_student(actor)
    if student is None:
        return SubsidyApplication.objects.none()
    return (
        SubsidyApplication.objects.filter(student=student)
        .select_related("policy")
        .order_by("-created_at")
    )


def own_application_get(*, actor: RoleAssignment, pk: int) -> SubsidyApplication:
    """The student's own application; another student's answers 404."""
    try:
        return (
            own_applications(actor=actor)
            .prefetch_related("documents", Prefetch("events", queryset=SubsidyEvent.objects.select_related("actor")))
            .get(pk=pk)
        )  # fmt: skip
    except SubsidyApplication.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Offer:
    """One open policy as a student sees it: whether they qualify, why, and their application."""

    policy: SubsidyPolicy
    eligibility: Eligibility
    application: SubsidyApplication | None


def open_policies(*, institution_id: int, on: dt.date | None = None) -> QuerySet[SubsidyPolicy]:
    day = on or timezone.localdate()
    return SubsidyPolicy.objects.filter(
        institution_id=institution_id, is_active=True, opens_on__lte=day, closes_on__gte=day
    ).order_by("closes_on", "name")


def offers_for(student: Student) -> list[Offer]:
    """The open policies of the student's college with the student's eligibility."""
    return [
        Offer(policy, eligibility_of(policy, student), application_live(policy, student))
        for policy in open_policies(institution_id=student.institution_id)
    ]


def applicable_students(*, actor: RoleAssignment) -> QuerySet[Student]:
    """Students staff may apply for: those in their scope."""
    if not permissions.can_apply_for(actor):
        return Student.objects.none()
    return student_queryset(actor=actor)
