from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jingzhun.org.models import ClassGroup, DepartmentRoute, Major, RoleAssignment, School
from jingzhun.org.roles import DataScope


def role_assignment_list_for_user(*, user: Any) -> list[RoleAssignment]:
    """A person's active role assignments, most privileged role first."""
    return list(
        RoleAssignment.objects.filter(user=user, is_active=True)
        .select_related("institution", "school", "department", "user")
        .order_by("role", "pk")
    )


def school_list(*, actor: RoleAssignment | None) -> QuerySet[School]:
    """Schools an actor works with: its school for school-level scopes, else its institution's."""
    if actor is None or actor.data_scope == DataScope.NONE:
        return School.objects.none()
    if actor.data_scope == DataScope.ALL:
        return School.objects.all()
    if actor.data_scope == DataScope.ORG_UNIT:
        return School.objects.filter(pk=actor.school_id or 0)
    if actor.data_scope == DataScope.OWN_CLASSES:
        return School.objects.filter(majors__classes__in=actor.classes.all()).distinct()
    return School.objects.filter(institution_id=actor.institution_id or 0)


def major_list(*, actor: RoleAssignment | None) -> QuerySet[Major]:
    schools = school_list(actor=actor)
    qs = Major.objects.filter(school__in=schools)
    if actor is not None and actor.data_scope == DataScope.OWN_CLASSES:
        qs = qs.filter(classes__in=actor.classes.all()).distinct()
    return qs.select_related("school")


def class_group_list(*, actor: RoleAssignment | None) -> QuerySet[ClassGroup]:
    if actor is not None and actor.data_scope == DataScope.OWN_CLASSES:
        return actor.classes.all()
    return ClassGroup.objects.filter(major__in=major_list(actor=actor))


def routed_student_ids(*, department_id: int | None) -> QuerySet[DepartmentRoute, int]:
    """The ids of the students something open is routed to the department for (a subquery)."""
    return (
        DepartmentRoute.objects.filter(department_id=department_id or 0, is_open=True)
        .values_list("student_id", flat=True)
        .distinct()
    )
