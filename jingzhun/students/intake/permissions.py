"""Which roles may import which kinds. Rows are further limited by the role's data scope."""

from __future__ import annotations

from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role, field_access
from jingzhun.students.intake.kinds import KINDS, KindSpec

_BY_ROLE: dict[str, frozenset[str]] = {
    Role.EMPLOYMENT_OFFICE: frozenset(KINDS),
    Role.SCHOOL_OFFICER: frozenset(
        {"students", "academic_result", "certificate", "internship", "job_intention"}
    ),
    Role.COUNSELLOR: frozenset({"certificate", "internship", "job_intention"}),
}
# Setting the college up (schools, majors, classes, staff accounts) is for whoever
# administers the whole college: the employment office with the institution in scope.
SETUP_KINDS = frozenset({"org_structure", "staff"})
_ADMINISTERS = {Role.EMPLOYMENT_OFFICE}

_BY_DEPARTMENT: dict[str, frozenset[str]] = {
    DepartmentKind.AID: frozenset({"economic_status", "priority_group", "disability"}),
    DepartmentKind.PSYCH: frozenset({"psych_screening"}),
    DepartmentKind.ACADEMIC: frozenset({"academic_result", "certificate"}),
}


def readable_kinds(actor: RoleAssignment | None) -> list[KindSpec]:
    """Kinds whose files the actor may open: every sensitive group they hold must be open to
    the actor's role, exactly as for the same fields in the registry."""
    if actor is None:
        return []
    allowed = field_access(actor.role, actor.department_kind)
    return [k for k in KINDS.values() if k.file_sensitivities <= allowed]


def importable_kinds(actor: RoleAssignment | None) -> list[KindSpec]:
    if actor is None:
        return []
    if actor.role == Role.DEPARTMENT_STAFF:
        slugs = _BY_DEPARTMENT.get(actor.department_kind or "", frozenset())
    else:
        slugs = _BY_ROLE.get(actor.role, frozenset())
    if actor.role == Role.EMPLOYMENT_OFFICE:  # also the kinds later stages register (postings)
        slugs = frozenset(KINDS)
    if not administers_college(actor):
        slugs = slugs - SETUP_KINDS
    return [k for k in readable_kinds(actor) if k.slug in slugs]


def administers_college(actor: RoleAssignment | None) -> bool:
    """May set the college up: its org structure and staff accounts (the first-run page)."""
    return (
        actor is not None
        and actor.institution_id is not None
        and actor.role in _ADMINISTERS
        and actor.data_scope in {DataScope.ALL, DataScope.INSTITUTION}
    )


def can_import(actor: RoleAssignment | None, kind: str) -> bool:
    return any(k.slug == kind for k in importable_kinds(actor))
