"""Scoped reads of destinations: the registration queue, one registration, the student's own,
graduates without a verified destination, and the placement counts as known on a date.

Every query starts from the registry's data scope (`student_queryset`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from jingzhun.identification.models import Case
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import GraduateDestination, Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.destinations import permissions
from jingzhun.tracking.destinations.models import DestinationRegistration

S = DestinationRegistration.Status
LIVE = (S.SUBMITTED, S.SCHOOL_VERIFIED, S.OFFICE_VERIFIED)
TO_VERIFY = "to_verify"  # the queue's default: what waits for the actor's own step


def registration_queryset(*, actor: RoleAssignment | None) -> QuerySet[DestinationRegistration]:
    return DestinationRegistration.objects.filter(student__in=student_queryset(actor=actor))


def registration_get(*, actor: RoleAssignment | None, pk: int) -> DestinationRegistration:
    """One registration of a student in scope; out of scope is indistinguishable from absent."""
    row = (
        registration_queryset(actor=actor)
        .select_related("student__school", "student__class_group", "code", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


@dataclass(frozen=True)
class RegistrationFilters:
    status: str = TO_VERIFY
    school: int | None = None
    cohort: int | None = None
    code: str = ""
    q: str = ""


def step_status(actor: RoleAssignment | None) -> str | None:
    """The status waiting for the actor's verification step (None: the actor verifies none)."""
    if permissions.can_verify_school(actor):
        return S.SUBMITTED
    if permissions.can_verify_office(actor):
        return S.SCHOOL_VERIFIED
    return None


def registration_list(
    *, actor: RoleAssignment | None, filters: RegistrationFilters
) -> QuerySet[DestinationRegistration]:
    qs = registration_queryset(actor=actor)
    if filters.status == TO_VERIFY:
        qs = qs.filter(status=step_status(actor) or S.SUBMITTED)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    if filters.cohort:
        qs = qs.filter(student__cohort=filters.cohort)
    if filters.code:
        # A two-digit code takes its three-digit refinements along (50 → 502, 503).
        qs = (
            qs.filter(code__code__startswith=filters.code)
            if len(filters.code) == 2
            else qs.filter(code_id=filters.code)
        )
    term = filters.q.strip()
    if term:
        qs = qs.filter(
            Q(student__student_number__startswith=term) | Q(student__name__startswith=term)
        )
    return qs.select_related("student__school", "student__class_group", "code").order_by(
        "created_at", "pk"
    )


def own_registrations(*, actor: RoleAssignment | None) -> list[DestinationRegistration]:
    """The student's own registrations, newest first, with their evidence."""
    if not permissions.is_student(actor):
        return []
    return list(
        registration_queryset(actor=actor)
        .select_related("code")
        .prefetch_related("evidence")
        .order_by("-created_at", "-pk")
    )


def cohorts(*, actor: RoleAssignment | None) -> list[int]:
    return sorted(
        set(student_queryset(actor=actor).values_list("cohort", flat=True).distinct()), reverse=True
    )


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def with_category_as_of(students: QuerySet[Student], as_of: dt.date) -> QuerySet[Student]:
    """`students` annotated with `category_as_of`: the category of the destination the office
    had verified by the end of `as_of` — the newest verified registration, else a verified
    registry row recorded by then (imported history); None when there was none."""
    verified = (
        DestinationRegistration.objects.filter(
            student=OuterRef("pk"), office_verified_at__lt=_end_of(as_of)
        )
        .order_by("-office_verified_at", "-pk")
        .values("code__category")[:1]
    )
    registry = GraduateDestination.objects.filter(
        student=OuterRef("pk"), verified=True, recorded_on__lte=as_of
    ).values("code__category")[:1]
    return students.annotate(category_as_of=Coalesce(Subquery(verified), Subquery(registry)))


def graduates_without_verified_destination(
    *, actor: RoleAssignment | None, cohort: int, as_of: dt.date | None = None
) -> QuerySet[Student]:
    """Students of the cohort in scope with no verified destination (as of `as_of`, today by
    default): what alerts and follow-ups chase before and after the deadline."""
    students = (
        student_queryset(actor=actor).filter(cohort=cohort).exclude(status=Student.Status.WITHDRAWN)
    )
    return with_category_as_of(students, as_of or timezone.localdate()).filter(
        category_as_of__isnull=True  # type: ignore[misc]  # an annotation the stubs cannot see
    )


DIMENSIONS: dict[str, tuple[str, str]] = {
    # dimension → (key field, label field) on Student
    "institution": ("institution_id", "institution__name"),
    "school": ("school_id", "school__name"),
    "major": ("major_id", "major__name"),
    "class": ("class_group_id", "class_group__name"),
    "type": ("cases__types__code", "cases__types__name"),
    "priority_group": ("priority_groups__group", "priority_groups__group"),
}
# Cases that count for the difficulty-type dimension: the student was taken into assistance.
CASE_IN_PROGRAMME = (
    Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE, Case.Status.EXIT_PROPOSED, Case.Status.EXITED,
)  # fmt: skip


def placement_counts(
    *, actor: RoleAssignment | None, cohort: int, as_of: dt.date, dimension: str
) -> list[tuple[str, str, str | None, int]]:
    """(key, label, category as of the date or None, graduates) for the cohort in scope,
    grouped by `dimension`: one grouped query. Types and priority groups overlap (a student in
    two groups counts in both); students in none are left out of those two."""
    key, label = DIMENSIONS[dimension]
    students = (
        student_queryset(actor=actor).filter(cohort=cohort).exclude(status=Student.Status.WITHDRAWN)
    )
    if dimension == "type":
        students = students.filter(cases__status__in=CASE_IN_PROGRAMME, cases__types__isnull=False)
    elif dimension == "priority_group":
        students = students.filter(priority_groups__isnull=False)
    rows = (
        with_category_as_of(students, as_of)
        .values(key, label, "category_as_of")
        .annotate(n=Count("pk", distinct=True))
        .order_by(label, key)
    )
    return [(str(r[key]), str(r[label]), r["category_as_of"], r["n"]) for r in rows]
