"""Scoped reads of the registry. Every query for students goes through `student_queryset`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope
from jingzhun.org.selectors import routed_student_ids
from jingzhun.students.models import BehaviourSnapshot, Student


def student_scope_filter(actor: RoleAssignment | None) -> Q | None:
    """The rows an actor may see, or None when it may see no one."""
    if actor is None:
        return None
    scope = actor.data_scope
    if scope == DataScope.ALL:
        return Q()
    if scope == DataScope.INSTITUTION:
        return Q(institution_id=actor.institution_id)
    if scope == DataScope.ORG_UNIT:
        return Q(school_id=actor.school_id)
    if scope == DataScope.OWN_CLASSES:
        return Q(class_group__in=actor.classes.values("pk"))
    if scope == DataScope.ASSIGNED:
        return Q(mentor_assignments__mentor_id=actor.user_id)
    if scope == DataScope.SELF:
        return Q(user_id=actor.user_id)
    if scope == DataScope.DEPARTMENT_ROUTED:
        routed = routed_student_ids(department_id=actor.department_id)
        return Q(institution_id=actor.institution_id, pk__in=routed)
    return None


def student_queryset(*, actor: RoleAssignment | None) -> QuerySet[Student]:
    scope = student_scope_filter(actor)
    if scope is None:
        return Student.objects.none()
    return Student.objects.filter(scope)


@dataclass(frozen=True)
class StudentFilters:
    q: str = ""
    school: int | None = None
    major: int | None = None
    class_group: int | None = None
    cohort: int | None = None
    status: str = ""
    priority_group: str = ""


def student_list(*, actor: RoleAssignment | None, filters: StudentFilters) -> QuerySet[Student]:
    qs = student_queryset(actor=actor)
    term = filters.q.strip()
    if term:
        field = "student_number" if term[-1:].isdigit() else "name"
        qs = qs.filter(_prefix(field, term))
    if filters.school:
        qs = qs.filter(school_id=filters.school)
    if filters.major:
        qs = qs.filter(major_id=filters.major)
    if filters.class_group:
        qs = qs.filter(class_group_id=filters.class_group)
    if filters.cohort:
        qs = qs.filter(cohort=filters.cohort)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.priority_group:
        qs = qs.filter(pk__in=_with_priority_group(filters.priority_group))
    return qs.select_related("school", "major", "class_group").order_by("-cohort", "student_number")


def _prefix(field: str, term: str) -> Q:
    """`field` starts with `term`, written so that each database uses an index.

    PostgreSQL: LIKE 'x%' over a varchar_pattern_ops index, correct under any collation.
    SQLite: LIKE is case-insensitive and skips indexes, but its default collation is binary,
    so a half-open range on the column is exact and indexed.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": term})
    return Q(**{f"{field}__gte": term, f"{field}__lt": term + "\U0010ffff"})


def _with_priority_group(group: str) -> QuerySet[Student]:
    return Student.objects.filter(priority_groups__group=group).values("pk")  # type: ignore[return-value]


def student_get(*, actor: RoleAssignment | None, pk: int) -> Student:
    """One student within the actor's scope; out of scope is indistinguishable from absent."""
    try:
        return (
            student_queryset(actor=actor)
            .select_related("institution", "school", "major", "class_group")
            .get(pk=pk)
        )
    except Student.DoesNotExist as exc:
        raise Http404 from exc


def behaviour_latest(*, institution_id: int) -> BehaviourSnapshot | None:
    """The institution's newest behaviour snapshot (highest version), or None."""
    return (
        BehaviourSnapshot.objects.filter(institution_id=institution_id).order_by("-version").first()
    )
