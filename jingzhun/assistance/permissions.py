"""Who may do what in assistance: one table, read by services, views and navigation.

Rows are checked by the services: the responsible person's own cases, the school officer's
own school, the department's own actions, the student's own plan.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.core.errors import DomainError
from jingzhun.identification.permissions import RESPONSIBLE_ROLES
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role

# Who drafts, edits and submits plans (for the cases they are responsible for).
PLAN_ROLES: frozenset[str] = RESPONSIBLE_ROLES
# Who reads plans and actions across the institution.
OVERSIGHT_ROLES: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE, Role.LEADERSHIP})


def _role_in(actor: RoleAssignment | None, roles: frozenset[str]) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role in roles
        and actor.institution_id is not None
    )


def can_manage_catalogue(actor: RoleAssignment | None) -> bool:
    """Edit measures and playbooks."""
    return _role_in(actor, frozenset({Role.EMPLOYMENT_OFFICE}))


def can_plan(actor: RoleAssignment | None) -> bool:
    """Draft, edit and submit plans — of the cases the actor is responsible for."""
    return _role_in(actor, PLAN_ROLES)


def can_approve(actor: RoleAssignment | None) -> bool:
    """Approve or return plans of the actor's own school."""
    return (
        _role_in(actor, frozenset({Role.SCHOOL_OFFICER}))
        and actor is not None
        and bool(actor.school_id)
    )


def can_acknowledge(actor: RoleAssignment | None) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role == Role.STUDENT
        and actor.data_scope == DataScope.SELF
    )


# Who works the actions routed to their department: its staff, and the employment office's
# own people for the measures it owns (guidance, job pushes, traineeships …).
WORKER_ROLES: frozenset[str] = frozenset({Role.DEPARTMENT_STAFF, Role.EMPLOYMENT_OFFICE})


def can_work_actions(actor: RoleAssignment | None) -> bool:
    """Start, close and reassign the actions routed to the actor's department."""
    return _role_in(actor, WORKER_ROLES) and actor is not None and bool(actor.department_id)


def department_only(actor: RoleAssignment | None) -> bool:
    """Department staff read assistance through their department's actions only."""
    return can_work_actions(actor) and actor is not None and actor.role == Role.DEPARTMENT_STAFF


def require(allowed: bool, *, message: str | None = None) -> None:
    if not allowed:
        raise DomainError(
            AssistanceErrorCode.NOT_ALLOWED,
            message or _("Your role may not do this in assistance."),
        )


def institution_of(actor: RoleAssignment) -> int:
    """The actor's institution; a role without one does nothing in assistance."""
    if actor.institution_id is None:
        raise DomainError(
            AssistanceErrorCode.OUT_OF_SCOPE, _("This role belongs to no institution.")
        )
    return actor.institution_id


def can_write_records(actor: RoleAssignment | None) -> bool:
    """Roles that may add records at all: action workers and case owners (the rows — the
    action's assignee, the case's responsible person — are checked by `record_add`)."""
    return can_work_actions(actor) or can_plan(actor)


def can_write_counselling(actor: RoleAssignment | None) -> bool:
    """Counselling records are written by the psychological centre only."""
    return (
        _role_in(actor, frozenset({Role.DEPARTMENT_STAFF}))
        and actor is not None
        and actor.department_kind == DepartmentKind.PSYCH
    )
