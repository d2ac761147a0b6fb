"""Scoped reads of follow-ups: the 回访 list with its filters and counts, one follow-up, a
student's history. Every row starts at `student_queryset`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jingzhun.org.models import RoleAssignment
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.followups import permissions
from jingzhun.tracking.followups.models import FollowUp

# The list's "when" filter: overdue, due within a week, later, done, all.
WHEN_CHOICES = ("overdue", "week", "later", "done", "all")
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class FollowUpFilters:
    when: str = ""  # "" = every open follow-up
    kind: str = ""
    school: int | None = None
    cohort: int | None = None
    q: str = ""  # the start of a student number or a name


def _scoped(actor: RoleAssignment) -> QuerySet[FollowUp]:
    if not permissions.can_read_followups(actor):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(student__in=student_queryset(actor=actor))


def _when(qs: QuerySet[FollowUp], when: str, today: dt.date) -> QuerySet[FollowUp]:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return {
        "": qs.filter(status="open"),
        "overdue": qs.filter(status="open", due_on__lt=today),
        "week": qs.filter(status="open", due_on__gte=today, due_on__lte=soon),
        "later": qs.filter(status="open", due_on__gt=soon),
        "done": qs.filter(status="done"),
        "all": qs,
    }.get(when, qs.filter(status="open"))


def followup_list(
    *, actor: RoleAssignment, filters: FollowUpFilters, today: dt.date
) -> QuerySet[FollowUp]:
    qs = _scoped(actor)
    if filters.kind in FollowUp.Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    if filters.cohort:
        qs = qs.filter(student__cohort=filters.cohort)
    if filters.q:
        qs = qs.filter(
            Q(student__student_number__startswith=filters.q)
            | Q(student__name__startswith=filters.q)
        )
    order = ("-done_on", "-pk") if filters.when == "done" else ("due_on", "pk")
    return (
        _when(qs, filters.when, today)
        .select_related("student__school", "student__class_group", "author")
        .order_by(*order)
    )


def followup_counts(*, actor: RoleAssignment, today: dt.date) -> dict[str, int]:
    """How many follow-ups in scope are overdue, due within a week, later, done (one query)."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    opened = Q(status="open")
    return _scoped(actor).aggregate(
        overdue=Count("pk", filter=opened & Q(due_on__lt=today)),
        week=Count("pk", filter=opened & Q(due_on__gte=today, due_on__lte=soon)),
        later=Count("pk", filter=opened & Q(due_on__gt=soon)),
        done=Count("pk", filter=Q(status="done")),
    )


def followup_get(*, actor: RoleAssignment, pk: int) -> FollowUp:
    followup = (
        _scoped(actor)
        .select_related("student__school", "student__class_group")
        .filter(pk=pk)
        .first()
    )
    if followup is None:
        raise Http404
    return followup


def followup_history(*, actor: RoleAssignment, student_id: int) -> QuerySet[FollowUp]:
    return (
        _scoped(actor)
        .filter(student_id=student_id)
        .exclude(status="cancelled")
        .select_related("author")
        .order_by("-due_on")
    )


def own_open_followup(*, actor: RoleAssignment) -> FollowUp | None:
    """The student's own open follow-up (a student's scope is themself), if one is waiting."""
    if not permissions.can_answer(actor):
        return None
    return FollowUp.objects.filter(student__in=student_queryset(actor=actor), status="open").first()
