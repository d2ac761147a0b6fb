"""Roles, data scopes and field sensitivity: the access model as plain values.

Who may see which *rows* is the data scope of the active role assignment; who may see which
*fields* is the sensitivity table below. Both are pure so they can be tested as tables.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership group")
    EMPLOYMENT_OFFICE = "employment_office", _("Employment office")
    ASSESSMENT_OFFICE = "assessment_office", _("Assessment office")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    SCHOOL_OFFICER = "school_officer", _("School employment officer")
    COUNSELLOR = "counsellor", _("Counsellor")
    MENTOR = "mentor", _("Mentor")
    STUDENT = "student", _("Student")
    PROVINCIAL_SUPERVISOR = "provincial_supervisor", _("Provincial supervisor")


class DataScope(models.TextChoices):
    ALL = "all", _("All institutions")
    INSTITUTION = "institution", _("Whole institution")
    ORG_UNIT = "org_unit", _("School and below")
    OWN_CLASSES = "own_classes", _("Own classes")
    ASSIGNED = "assigned", _("Assigned students")
    # Department staff who see only the students something is routed to their department
    # for (an assistance action, a subsidy application): `org.models.DepartmentRoute`.
    DEPARTMENT_ROUTED = "department_routed", _("Students routed to own department")
    SELF = "self", _("Self only")
    NONE = "none", _("No personal data")


DEFAULT_SCOPE: dict[str, str] = {
    Role.LEADERSHIP: DataScope.INSTITUTION,
    Role.EMPLOYMENT_OFFICE: DataScope.INSTITUTION,
    Role.ASSESSMENT_OFFICE: DataScope.INSTITUTION,
    Role.DEPARTMENT_STAFF: DataScope.INSTITUTION,
    Role.SCHOOL_OFFICER: DataScope.ORG_UNIT,
    Role.COUNSELLOR: DataScope.OWN_CLASSES,
    Role.MENTOR: DataScope.ASSIGNED,
    Role.STUDENT: DataScope.SELF,
    # Supervisors see aggregates across institutions, never a person.
    Role.PROVINCIAL_SUPERVISOR: DataScope.NONE,
}


class DepartmentKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Admissions and employment office")
    AID = "aid", _("Student financial aid centre")
    PSYCH = "psych", _("Mental health education centre")
    ACADEMIC = "academic", _("Academic affairs office")
    YOUTH_LEAGUE = "youth_league", _("Youth league committee")
    STUDENT_AFFAIRS = "student_affairs", _("Student affairs office")
    OTHER = "other", _("Other")


class Sensitivity(StrEnum):
    """Field groups that are sensitive personal information (PIPL art. 28) or identifiers."""

    IDENTIFIERS = "identifiers"  # full ID number and phone, shown masked otherwise
    FAMILY_FINANCE = "family_finance"
    HEALTH = "health"  # disability and health
    PSYCHOLOGICAL = "psychological"


# (role, department kind or None) → sensitive field groups that role may open.
_FIELD_ACCESS: dict[str, frozenset[Sensitivity]] = {
    Role.EMPLOYMENT_OFFICE: frozenset(
        {Sensitivity.IDENTIFIERS, Sensitivity.FAMILY_FINANCE, Sensitivity.HEALTH}
    ),
    Role.SCHOOL_OFFICER: frozenset({Sensitivity.IDENTIFIERS, Sensitivity.FAMILY_FINANCE}),
    Role.COUNSELLOR: frozenset(
        {
            Sensitivity.IDENTIFIERS,
            Sensitivity.FAMILY_FINANCE,
            Sensitivity.HEALTH,
            Sensitivity.PSYCHOLOGICAL,
        }
    ),
    Role.MENTOR: frozenset({Sensitivity.IDENTIFIERS, Sensitivity.FAMILY_FINANCE}),
    Role.STUDENT: frozenset(
        {Sensitivity.IDENTIFIERS, Sensitivity.FAMILY_FINANCE, Sensitivity.HEALTH}
    ),
}
_DEPARTMENT_ACCESS: dict[str, frozenset[Sensitivity]] = {
    DepartmentKind.AID: frozenset({Sensitivity.FAMILY_FINANCE, Sensitivity.HEALTH}),
    DepartmentKind.PSYCH: frozenset({Sensitivity.PSYCHOLOGICAL, Sensitivity.HEALTH}),
    DepartmentKind.EMPLOYMENT: frozenset({Sensitivity.IDENTIFIERS, Sensitivity.FAMILY_FINANCE}),
}


def field_access(role: str, department_kind: str | None = None) -> frozenset[Sensitivity]:
    """The sensitive field groups a role (in a department, for staff) may open."""
    if role == Role.DEPARTMENT_STAFF:
        return _DEPARTMENT_ACCESS.get(department_kind or "", frozenset())
    return _FIELD_ACCESS.get(role, frozenset())


STAFF_ROLES = frozenset(set(Role) - {Role.STUDENT})
REGISTRY_ROLES = frozenset(set(Role) - {Role.PROVINCIAL_SUPERVISOR})
